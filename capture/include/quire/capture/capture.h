// Capture: from the bytes of a file to the text of its pages.
//
// A Capturer decodes PNG, JPEG, TIFF (every page) and PDF (Poppler: a page with a real text layer
// is read as it is, a scanned page is rendered), cleans each page image with OpenCV, and reads it
// with Tesseract. It owns a pool of worker threads, each with one Tesseract engine created once
// (OMP_THREAD_LIMIT=1), so pages are read in parallel across cores.
//
// Thread safety: Capture() may be called from several threads at once; the pages of all calls
// share the worker pool. A Capturer must outlive every call in progress.
//
// Reading on other machines: with CaptureOptions::remote set, the pages are handed to a
// RemotePageReader as PageJobs instead of being read here, and `quire worker` reads each job with
// Capturer::ReadJob, which is the code Capture() uses for a page here. Decoding, PDF text layers
// and the choice of language stay with the caller, so a document reads as it would locally.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quire/common/page.h"
#include "quire/common/region_reader.h"
#include "quire/common/status.h"

namespace quire::capture {

// A page to read on another machine: a one-page image file and how to read it.
struct PageJob {
  // A one-page PNG or JPEG: the original file when the document is one (not decoded here at
  // all), else the page as decoded here, as a PNG (lossless: the worker reads the same pixels).
  std::string image;
  int index = 0;         // the page's number in its document, from 0
  int dpi = 0;           // the page's resolution when `image` does not carry it; 0: as it says
  std::string language;  // Tesseract language(s) to read it with; never "auto"
};

// Reads page jobs elsewhere (`quire worker` processes, through a broker).
// Thread safety: Read() is called from several threads at once.
class RemotePageReader {
 public:
  virtual ~RemotePageReader() = default;
  // Hands `job` over and calls `done` once, from any thread, with the page as read, or with a
  // status that fails the whole document (the image cannot be decoded, or no worker could read
  // the page).
  virtual void Read(PageJob job, std::function<void(Result<PageText>)> done) = 0;
};

struct CaptureOptions {
  // Worker threads, each with its own Tesseract engine.
  // Default: 0, meaning one per core.
  int jobs = 0;

  // Clean page images with OpenCV before OCR (orientation, deskew, background, binarization...).
  // Default: true. `quire ocr --raw` turns it off to compare with plain Tesseract.
  bool cleanup = true;

  // Tesseract language(s), e.g. "eng" or "deu+eng", or "auto": read each page in English, guess
  // the document's language from common words of the whole document, and read a German or French
  // document again with its own language first ("deu+eng", "fra+eng"; Tesseract favours the
  // first). English documents are read once; a German or French one costs a second reading.
  // When the language data is missing, the English reading is kept and `on_warning` says once
  // which package to install. Each page records the language it was read with.
  // Default: "auto".
  std::string language = "auto";

  // Resolution at which scanned PDF pages are rendered, in dots per inch.
  // Default: 300.
  int pdf_dpi = 300;

  // When non-empty, the image after each cleanup step is written to this folder as
  // PAGE-STEP.png, so a person can see what each step did.
  // Default: empty (nothing written).
  std::string debug_dir;

  // Images with more pixels than this are refused (decompression bombs, 30000x30000 scans).
  // Default: 150 million pixels (a 300 dpi A0 page is about 140 million).
  int64_t max_pixels = 150'000'000;

  // Documents with more pages than this are refused.
  // Default: 1000.
  int max_pages = 1000;

  // Told of a problem that does not stop a capture, such as a language whose data is missing.
  // Called once per problem for the Capturer's life, from any thread.
  // Default: empty, meaning the message is written to stderr.
  std::function<void(const std::string& message)> on_warning;

  // When set, pages are read by it instead of by Tesseract here, and no engine is made here;
  // `jobs` is then the number of documents read at once (0: 16), each with at most 8 of its
  // pages handed over at a time. It must outlive the Capturer.
  // Default: null (pages are read on this machine's worker threads).
  std::shared_ptr<RemotePageReader> remote;
};

// The page images of one document as capture cleaned and read them, kept for a second look at
// them (OpenRegionReader), which otherwise decodes and cleans each page again. Opaque.
class CleanedPages;

struct CapturedDocument {
  std::string format;  // "png", "jpeg", "tiff", "pdf"
  std::vector<PageText> pages;
  // The pages read here, cleaned, while they fit in kKeptCleanBytes (the first few pages of a
  // long document); null when pages were read remotely.
  std::shared_ptr<const CleanedPages> cleaned;
};

// A page handed over as pixels, as a scanner delivers it: rows of 8-bit grey (1 channel) or RGB
// (3 channels) samples, each row `width * channels` bytes.
struct RawPage {
  int width = 0;
  int height = 0;
  int channels = 1;
  int dpi = 0;  // 0 when unknown
  std::string pixels;
};

// Called from worker threads as pages finish: (pages done, pages in the document).
using PageProgress = std::function<void(int done, int total)>;

class Capturer {
 public:
  // Fails when Tesseract cannot start (language data missing: the message says which package).
  static Result<std::unique_ptr<Capturer>> Create(const CaptureOptions& options);
  virtual ~Capturer() = default;

  // Reads every page of the file whose whole contents are `bytes`; the format is recognised from
  // the bytes. A page that fails OCR is kept with its `error` set; a file that cannot be decoded
  // at all gives a non-OK status that says why (the caller names the file in its message).
  virtual Result<CapturedDocument> Capture(std::string_view bytes,
                                           const PageProgress& progress = {}) = 0;

  // Reads one page job as Capture() reads that page here (`quire worker`). Blocks until read;
  // may be called from several threads at once. A page that fails OCR comes back with `error`
  // set; an image that cannot be decoded gives a non-OK status that says why, as Capture() would.
  virtual Result<PageText> ReadJob(const PageJob& job) = 0;

  // Reads one page image, as Capture reads a page of a file, on the worker pool; blocks until it
  // is read. Under language "auto" the page is read in English (the document's language needs
  // all of its pages). A page that cannot be read comes back with `error` set.
  virtual PageText ReadImage(const RawPage& page) = 0;

  // The number of worker threads; with `remote`, of documents read at once.
  virtual int jobs() const = 0;
};

// A second look at the pages of the file whose contents are `bytes`, as `pages` (what Capture
// made of it) were read: a page is taken from `cleaned` (CapturedDocument::cleaned; may be
// null), or else decoded and cleaned again, when a region of it is first asked for, and each
// region is read alone by Tesseract as one line: a figure in English, with the characters of its
// kind only; text in the languages its page was read in. Pages without an image to read (text
// layer, blank, failed) read as nothing.
// REQUIRES: `bytes` and `pages` outlive the reader, which keeps views of them, not copies (a
// scanned file may be tens of megabytes).
std::unique_ptr<RegionReader> OpenRegionReader(
    std::string_view bytes, const std::vector<PageText>& pages, const CaptureOptions& options,
    std::shared_ptr<const CleanedPages> cleaned = nullptr);

// Checks `bytes` against the page and pixel limits of `options` from the file's headers, without
// decoding a pixel, so that a server can refuse an upload at once. ResourceExhausted, with the
// message capture would give, when over a limit; OK otherwise, also for a file capture cannot
// read at all (capturing it says why).
Status CheckLimits(std::string_view bytes, const CaptureOptions& options);

// The versions of the libraries capture reads with: "Tesseract 5.3.0, Leptonica 1.82.0, OpenCV
// 4.6.0" (quire --version; a page's words depend on them).
std::string EngineVersions();

}  // namespace quire::capture
