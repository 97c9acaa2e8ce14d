"""The story view returned to users."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from service.pipeline.models import Span


class StoryEntity(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(description="every surface form seen across the articles")
    articles: list[str]


class Support(BaseModel):
    article: str = Field(description="article id (its outlet, url host or position)")
    claim_id: str
    text: str
    speaker: str
    evidence: list[Span]
    origin: str | None = None


class Cluster(BaseModel):
    id: str
    text: str = Field(description="the claim as the first supporting article states it")
    speaker: str
    articles: list[Support]
    support: int = Field(description="distinct articles stating it")
    independent_support: int = Field(
        description="distinct origins: relays of one interview count once"
    )
    origins: list[str]


class Side(BaseModel):
    article: str
    claim_id: str
    text: str
    evidence: list[Span]


class Discrepancy(BaseModel):
    id: str
    kind: Literal["number", "scope", "date", "attribution"]
    description: str
    a: Side
    b: Side


class Origin(BaseModel):
    id: str
    description: str
    articles: list[str]


class StoryArticle(BaseModel):
    id: str
    outlet: str | None
    url: str | None
    published_at: str | None
    title: str | None
    claims: int


class Story(BaseModel):
    articles: list[StoryArticle]
    entities: list[StoryEntity]
    clusters: list[Cluster] = Field(description="facts stated by two or more articles")
    single_source: list[Cluster] = Field(description="facts only one article states")
    discrepancies: list[Discrepancy]
    origins: list[Origin]
    summary: str
