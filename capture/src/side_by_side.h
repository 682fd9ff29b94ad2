// Blocks printed side by side, such as a letterhead beside an invoice's number and dates.
// Tesseract's single-column reading takes them as one column and joins their lines; where the two
// blocks' lines do not share a baseline it misreads or drops words of both. Such a band of the
// page is read again, each side on its own, and kept when it reads better.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "ocr_engine.h"
#include "quire/common/page.h"

namespace quire::capture {

// A band read again takes the place of its lines: its left column's lines, then its right's, each
// a block. REQUIRES: `words` read from `image`, in OrderLinesTopToBottom's order.
void RereadSideBySide(const cv::Mat& image, int dpi, OcrEngine& engine,
                      std::vector<OcrWord>& words);

}  // namespace quire::capture
