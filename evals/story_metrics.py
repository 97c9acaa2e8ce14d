"""The story metrics' registry: each scorer factory registers its direction, threshold and
meaning with @story_metric; `summarizer eval story` reads them from STORY_METRICS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evals.scorers import Metric, Score
from evals.story_labels import StoryLabel

StoryJson = dict[str, Any]
StoryScorer = Callable[[StoryLabel, StoryJson], Score]
STORY_METRICS: dict[str, Metric] = {}


def story_metric(direction: str, threshold: float | None, about: str) -> Callable[[Any], Any]:
    def register(factory: Callable[[], StoryScorer]) -> Callable[[], StoryScorer]:
        STORY_METRICS[factory.__name__] = Metric(direction, threshold, about)  # type: ignore[arg-type]
        return factory

    return register
