#!/usr/bin/env bash
# The test command: lint, format and strict typing first (CI enforces them), then every test,
# including the ones that run the real embedded model.
#   scripts/test.sh                 all tests
#   scripts/test.sh -m "not model"  only the fast tests (scripted models)
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy  # strict, as configured in pyproject.toml
exec .venv/bin/python -m pytest "$@"
