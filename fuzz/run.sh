#!/bin/sh
# `make fuzz`: builds the libFuzzer targets with clang and runs each for FUZZ_SECONDS (default 600),
# starting from a seed corpus made from sample-docs/. Crashing inputs are written to fuzz/crashes/.
set -eu
cd "$(dirname "$0")/.."
BUILD=${FUZZ_BUILD:-build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-600}

# libFuzzer's runtime is not in scripts/install-deps.sh: only this target needs it.
if [ ! -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ] &&
   ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  apt-get install -y clang-14 libclang-rt-14-dev
fi
CC=clang-14 CXX=clang++-14 cmake -S fuzz -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target fuzz_decode fuzz_query fuzz_records fuzz_postings fuzz_seeds \
  -j "${JOBS:-$(nproc)}"

# Seeds: every sample document for the decoders, typical queries plus sample field values for the
# parser, and the stored records of documents made from the samples' truth files for the record
# and index readers. The corpus folders keep what the fuzzer finds, so later runs start further on.
mkdir -p "$BUILD/corpus/decode" "$BUILD/corpus/query" fuzz/crashes
for f in sample-docs/*.png sample-docs/*.jpg sample-docs/*.tif sample-docs/*.tiff sample-docs/*.pdf; do
  [ -e "$f" ] && cp -n "$f" "$BUILD/corpus/decode/"
done
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%s' "$line" >"$BUILD/corpus/query/seed-$n"
done <fuzz/query_seeds.txt
"$BUILD/fuzz_seeds" sample-docs "$BUILD/corpus/records" "$BUILD/corpus/postings"

# Poppler's fontconfig keeps a cache for the life of the process, which LeakSanitizer reports at
# exit; it is not a leak per input.
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
run() {
  "$BUILD/$1" -max_total_time="$SECONDS_EACH" -rss_limit_mb=4096 -timeout=30 \
    -artifact_prefix="fuzz/crashes/$1-" $2 "$BUILD/corpus/$3" || echo "$1 found a problem: see fuzz/crashes/"
}
run fuzz_decode "-max_len=1048576" decode
run fuzz_query "-max_len=256 -dict=fuzz/query.dict" query
run fuzz_records "-max_len=16384" records
run fuzz_postings "-max_len=4096" postings
