"""Request limits and shared names, one definition for every door: the CLI, the API bodies,
jobs and the evals read them here.

- A summary's length in words: 10 to 300, 40 when not asked for.
- A story compares 2 to 10 articles (a job of single summaries takes up to 50).
- The attribution cues a claim's speaker is credited by, and those that credit someone
  other than the outlet.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

MIN_WORDS = 10
MAX_WORDS = 300
DEFAULT_MAX_WORDS = 40
MaxWords = Annotated[int, Field(ge=MIN_WORDS, le=MAX_WORDS)]

MIN_STORY_ARTICLES = 2
MAX_STORY_ARTICLES = 10
MAX_JOB_ARTICLES = 50

Cue = Literal["quote", "said", "according_to", "narration", "unattributed"]
CUES: tuple[Cue, ...] = get_args(Cue)
REPORTED_CUES: frozenset[Cue] = frozenset({"quote", "said", "according_to"})


def words_in_range(words: int) -> bool:
    return MIN_WORDS <= words <= MAX_WORDS
