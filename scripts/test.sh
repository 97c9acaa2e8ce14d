#!/usr/bin/env bash
# The test command: every test, including the ones that run the real embedded model.
#   scripts/test.sh                 all tests
#   scripts/test.sh -m "not model"  only the fast tests (scripted models)
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest "$@"
