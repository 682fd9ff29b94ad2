#include "barcodes.h"

// text() as UTF-8 rather than a wide string (ZXing 1.4 offers both).
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <exception>

namespace quire::capture {

namespace {

using ZXing::BarcodeFormat;

struct Found {
  int top;
  std::string text;
};

// ZXing 1.4 finds a Data Matrix only where the middle of the image it is given falls on the
// code, so each dark square blob of the page (modules closed into one by kModuleGap) is read on
// its own, at most kMaxDataMatrixTries of them, between these sizes in pixels.
constexpr int kModuleGap = 9;
constexpr int kMinDataMatrix = 40;
constexpr int kMaxDataMatrix = 1200;
constexpr int kMaxDataMatrixTries = 64;

ZXing::ImageView View(const cv::Mat& gray) {
  return ZXing::ImageView(gray.data, gray.cols, gray.rows, ZXing::ImageFormat::Lum,
                          static_cast<int>(gray.step));
}

// `gray` lies on the page from row `offset_y` down, at 1/`scale` of its size: what the codes'
// places on the page are worked out from, to sort them top to bottom.
void Read(const cv::Mat& gray, ZXing::BarcodeFormats formats, int max_symbols, bool try_harder,
          int offset_y, int scale, std::vector<Found>& found) {
  ZXing::DecodeHints hints;
  hints.setFormats(formats);
  hints.setTryHarder(try_harder);
  hints.setTryRotate(true);  // a sheet fed sideways or upside down
  hints.setMaxNumberOfSymbols(max_symbols);
  for (const ZXing::Result& result : ZXing::ReadBarcodes(View(gray), hints)) {
    if (!result.isValid()) continue;
    const ZXing::Position& corners = result.position();
    int top = corners[0].y;
    for (int i = 1; i < 4; ++i) top = std::min(top, corners[i].y);
    found.push_back({offset_y + scale * top, result.text()});
  }
}

void ReadDataMatrices(const cv::Mat& gray, std::vector<Found>& found) {
  cv::Mat ink;
  cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::morphologyEx(ink, ink, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kModuleGap, kModuleGap)));
  std::vector<std::vector<cv::Point>> blobs;
  cv::findContours(ink, blobs, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  int tries = 0;
  for (const std::vector<cv::Point>& blob : blobs) {
    const cv::Rect box = cv::boundingRect(blob);
    const int small = std::min(box.width, box.height), large = std::max(box.width, box.height);
    // Square, or a rectangular Data Matrix (up to 1:4, 16x48 modules).
    if (small < kMinDataMatrix || large > kMaxDataMatrix || large > 4 * small) continue;
    if (++tries > kMaxDataMatrixTries) break;
    const int margin = small / 2;
    const cv::Rect around = cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin,
                                     box.height + 2 * margin) &
                            cv::Rect(0, 0, gray.cols, gray.rows);
    Read(gray(around), ZXing::BarcodeFormat::DataMatrix, 1, /*try_harder=*/false, around.y, 1,
         found);
  }
}

}  // namespace

std::vector<std::string> ReadBarcodes(const cv::Mat& gray) {
  if (gray.empty() || gray.type() != CV_8UC1) return {};
  std::vector<Found> found;
  try {
    Read(gray,
         BarcodeFormat::QRCode | BarcodeFormat::MicroQRCode | BarcodeFormat::Aztec |
             BarcodeFormat::PDF417,
         /*max_symbols=*/255, /*try_harder=*/true, 0, 1, found);
    ReadDataMatrices(gray, found);
    // ZXing 1.4 asserts when it merges two readings of one linear code, which looking for more
    // than one does: one linear code per page.
    Read(gray,
         BarcodeFormat::Code128 | BarcodeFormat::Code39 | BarcodeFormat::Code93 |
             BarcodeFormat::EAN13 | BarcodeFormat::EAN8 | BarcodeFormat::UPCA | BarcodeFormat::UPCE,
         /*max_symbols=*/1, /*try_harder=*/true, 0, 1, found);
  } catch (const std::exception&) {  // std::bad_alloc; ZXing reports no other errors
    return {};
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const Found& a, const Found& b) { return a.top < b.top; });
  std::vector<std::string> texts;
  for (Found& f : found) texts.push_back(std::move(f.text));
  return texts;
}

}  // namespace quire::capture
