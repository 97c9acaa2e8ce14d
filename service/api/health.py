from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from service.api.deps import EngineDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The model is loaded and requests will be served")
async def readyz(engine: EngineDep) -> JSONResponse:
    if engine.ready():
        return JSONResponse({"status": "ready", "model": engine.backend.model_id})
    if engine.load_error is not None:
        message = f"model failed to load: {type(engine.load_error).__name__}: {engine.load_error}"
        return JSONResponse(
            {"status": "failed", "error": {"code": "model_unavailable", "message": message}},
            status_code=503,
        )
    return JSONResponse({"status": "loading"}, status_code=503)
