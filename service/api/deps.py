"""Dependencies as `Annotated` aliases over the composed services (`app.state.services`);
tests swap them with `app.dependency_overrides`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.cache import ResultCache
from service.config import Settings
from service.engine import Engine
from service.jobs.service import JobService
from service.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_engine(request: Request) -> Engine:
    return get_services(request).engine


def get_settings(request: Request) -> Settings:
    return get_services(request).settings


def get_jobs(request: Request) -> JobService:
    return get_services(request).jobs


def get_cache(request: Request) -> ResultCache:
    return get_services(request).cache


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
JobsDep = Annotated[JobService, Depends(get_jobs)]
CacheDep = Annotated[ResultCache, Depends(get_cache)]
