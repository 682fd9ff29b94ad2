#!/usr/bin/env bash
# Fails, naming each file, when a C++ source of quire is not as clang-format writes it
# (.clang-format). Mend one with `clang-format -i FILE`, or your change with `git clang-format`.
# Run by `make test` (CTest: "sources are formatted as .clang-format says").
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=0
while IFS= read -r -d '' file; do
  if ! clang-format --dry-run --Werror "$file" >/dev/null 2>&1; then
    echo "not formatted: $file (clang-format -i $file)"
    unformatted=$((unformatted + 1))
  fi
done < <(find app bench capture common extract index store tests -name node_modules -prune -o \
  \( -name '*.cc' -o -name '*.h' \) -print0 | sort -z)
if [ "$unformatted" -gt 0 ]; then
  echo "$unformatted file(s) not formatted as .clang-format says"
  exit 1
fi
