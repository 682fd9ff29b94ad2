#include "barcodes.h"

// text() as UTF-8 rather than a wide string (ZXing 1.4 offers both).
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <opencv2/imgproc.hpp>

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
    const cv::Rect around =
        cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
        cv::Rect(0, 0, gray.cols, gray.rows);
    Read(gray(around), ZXing::BarcodeFormat::DataMatrix, 1, /*try_harder=*/false, around.y, 1,
         found);
  }
}

// Patch codes (Kodak's separator patches; ZXing 1.4 reads none): four parallel bars, two wide
// (0.20 in) and two narrow (0.08 in), with narrow spaces (0.08 in) between, at least 2 in long.
// Which bars are wide names the patch, read from the left with the bars upright, or from the top
// with them across (a sheet fed sideways). 1: wide.
struct PatchPattern {
  const char* wide;
  const char* name;
};
constexpr PatchPattern kPatches[] = {{"1100", "PATCH-1"}, {"1001", "PATCH-2"}, {"1010", "PATCH-3"},
                                     {"0110", "PATCH-4"}, {"0011", "PATCH-6"}, {"0101", "PATCH-T"}};
// Bars at least this many times as long as wide (the shortest patch: 2 in of 0.20 in bars is 10),
// and this many pixels long: letters and rules are not bars.
constexpr int kMinBarAspect = 8;
constexpr int kMinBarLength = 60;

bool SimilarLength(const cv::Rect& a, const cv::Rect& b) {
  const int tolerance = std::max(a.height, b.height) / 10 + 2;
  return std::abs(a.y - b.y) <= tolerance && std::abs(a.height - b.height) <= tolerance;
}

// The patch the bars `bars` (left to right) make, or nullptr.
const char* PatchOf(const std::vector<cv::Rect>& bars) {
  int narrow = bars[0].width, wide = bars[0].width;
  for (const cv::Rect& bar : bars) {
    narrow = std::min(narrow, bar.width);
    wide = std::max(wide, bar.width);
  }
  // Wide bars are 2.5 narrow ones; print and thresholds blur that.
  if (wide < 1.8 * narrow || wide > 3.5 * narrow || bars[0].height < 10 * narrow) return nullptr;
  std::string pattern;
  for (size_t i = 0; i < bars.size(); ++i) {
    pattern += 2 * bars[i].width > narrow + wide ? '1' : '0';
    if (i == 0) continue;
    const int space = bars[i].x - bars[i - 1].br().x;
    if (space < narrow / 2 || space > 2 * narrow) return nullptr;
  }
  for (const PatchPattern& patch : kPatches) {
    if (pattern == patch.wide) return patch.name;
  }
  return nullptr;
}

// Whether the bars `patch` have the quiet zones of a patch code on both sides (the spec asks for
// 10 narrow bars' width; 5 are asked here): four bars of a linear barcode do not.
bool QuietAround(const cv::Mat& ink, const std::vector<cv::Rect>& patch) {
  int narrow = patch[0].width;
  for (const cv::Rect& bar : patch) narrow = std::min(narrow, bar.width);
  const int quiet = 5 * narrow;
  const cv::Rect page(0, 0, ink.cols, ink.rows);
  const cv::Rect before = cv::Rect(patch[0].x - quiet, patch[0].y, quiet, patch[0].height) & page;
  const cv::Rect after = cv::Rect(patch[3].br().x + 1, patch[0].y, quiet, patch[0].height) & page;
  // A speck of dust or noise is no bar.
  return cv::countNonZero(ink(before)) * 50 <= before.area() &&
         cv::countNonZero(ink(after)) * 50 <= after.area();
}

// Patch codes on `gray` with their bars upright; `across`: `gray` is the page transposed.
void ReadPatchCodes(const cv::Mat& gray, bool across, std::vector<Found>& found) {
  cv::Mat ink, labels, stats, centroids;
  cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  const int count = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<cv::Rect> bars;
  for (int i = 1; i < count; ++i) {
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    const int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (box.height >= kMinBarLength && box.height >= kMinBarAspect * box.width &&
        area * 10 >= box.area() * 8) {  // solid
      bars.push_back(box);
    }
  }
  std::sort(bars.begin(), bars.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.x < b.x; });
  for (size_t i = 0; i < bars.size(); ++i) {
    std::vector<cv::Rect> patch = {bars[i]};
    for (size_t j = i + 1; j < bars.size() && patch.size() < 4; ++j) {
      if (SimilarLength(bars[i], bars[j]) && bars[j].x > patch.back().br().x) {
        patch.push_back(bars[j]);
      }
    }
    if (patch.size() < 4) continue;
    const char* name = PatchOf(patch);
    if (name != nullptr && QuietAround(ink, patch)) {
      found.push_back({across ? patch[0].x : patch[0].y, name});
      return;  // one patch a way round: a sheet carries one, often printed several times
    }
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
    ReadPatchCodes(gray, /*across=*/false, found);
    ReadPatchCodes(gray.t(), /*across=*/true, found);
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
