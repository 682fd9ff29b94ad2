#!/usr/bin/env bash
# Trains the form model, extract/model/forms.yml, from the funsd-dev forms and their annotators'
# pairs, and prints its 5-fold cross-validation (train on four fifths, score the fifth as
# `quire eval fields` does, the mean over the folds). The forms are read once with
# `quire ocr --json` into a cache folder, reused after. Rebuild quire afterwards to compile the
# new model in. Not part of `make test`.
#
#   scripts/train-forms.sh [--cv-only] [DATA [CACHE]]
#
# DATA: default ../shared/data/funsd-dev; CACHE: default /tmp/quire-funsd-ocr. --cv-only measures
# without writing the model.
set -euo pipefail
cd "$(dirname "$0")/.."
out=(--out extract/model/forms.yml)
if [ "${1:-}" = "--cv-only" ]; then out=(); shift; fi
data=${1:-../shared/data/funsd-dev}
cache=${2:-/tmp/quire-funsd-ocr}
cmake --build build -j2 --target quire train_forms
mkdir -p "$cache"
for image in "$data"/*.png; do
  name=$(basename "${image%.*}")
  [ -f "$data/$name.truth.json" ] || continue
  ln -sf "$(realpath "$data/$name.truth.json")" "$cache/$name.truth.json"
  [ -s "$cache/$name.ocr.json" ] && continue
  build/quire ocr --json "$image" > "$cache/$name.ocr.json.part"
  mv "$cache/$name.ocr.json.part" "$cache/$name.ocr.json"
done
build/extract/train_forms --folds 5 --threshold 0.2 "${out[@]}" "$cache"
