// Batch separation: a stack of pages (a scanner's feeder, a scanner's multi-page "scan to
// folder" PDF or TIFF) split into documents, at separator sheets or every N pages.
//
// A separator sheet is a blank sheet (`blank`) or a sheet carrying the separator barcode
// (`barcode`: QR, Data Matrix, Code 128... whose text is Separation::code, or a patch code T,
// which capture reads as kPatchT). It ends the document before it and is dropped. The split is
// decided on pages as capture read them (PageText::blank, PageText::barcodes), in stack order, so a
// scanner's documents can be stored while the next ones are still being fed.
//
// Thread safety: StackSplitter is used from one thread at a time; the functions are safe from
// several.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quire/capture/capture.h"
#include "quire/common/page.h"
#include "quire/common/status.h"

namespace quire::capture {

// The barcode text capture gives a patch code T (Kodak's "transfer" patch: four bars, narrow,
// wide, narrow, wide), the separator sheet scanners know.
inline constexpr char kPatchT[] = "PATCH-T";

struct Separation {
  enum class Kind {
    kNone,     // the stack is one document
    kBlank,    // a blank sheet ends a document
    kBarcode,  // a sheet with the separator barcode ends a document
    kEvery,    // every `every` pages make a document
  };
  Kind kind = Kind::kNone;

  // kEvery: pages per document. Default: 0 (unused).
  int every = 0;

  // kBarcode: the text of the separator barcode, compared exactly. Default: "QUIRE-SEP".
  std::string code = "QUIRE-SEP";

  // The pages are sheets of two sides, front then back (a duplex scan): a sheet is a separator
  // when both sides are blank (kBlank) or either side carries the code (kBarcode), and is
  // dropped whole. kEvery still counts pages. Default: false.
  bool duplex = false;
};

// "blank", "barcode" or "pages:N" (N >= 1), with the barcode text `code` (for "barcode"; empty
// keeps the default). InvalidArgument saying what to write when `spec` is none of these.
Result<Separation> ParseSeparation(std::string_view spec, const std::string& code = "");

// `separation` as ParseSeparation reads it: "blank", "barcode" or "pages:N"; "" for kNone.
std::string SeparationSpec(const Separation& separation);

// Splits a stack fed page by page, in stack order.
class StackSplitter {
 public:
  explicit StackSplitter(const Separation& separation);

  // Adds the next page of the stack. Returns the document it completes, as 0-based page indices
  // into the stack (separators left out), if it completes one that has pages.
  std::optional<std::vector<int>> Add(const PageText& page);

  // The stack has ended: the document in progress, if it has pages.
  std::optional<std::vector<int>> Finish();

  // Pages dropped as separators so far.
  int separator_pages() const { return separator_pages_; }

 private:
  bool IsSeparator(const PageText& page) const;
  std::optional<std::vector<int>> AddSheet(const std::vector<int>& sides, bool separator);

  const Separation separation_;
  int next_index_ = 0;
  std::optional<int> front_;  // duplex: the front side waiting for its back
  bool front_is_separator_ = false;
  std::vector<int> document_;  // the pages of the document in progress
  int separator_pages_ = 0;
};

// The documents of a whole stack, as StackSplitter gives them.
std::vector<std::vector<int>> SplitStack(const std::vector<PageText>& pages,
                                         const Separation& separation);

// A file of its own holding `pages` (0-based, in order) of the file `bytes`.
struct PagesFile {
  std::string bytes;
  std::string format;  // "pdf" or "tiff"
};

// Copies `pages` of the document file `bytes` into a new file: the PDF pages as they are (their
// text layers and images untouched, and nothing else of the file), or the TIFF pages in their own
// depth and resolution (lossless: CCITT G4 for black and white, Deflate otherwise). A single image
// (PNG, JPEG) can only give its one page, unchanged. The same pages of the same file always give
// the same bytes, so storing a split twice is recognised as a duplicate. InvalidArgument when a
// page is out of range or the file cannot be read.
Result<PagesFile> CopyPages(std::string_view bytes, const std::vector<int>& pages);

// A multi-page TIFF of `pages` (a scanner's pages as a document's original): lossless (Deflate),
// grey or RGB as scanned, at their resolution, each page described (TIFF ImageDescription) as
// `description` + " page N". InvalidArgument when a page's pixels do not match its size.
Result<std::string> EncodeTiff(const std::vector<RawPage>& pages, const std::string& description);

// One scanned page as a TIFF file of its own, as EncodeTiff writes a page, described as
// `description`: a page can be encoded as soon as it is scanned and joined to its document's
// other pages later (JoinTiffs). InvalidArgument when its pixels do not match its size.
Result<std::string> EncodeTiffPage(const RawPage& page, const std::string& description);

// The pages of the TIFF files `files`, in order, as one multi-page TIFF. Each page's compressed
// data and tags are copied as they are (no pixel is decoded or encoded again), so joining costs
// a copy of the bytes. The files must share one byte order, as EncodeTiffPage's do.
// InvalidArgument when a file is not a classic TIFF, is damaged, or points to directories other
// than its pages' (EXIF, sub-images), which are not copied.
Result<std::string> JoinTiffs(const std::vector<std::string>& files);

// A scanned page turned `degrees` clockwise (90, 180 or 270) by a person at the station, with
// what was read on it, so that it needs no second reading: `raw`'s pixels, `text`'s size and word
// boxes (in the image's pixels) and the rotation still needed to read it. Other angles: unchanged.
void TurnScannedPage(int degrees, RawPage& raw, PageText& text);

// TurnScannedPage for a page kept as EncodeTiffPage wrote it: its pixels decoded, turned and
// encoded again with its description. InvalidArgument when `tiff` is not such a page.
Result<std::string> TurnTiffPage(int degrees, const std::string& tiff, PageText& text);

}  // namespace quire::capture
