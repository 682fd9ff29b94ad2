// OcrEngine on Tesseract: one TessBaseAPI, created once and reused for every page the owning
// worker reads.
#pragma once

#include <memory>
#include <string>

#include "ocr_engine.h"

namespace quire::capture {

// Fails when the language data cannot be loaded; the message names the Debian package to install.
Result<std::unique_ptr<OcrEngine>> CreateTesseractEngine(const std::string& language);

}  // namespace quire::capture
