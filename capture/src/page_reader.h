// One page job: clean the page image (unless told not to), read it, and map the words back onto
// the page as decoded. Runs on a worker thread with that worker's engine.
#pragma once

#include "ocr_engine.h"
#include "page_source.h"
#include "quire/capture/capture.h"

namespace quire::capture {

// Never throws: a page that cannot be read comes back with `error` set.
PageText ReadPage(const PageImage& image, int index, const CaptureOptions& options,
                  OcrEngine& engine);

}  // namespace quire::capture
