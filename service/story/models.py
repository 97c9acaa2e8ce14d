"""The story view returned to users."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from service.pipeline.models import Span


class StoryEntity(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(description="every surface form seen across the articles")
    articles: list[str]


class Support(BaseModel):
    """One article's support for a cluster: every claim of it that states the fact."""

    article: str = Field(description="article id (its outlet, url host or file name)")
    claim_id: str = Field(description="the article's first claim stating it")
    claim_ids: list[str] = Field(description="all the article's claims stating it")
    text: str
    speaker: str
    evidence: list[Span] = Field(description="the evidence of all those claims")
    origin: str | None = None


class Cluster(BaseModel):
    id: str
    text: str = Field(description="the fact, in the words of its most central claim")
    speaker: str
    numbers: list[str] = Field(
        default_factory=list, description="the figures it states; every supporter states them"
    )
    articles: list[Support]
    support: int = Field(description="distinct articles stating it")
    independent_support: int = Field(
        description="distinct origins: relays of one interview count once"
    )
    origins: list[str]
    parent: str | None = Field(default=None, description="the general cluster it refines")
    specific: list[Cluster] = Field(
        default_factory=list,
        description='the same fact with figures ("up to 40%"), each with its own support',
    )

    @model_validator(mode="after")
    def _one_support_per_article(self) -> Cluster:
        names = [s.article for s in self.articles]
        if len(names) != len(set(names)) or self.support != len(names):
            raise ValueError("an article counts once per cluster")
        return self


class Side(BaseModel):
    article: str
    claim_id: str | None = Field(description="None when the side is a mention, not a claim")
    text: str
    evidence: list[Span]


class Discrepancy(BaseModel):
    id: str
    kind: Literal["denial", "number", "scope", "date", "attribution", "role"] = Field(
        description="denial: one article reports the fact disputed that others state"
    )
    description: str
    a: Side
    b: Side


class Origin(BaseModel):
    id: str
    description: str
    articles: list[str]


class StoryArticle(BaseModel):
    id: str = Field(description="the name the story uses: outlet, URL host, masthead, file")
    outlet: str | None
    named_from: Literal["request", "url", "masthead", "file", "position"] = "request"
    url: str | None
    published_at: str | None
    title: str | None
    claims: int


class SummarySentence(BaseModel):
    text: str
    cluster_ids: list[str] = Field(default_factory=list)
    discrepancy_ids: list[str] = Field(default_factory=list)
    origin_ids: list[str] = Field(default_factory=list)


class Story(BaseModel):
    articles: list[StoryArticle]
    entities: list[StoryEntity]
    clusters: list[Cluster] = Field(description="facts stated by two or more articles")
    single_source: list[Cluster] = Field(description="facts only one article states")
    discrepancies: list[Discrepancy]
    origins: list[Origin]
    summary: str
    summary_sentences: list[SummarySentence] = Field(
        default_factory=list, description="the summary, each sentence with what grounds it"
    )

    @model_validator(mode="after")
    def _summary_grounded(self) -> Story:
        """Like key points: every sentence cites what exists, and names every article of
        each cluster it cites."""
        clusters = {
            c.id: c for top in self.clusters + self.single_source for c in [top, *top.specific]
        }
        discrepancies = {d.id for d in self.discrepancies}
        origins = {o.id for o in self.origins}
        for sentence in self.summary_sentences:
            if (
                not set(sentence.discrepancy_ids) <= discrepancies
                or not set(sentence.origin_ids) <= origins
            ):
                raise ValueError(f"summary sentence cites what the story lacks: {sentence.text}")
            for cid in sentence.cluster_ids:
                if cid not in clusters:
                    raise ValueError(f"summary sentence cites no cluster {cid}")
                missing = [
                    s.article for s in clusters[cid].articles if s.article not in sentence.text
                ]
                if missing:
                    raise ValueError(f"summary sentence on {cid} does not name {missing}")
        return self
