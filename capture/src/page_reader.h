// One page job: clean the page image (unless told not to), read it, and map the words back onto
// the page as decoded. Runs on a worker thread with that worker's engine.
#pragma once

#include <atomic>
#include <optional>
#include <vector>

#include "cleanup.h"
#include "ocr_engine.h"
#include "page_source.h"
#include "quire/capture/capture.h"

namespace quire::capture {

// The most bytes of cleaned page images a document keeps (CapturedDocument::cleaned): a
// receipt's page or a few of an invoice's, not the whole of a long document, which capture never
// holds in memory at once.
inline constexpr int64_t kKeptCleanBytes = 32 << 20;

// capture.h's CleanedPages: the cleaned images of a document's pages, by page index.
class CleanedPages {
 public:
  explicit CleanedPages(int page_count) : pages_(page_count) {}

  // Keeps `page` as page `index`'s while the budget lasts. Pages of other indexes may be kept
  // from other threads at the same time.
  void Keep(int index, CleanPage page);
  // Page `index` as kept, or null.
  const CleanPage* Find(int index) const;

 private:
  std::vector<std::optional<CleanPage>> pages_;
  std::atomic<int64_t> bytes_ = 0;
};

// Never throws: a page that cannot be read comes back with `error` set. With `kept`, the image
// the page was read from is kept there (not for a blank page or one that failed).
PageText ReadPage(const PageImage& image, int index, const CaptureOptions& options,
                  OcrEngine& engine, CleanedPages* kept = nullptr);

}  // namespace quire::capture
