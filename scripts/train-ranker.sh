#!/usr/bin/env bash
# Trains extraction's ranking model, extract/model/ranker.yml, from the documents listed in
# extract/model/train-list.txt: the SROIE training receipts' page files and the sample documents
# (read once with `quire ocr --json` into build/ranker-pages/, reused after). Rebuild quire
# afterwards to compile the new model in. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build -j2 --target quire train_ranker
pages=build/ranker-pages/sample-docs
mkdir -p "$pages"
for file in sample-docs/*; do
  name=$(basename "${file%.*}")
  case "$file" in *.png|*.jpg|*.tif|*.pdf) ;; *) continue ;; esac
  [ -f "sample-docs/$name.truth.json" ] || continue
  ln -sf "$PWD/sample-docs/$name.truth.json" "$pages/$name.truth.json"
  [ -s "$pages/$name.ocr.json" ] || build/quire ocr --json "$file" > "$pages/$name.ocr.json"
done
build/extract/train_ranker --date-order DMY extract/model/train-list.txt extract/model/ranker.yml
