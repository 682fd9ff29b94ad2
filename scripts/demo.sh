#!/usr/bin/env bash
# The demo: ingests sample-docs/ into a fresh archive, then shows what quire can do with it.
# Usage: scripts/demo.sh QUIRE_BINARY ARCHIVE_DIR
set -euo pipefail
quire=$1
archive=$2

rm -rf "$archive"
echo "== quire ingest sample-docs/ (archive: $archive)"
"$quire" --archive "$archive" ingest sample-docs/ || true   # a failed file is reported, not fatal

echo
echo "== quire list (newest first, first 10)"
"$quire" --archive "$archive" list | awk "NR <= 10"   # awk reads to the end: no SIGPIPE

for query in 'invoice total' 'rechnung~' 'type:receipt'; do
  echo
  echo "== quire search '$query'"
  "$quire" --archive "$archive" search --limit 3 "$query"
done

echo
echo "== quire stats"
"$quire" --archive "$archive" stats
echo
echo "Try: $quire --archive $archive show ID   (an id from the list above)"

# On a terminal, the demo ends in the station: a demo login, and the server until Ctrl-C.
if [ -t 0 ] && [ -t 1 ]; then
  printf '%s\n' demo-password | "$quire" --archive "$archive" user add demo --role admin --password-stdin
  echo
  echo "== quire serve: open the address below in a browser, log in as demo / demo-password"
  echo "   (Ctrl-C stops the server)"
  exec "$quire" --archive "$archive" serve --listen 127.0.0.1:8080
fi
