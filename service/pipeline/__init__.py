"""One article to one result: clean → sentences → claims (parsed, attributed, standalone,
atomic; `claims.py`) → rank → summary (the one model call; `summarize.py`) → entities."""
