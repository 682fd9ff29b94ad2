// Barcodes on a page image, read with ZXing: separator sheets, archive serial numbers, and any
// code a person may want to search for.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace quire::capture {

// The text of every barcode on `gray` (8-bit grayscale), top to bottom: QR and Micro QR, Data
// Matrix, Aztec, PDF417 (any number), and one linear code (Code 128, Code 39, Code 93, EAN/UPC).
// ITF and Codabar are left out: without a check digit they are read into lines of ordinary
// print. A patch code (Kodak's separator patches) is given as "PATCH-1", "-2", "-3", "-4", "-6"
// or "PATCH-T". Never throws.
std::vector<std::string> ReadBarcodes(const cv::Mat& gray);

}  // namespace quire::capture
