#include "page_reader.h"

#include <exception>

#include "barcodes.h"
#include "checkboxes.h"
#include "cleanup.h"
#include "page_layout.h"
#include "side_by_side.h"

namespace quire::capture {
namespace {

int64_t Bytes(const CleanPage& page) {
  return static_cast<int64_t>(page.image.total() * page.image.elemSize());
}

// Under this mean confidence a page may be upside down. Upright pages of our samples and of real
// receipts read at 58 or more, the same pages upside down at 40 or less.
constexpr double kUprightConfidence = 50;

// Reads the page; if it reads badly, also upside down, and keeps the better reading.
Result<std::vector<OcrWord>> ReadUpright(CleanPage& clean, OcrEngine& engine) {
  Result<std::vector<OcrWord>> words = engine.Recognize(clean.image, clean.dpi);
  if (!words.ok() || MeanConfidence(*words) >= kUprightConfidence) return words;
  CleanPage turned = TurnUpsideDown(clean);
  Result<std::vector<OcrWord>> turned_words = engine.Recognize(turned.image, turned.dpi);
  if (!turned_words.ok() || MeanConfidence(*turned_words) <= MeanConfidence(*words)) return words;
  clean = std::move(turned);
  return turned_words;
}

void Read(const PageImage& image, int index, const CaptureOptions& options, OcrEngine& engine,
          PageText& page, CleanedPages* kept) {
  CleanPage clean =
      options.cleanup ? CleanUp(image, DebugImages{options.debug_dir, index}) : Uncleaned(image);
  if (clean.blank) {
    page.blank = true;
    return;
  }
  Result<std::vector<OcrWord>> words =
      options.cleanup ? ReadUpright(clean, engine) : engine.Recognize(clean.image, clean.dpi);
  if (!words.ok()) {
    page.error = words.status().message();
    return;
  }
  // Ordered on the upright, levelled image, before the boxes go back onto the page as handed in.
  if (options.cleanup) {
    OrderLinesTopToBottom(*words);
    RereadSideBySide(clean.image, clean.dpi, engine, *words);
    ReadCheckboxes(clean.image, *words);
  }
  page.rotation = clean.rotation;
  page.skew = clean.skew;
  for (OcrWord& word : *words) {
    word.box = ToOriginal(word.box, clean.to_original, image.gray.size());
  }
  page.words = std::move(*words);
  page.text = JoinWords(page.words);
  if (kept != nullptr) kept->Keep(index, std::move(clean));
}

}  // namespace

void CleanedPages::Keep(int index, CleanPage page) {
  if (pages_[index]) {  // read again in the document's own language
    bytes_ -= Bytes(*pages_[index]);
    pages_[index].reset();
  }
  const int64_t size = Bytes(page);
  if (bytes_.fetch_add(size) + size > kKeptCleanBytes) {
    bytes_ -= size;
    return;
  }
  pages_[index] = std::move(page);
}

const CleanPage* CleanedPages::Find(int index) const {
  if (index < 0 || index >= static_cast<int>(pages_.size()) || !pages_[index]) return nullptr;
  return &*pages_[index];
}

PageText ReadPage(const PageImage& image, int index, const CaptureOptions& options,
                  OcrEngine& engine, CleanedPages* kept) {
  PageText page;
  page.width = image.gray.cols;
  page.height = image.gray.rows;
  page.dpi = image.dpi;
  try {
    // On the page as decoded, so a separator sheet's code is read even when cleanup calls the
    // sheet blank.
    page.barcodes = ReadBarcodes(image.gray);
    Read(image, index, options, engine, page, kept);
  } catch (const std::exception& e) {  // cv::Exception, std::bad_alloc
    page.error = std::string("the page could not be read: ") + e.what();
  }
  return page;
}

}  // namespace quire::capture
