// Stacks of scanned pages for the separation tests: sample pages, separator sheets and blank
// sheets, written as an image-only PDF as a scanner's "scan to folder" writes one.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace quire::testing {

// Page `page` (0-based) of sample-docs/NAME, 8-bit grey.
cv::Mat SamplePage(const std::string& name, int page = 0);

// An A4 sheet at 300 dpi, white with a scanner's faint noise and a few specks of dust (smaller
// than a full stop: cleanup takes dots the size of print for print).
cv::Mat BlankSheet();

// Prints on `page`, its top left corner at `at`, the barcode `text` made by `zint` (the barcode
// type as zint numbers them: 58 QR, 20 Code 128, 71 Data Matrix), `scale` times zint's size.
void PrintBarcode(cv::Mat& page, const std::string& text, int zint_type, int scale, cv::Point at);

// A blank sheet with the barcode `text` in its upper middle.
cv::Mat BarcodeSheet(const std::string& text, int zint_type, int scale = 8);

// A blank sheet with a patch code T (Kodak's separator patch) near its top edge.
cv::Mat PatchTSheet();

// The image-only PDF of `pages`, each a JPEG at 300 dpi.
std::string ImagePdf(const std::vector<cv::Mat>& pages);

}  // namespace quire::testing
