#!/usr/bin/env bash
# Fetch the public corpora the any-article evals read (never part of the repository: their
# text is third-party) into $SUMMARIZER_CORPORA (default ~/.cache/summarizer/corpora):
#   polnear/  networkdynamics/PolNeAR                 attribution (eval attribution)
#   gap/      google-research-datasets/gap-coreference  pronouns (eval pronouns)
#   bbc/      the BBC news set, from Podginator/Dissertation_final's bbc/ folder (own set, brief)
# Needs git access to GitHub, or MIRROR=<dir> holding <owner>+<name>/repo clones (as the
# workplace's fetch tool leaves them). A corpus already present is left alone.
#   scripts/corpora.sh
set -euo pipefail
DEST="${SUMMARIZER_CORPORA:-$HOME/.cache/summarizer/corpora}"
mkdir -p "$DEST"

source_of() {  # owner/name -> a clone URL or a local mirror
  local mirror="${MIRROR:-}/${1/\//+}/repo"
  if [ -n "${MIRROR:-}" ] && [ -d "$mirror" ]; then echo "$mirror"; else echo "https://github.com/$1.git"; fi
}

fetch() {  # owner/name folder [paths to check out...]
  local repo="$1" folder="$2"; shift 2
  if [ -d "$DEST/$folder" ]; then echo "    $folder: present"; return; fi
  echo "    $folder: $repo"
  git clone -q --no-checkout "$(source_of "$repo")" "$DEST/.$folder.tmp"
  # Only the folders the evals read.
  git -C "$DEST/.$folder.tmp" checkout -q HEAD -- "$@"
  mv "$DEST/.$folder.tmp" "$DEST/$folder"
}

fetch networkdynamics/PolNeAR polnear data/metadata.tsv data/train/text data/train/attributions \
  data/dev/text data/dev/attributions data/test/text data/test/attributions
# PolNeAR's CoreNLP parses (large) give the pronoun-source columns their coreference chains;
# a corpus without them is still scored, those columns then count "no chain".
for split in train dev test; do
  git -C "$DEST/polnear" checkout -q HEAD -- "data/$split/corenlp" 2>/dev/null \
    || echo "    polnear: some CoreNLP parses of $split could not be read (skipped)"
done
fetch google-research-datasets/gap-coreference gap .
if [ ! -d "$DEST/bbc" ]; then
  fetch Podginator/Dissertation_final dissertation bbc
  ln -s dissertation/bbc "$DEST/bbc"
fi
echo "corpora in $DEST"
