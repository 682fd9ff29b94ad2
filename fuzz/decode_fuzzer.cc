// Feeds arbitrary bytes to the decoders and decodes every page they accept. Small limits keep
// each run fast; what the limits refuse is reported as a Status, which is fine: the target looks
// for crashes, hangs, leaks and memory errors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "page_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const quire::capture::DecodeLimits limits{.max_pixels = 4'000'000, .max_pages = 4, .pdf_dpi = 50};
  quire::Result<quire::capture::OpenedDocument> document =
      quire::capture::OpenDocument(bytes, limits);
  if (!document.ok()) return 0;
  for (int i = 0; i < document->pages->page_count(); ++i) {
    quire::Result<quire::capture::DecodedPage> page = document->pages->Decode(i);
    (void)page.ok();
  }
  return 0;
}
