#!/usr/bin/env bash
# Installs the Debian packages quire needs to build, test and run the demo (PDF, scanning and
# barcodes, the Redis broker and its server among them; Pillow, with which the PDF tests and
# scripts/make-sample-docs.py draw their images), and the npm packages
# of the station's browser tests; with `bench`, also the peers the benchmarks compare against
# (tesseract's CLI, OCRmyPDF and its unpaper).
# Non-interactive and idempotent: quiet and quick when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format
  libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-deu tesseract-ocr-fra
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-photo-dev
  libopencv-ml-dev
  libpoppler-cpp-dev poppler-utils
  librocksdb-dev
  tesseract-ocr catch2 nlohmann-json3-dev libcli11-dev libcpp-httplib-dev libssl-dev
  libicu-dev libstemmer-dev libsqlite3-dev
  chromium nodejs
  libpodofo-dev qpdf libqpdf-dev liblcms2-dev
  libzxing-dev libsane-dev sane-utils zint
  libhiredis-dev redis-server
  python3-pil
)
# Debian's npm, unless nodejs came from elsewhere with its own npm (NodeSource's conflicts with it).
command -v npm >/dev/null || packages+=(npm)
if [ "${1:-}" = bench ]; then
  packages+=(ocrmypdf unpaper)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The station's tests: Playwright from tests/web/package-lock.json (it drives the chromium above;
# no browser download), installed again only when the lockfile changed.
cd "$(dirname "$0")/../tests/web"
if ! sha256sum --status -c node_modules/.package-lock.sha256 2>/dev/null; then
  echo "Installing the station's test packages (npm ci in tests/web)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null
  sha256sum package-lock.json > node_modules/.package-lock.sha256
fi
