// Page images for a viewer: a page of an original as decoded (before cleanup, so the word boxes
// of PageText fall on it), scaled and encoded for a browser.
//
// Thread safety: RenderPageImage may be called from several threads at once.
#pragma once

#include <string>
#include <string_view>

#include "quire/capture/capture.h"
#include "quire/common/status.h"

namespace quire::capture {

struct PageImageFile {
  std::string bytes;         // the encoded image
  std::string content_type;  // "image/jpeg"
  int width = 0;             // as encoded
  int height = 0;
};

// Page `page` (0-based) of the document whose file is `original`, turned `rotation` degrees
// clockwise (0, 90, 180 or 270: a page's PageText::rotation shows it upright), then scaled to
// `width` pixels wide with its aspect kept (0: as decoded; never enlarged), as a grey JPEG. A PDF
// page with a text layer is rendered too. NotFound when the document has no such page;
// InvalidArgument when the original cannot be decoded (options give the limits and the PDF
// resolution, as for capture) or the rotation is not one of those four.
Result<PageImageFile> RenderPageImage(std::string_view original, int page, int width,
                                      const CaptureOptions& options, int rotation = 0);

}  // namespace quire::capture
