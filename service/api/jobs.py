"""/v1/jobs: submit work and come back for it. Returns at once (202); a worker does the rest."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

from service.api.auth import Caller
from service.api.body import json_body_doc, parse_job, read_capped
from service.api.deps import JobsDep, SettingsDep
from service.errors import InputError
from service.http_errors import error_response, error_responses
from service.jobs.models import JobSpec, JobView
from service.jobs.service import JobService
from service.store.jobrepo import IdempotencyConflict

router = APIRouter(prefix="/v1", tags=["jobs"])
JobId = Annotated[
    str, Path(max_length=36, description="the id returned when the job was submitted")
]


class JobList(BaseModel):
    jobs: list[JobView]
    next_before: datetime | None = None


class NotCancellable(InputError):
    code = "not_cancellable"
    status = 409


class JobNotFound(InputError):
    code = "not_found"
    status = 404


@router.post(
    "/jobs",
    status_code=202,
    response_model=JobView,
    # the body is read as JSON whatever its declared type; no model work happens here
    responses=error_responses(400, 401, 409, 413, 422, 429)
    | {200: {"model": JobView, "description": "a replay: the job this Idempotency-Key made"}},
    openapi_extra=json_body_doc(JobSpec),
    summary="Submit one or many articles (or a story) to be processed in the background",
)
async def submit_job(
    request: Request,
    jobs: JobsDep,
    settings: SettingsDep,
    owner: Caller,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    raw = await read_capped(request, settings.max_input_bytes)
    spec = parse_job(raw, settings.max_input_bytes)
    try:
        job, created = await jobs.submit_new(spec, owner=owner, idempotency_key=idempotency_key)
    except IdempotencyConflict as exc:
        return error_response(
            409,
            "idempotency_key_reused",
            f"this Idempotency-Key was used for job {exc.job_id} with a different request",
        )
    headers = {"Location": f"/v1/jobs/{job.id}"}
    if not created:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(
        job.model_dump(mode="json"), status_code=202 if created else 200, headers=headers
    )


async def _owned(jobs: JobService, job_id: str, owner: str) -> JobView:
    job = await jobs.get(job_id)
    # Someone else's job is reported as missing, not as forbidden: ids do not leak.
    if job is None or job.owner != owner:
        raise JobNotFound(f"no job {job_id}")
    return job


@router.get("/jobs/{job_id}", response_model=JobView, responses=error_responses(401, 404, 422, 429))
async def get_job(job_id: JobId, jobs: JobsDep, owner: Caller) -> JobView:
    return await _owned(jobs, job_id, owner)


@router.get("/jobs", response_model=JobList, responses=error_responses(401, 422, 429))
async def list_jobs(
    jobs: JobsDep,
    owner: Caller,
    status: Annotated[
        str | None,
        Query(pattern="^(queued|running|retrying|done|failed|dead|cancelled)$"),
    ] = None,
    kind: Annotated[str | None, Query(pattern="^(summary|story)$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[
        datetime | None, Query(description="page: next_before of the last page")
    ] = None,
) -> JobList:
    found = await jobs.list(owner=owner, status=status, kind=kind, limit=limit, before=before)
    # lists stay light: fetch a job for its result
    light = [j.model_copy(update={"result": None}) for j in found]
    return JobList(jobs=light, next_before=found[-1].created_at if len(found) == limit else None)


@router.delete(
    "/jobs/{job_id}", response_model=JobView, responses=error_responses(401, 404, 409, 422, 429)
)
async def cancel_job(job_id: JobId, jobs: JobsDep, owner: Caller) -> JobView:
    job = await _owned(jobs, job_id, owner)
    if not await jobs.cancel(job_id):
        raise NotCancellable(f"job {job_id} is {job.status}; only queued jobs can be cancelled")
    return await _owned(jobs, job_id, owner)


@router.get(
    "/jobs/{job_id}/events",
    responses=error_responses(401, 404, 422, 429) | {200: {"content": {"text/event-stream": {}}}},
    summary="Server-sent events: the job's status and progress until it ends",
)
async def job_events(job_id: JobId, jobs: JobsDep, owner: Caller) -> StreamingResponse:
    await _owned(jobs, job_id, owner)

    async def stream() -> AsyncIterator[bytes]:
        async for job in jobs.follow(job_id):
            done = job.status in ("done", "failed", "dead", "cancelled")
            body = (
                job.model_dump(mode="json")
                if done
                else job.model_copy(update={"result": None}).model_dump(mode="json")
            )
            yield f"event: {job.status}\ndata: {json.dumps(body)}\n\n".encode()

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )
