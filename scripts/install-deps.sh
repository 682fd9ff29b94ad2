#!/usr/bin/env bash
# Installs the Debian packages quire needs to build, test and run the demo; with `bench`, also
# the peers the benchmarks compare against (tesseract's CLI, OCRmyPDF and its unpaper).
# Non-interactive and idempotent: quiet and quick when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-deu tesseract-ocr-fra
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-photo-dev
  libopencv-ml-dev
  libpoppler-cpp-dev poppler-utils
  librocksdb-dev
  tesseract-ocr catch2 nlohmann-json3-dev libcli11-dev libcpp-httplib-dev libssl-dev
  libicu-dev libstemmer-dev libsqlite3-dev
)
if [ "${1:-}" = bench ]; then
  packages+=(ocrmypdf unpaper)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
