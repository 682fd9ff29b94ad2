// The OCR engine seam: one page image in, words with boxes and confidences out.
//
// An engine is used by one thread at a time; the worker pool gives each worker its own. Tests can
// put a fake behind this interface to inject failures.
#pragma once

#include <functional>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "quire/common/page.h"
#include "quire/common/status.h"

namespace quire::capture {

class OcrEngine {
 public:
  virtual ~OcrEngine() = default;

  // Reads an 8-bit, one-channel image (grayscale or binary). `dpi` is the resolution the text is
  // printed at in this image. Words come in reading order with `block` and `line` numbered from 0,
  // boxes in the pixels of `image`.
  virtual Result<std::vector<OcrWord>> Recognize(const cv::Mat& image, int dpi) = 0;
};

// Makes an engine for Tesseract language(s) such as "eng" or "deu+eng"; fails when the language
// data is missing, with a message that names the package to install.
using OcrEngineFactory =
    std::function<Result<std::unique_ptr<OcrEngine>>(const std::string& language)>;

}  // namespace quire::capture
