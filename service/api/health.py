from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from service.api.deps import EngineDep
from service.http_errors import ErrorBody

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


class Readiness(BaseModel):
    """A probe's answer, not an error envelope: `status` is what load balancers log."""

    status: Literal["ready", "loading", "failed"]
    model: str | None = None
    error: ErrorBody | None = None


_READINESS: dict[int | str, dict[str, Any]] = {
    200: {"model": Readiness, "description": "ready"},
    503: {"model": Readiness, "description": "loading, or failed (with the load error)"},
}


@router.get(
    "/readyz",
    summary="The model is loaded and requests will be served",
    responses=_READINESS,
)
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
