// The Capturer over any OcrEngine, so a test can count the readings or make a language fail.
#pragma once

#include <memory>

#include "ocr_engine.h"
#include "quire/capture/capture.h"

namespace quire::capture {

// Capturer::Create with `make_engine` in place of Tesseract.
Result<std::unique_ptr<Capturer>> CreateCapturer(const CaptureOptions& options,
                                                 const OcrEngineFactory& make_engine);

}  // namespace quire::capture
