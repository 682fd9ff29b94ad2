// The Capturer: decodes on the calling thread, reads pages on the shared worker pool.
#include "capturer.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <set>
#include <thread>

#include "image_codec.h"
#include "language.h"
#include "page_reader.h"
#include "page_source.h"
#include "tesseract_engine.h"
#include "worker_pool.h"

namespace quire::capture {
namespace {

// Decoded pages waiting for a worker, per worker: enough to keep every worker busy while the
// calling thread decodes, few enough that a long document never sits in memory whole.
constexpr int kQueuedPagesPerWorker = 2;

// With a remote reader: documents read at once unless told, and pages of one document handed over
// at a time (the window keeps several workers on one long document, and its images out of memory).
constexpr int kRemoteDocuments = 16;
constexpr int kRemotePagesPerDocument = 8;

// The language option that reads in English first and again in the document's own language.
constexpr char kAutoLanguage[] = "auto";
constexpr char kEnglish[] = "eng";

// The language every page is read with first.
std::string FirstLanguage(const CaptureOptions& options) {
  return options.language == kAutoLanguage ? kEnglish : options.language;
}

// A scanner's pixels as the 8-bit grey image capture reads.
Status ToGray(const RawPage& raw, cv::Mat& gray) {
  if (raw.width <= 0 || raw.height <= 0 || (raw.channels != 1 && raw.channels != 3) ||
      raw.pixels.size() != static_cast<size_t>(raw.width) * raw.height * raw.channels) {
    return Status::InvalidArgument("the page's pixels do not match its size (" +
                                   std::to_string(raw.width) + " x " + std::to_string(raw.height) +
                                   "): scan it again");
  }
  const cv::Mat pixels(raw.height, raw.width, raw.channels == 1 ? CV_8UC1 : CV_8UC3,
                       const_cast<char*>(raw.pixels.data()));
  if (raw.channels == 1) {
    gray = pixels.clone();
  } else {
    cv::cvtColor(pixels, gray, cv::COLOR_RGB2GRAY);
  }
  return Status::Ok();
}

Status CheckOptions(const CaptureOptions& options) {
  if (options.jobs < 0) return Status::InvalidArgument("jobs must be 0 (one per core) or more");
  if (options.pdf_dpi < 50 || options.pdf_dpi > 1200) {
    return Status::InvalidArgument("pdf_dpi must be between 50 and 1200 (300 reads best)");
  }
  if (options.max_pixels <= 0 || options.max_pages <= 0) {
    return Status::InvalidArgument("max_pixels and max_pages must be positive");
  }
  return Status::Ok();
}

// The folder for the cleanup's step images, made if missing.
Status MakeDebugDir(const std::string& dir) {
  if (dir.empty()) return Status::Ok();
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return Status::InvalidArgument("cannot make the debug folder " + dir + ": " + error.message());
  }
  return Status::Ok();
}

// PNG and JPEG files hold one page, which a worker decodes from the file itself.
bool IsImageFile(const std::string& format) { return format == "png" || format == "jpeg"; }

// The page as decoded, as a lossless PNG for a remote reader. Compression level 1: text pages
// shrink nearly as much as at the default level, in a fraction of the time.
Result<PageJob> EncodeJob(const PageImage& image, int index, const std::string& language) {
  Result<std::string> png = EncodePng(image.gray, 1);
  if (!png.ok()) {
    return Status::Internal("page " + std::to_string(index + 1) +
                            " cannot be encoded for a worker: " + png.status().message());
  }
  return PageJob{std::move(*png), index, image.dpi, language};
}

// The first failure a remote reader reports for a document, which fails the document.
class FirstFailure {
 public:
  void Set(const Status& status) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status_.ok()) status_ = status;
  }
  Status Get() {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
  }

 private:
  std::mutex mutex_;
  Status status_;  // guarded by mutex_
};

class PooledCapturer : public Capturer {
 public:
  // `pool` is null when options.remote reads the pages.
  PooledCapturer(const CaptureOptions& options, std::unique_ptr<WorkerPool> pool)
      : options_(options), pool_(std::move(pool)) {}

  Result<CapturedDocument> Capture(std::string_view bytes, const PageProgress& progress) override {
    DecodeLimits limits{options_.max_pixels, options_.max_pages, options_.pdf_dpi};
    QUIRE_ASSIGN_OR_RETURN(OpenedDocument opened, Open(bytes, limits));
    CapturedDocument doc;
    doc.format = opened.format;
    const Document document{bytes, doc.format, *opened.pages};
    std::shared_ptr<CleanedPages> cleaned;
    if (!options_.remote) cleaned = std::make_shared<CleanedPages>(opened.pages->page_count());
    Status status = ReadPages(document, progress, doc.pages, cleaned.get());
    if (!status.ok()) return status;
    if (options_.language == kAutoLanguage) {
      QUIRE_RETURN_IF_ERROR(ReadInOwnLanguage(document, doc.pages, cleaned.get()));
    }
    doc.cleaned = std::move(cleaned);
    return doc;
  }

  Result<PageText> ReadJob(const PageJob& job) override {
    if (!pool_) return Status::Internal("a capturer with a remote reader reads no page jobs");
    DecodeLimits limits{options_.max_pixels, 1, options_.pdf_dpi};
    QUIRE_ASSIGN_OR_RETURN(OpenedDocument opened, Open(job.image, limits));
    if (!IsImageFile(opened.format)) {
      return Status::InvalidArgument("a page job holds a PNG or JPEG image, not a " +
                                     opened.format + " file");
    }
    QUIRE_ASSIGN_OR_RETURN(DecodedPage page, Decode(*opened.pages, 0));
    if (job.dpi > 0) page.image.dpi = job.dpi;
    return ReadOnPool(page.image, job.index, job.language);
  }

  PageText ReadImage(const RawPage& raw) override {
    PageImage image;
    image.dpi = raw.dpi;
    Status status = pool_
                        ? ToGray(raw, image.gray)
                        : Status::Internal("a capturer with a remote reader reads no page images");
    if (!status.ok()) {
      PageText page;
      page.error = status.message();
      return page;
    }
    return ReadOnPool(image, 0, FirstLanguage(options_));
  }

  int jobs() const override {
    if (pool_) return pool_->size();
    return options_.jobs > 0 ? options_.jobs : kRemoteDocuments;
  }

 private:
  // A document being captured: its file and its decoder.
  struct Document {
    std::string_view bytes;
    const std::string& format;
    PageSource& source;
  };

  // Pages of one document decoded and not read yet: enough to keep the readers busy.
  int QueueLimit() const {
    return pool_ ? kQueuedPagesPerWorker * pool_->size() : kRemotePagesPerDocument;
  }

  // Hands page `index` to the remote reader; `done` gets what it read. Pages are decoded here
  // (a page that fails to decode is kept with its error, as in a local reading, unless it is
  // the only one), except PNG and JPEG files, which travel whole. A PDF page with a text layer
  // is done at once.
  void ReadRemotely(const Document& doc, int index, const std::string& language,
                    std::function<void(Result<PageText>)> done) {
    if (IsImageFile(doc.format)) {
      options_.remote->Read(PageJob{std::string(doc.bytes), index, 0, language}, std::move(done));
      return;
    }
    Result<DecodedPage> page = Decode(doc.source, index);
    if (!page.ok() && doc.source.page_count() == 1) return done(page.status());
    if (!page.ok()) {
      PageText failed;
      failed.error = page.status().message();
      return done(std::move(failed));
    }
    if (page->text.has_value()) return done(std::move(*page->text));
    Result<PageJob> job = EncodeJob(page->image, index, language);
    if (!job.ok()) return done(job.status());
    options_.remote->Read(std::move(*job), std::move(done));
  }

  // Decodes each page here and hands it to the pool, keeping the cleaned images in `cleaned`; a
  // page that fails to decode is kept with its error, unless it is the only one, when the file as
  // a whole has failed. With a remote reader, any failure it reports fails the document.
  Status ReadPages(const Document& doc, const PageProgress& progress, std::vector<PageText>& pages,
                   CleanedPages* cleaned) {
    PageSource& source = doc.source;
    const int total = source.page_count();
    pages.assign(total, PageText());
    std::atomic<int> done = 0;
    auto page_done = [&] {
      int finished = ++done;
      if (progress) progress(finished, total);
    };
    TaskGroup group;
    FirstFailure failure;
    for (int i = 0; i < total; ++i) {
      group.WaitUntilAtMost(QueueLimit());
      if (options_.remote) {
        if (!failure.Get().ok()) break;
        group.Started();
        ReadRemotely(doc, i, FirstLanguage(options_), [&, i](Result<PageText> read) {
          if (read.ok()) {
            pages[i] = std::move(*read);
          } else {
            failure.Set(read.status());
          }
          page_done();
          group.Finished();
        });
        continue;
      }
      Result<DecodedPage> page = Decode(source, i);
      if (!page.ok() && total == 1) return page.status();
      if (!page.ok()) {
        pages[i].error = page.status().message();
        page_done();
      } else if (page->text.has_value()) {
        pages[i] = std::move(*page->text);
        page_done();
      } else {
        group.Started();
        pool_->Submit([&, i, image = std::move(page->image)](WorkerEngines& engines) {
          // The first language's engine was made with the worker, so this finds it.
          Result<OcrEngine*> engine = engines.For(FirstLanguage(options_));
          if (engine.ok()) {
            pages[i] = ReadWith(image, i, FirstLanguage(options_), **engine, cleaned);
          } else {
            pages[i].error = engine.status().message();
          }
          page_done();
          group.Finished();
        });
      }
    }
    group.WaitUntilAtMost(0);
    return failure.Get();
  }

  // Under "auto": when the English reading of the whole document looks German or French, reads
  // its pages again with that language first and keeps the second reading. Pages are decoded
  // again rather than held, so a long document still never sits in memory whole. Progress was
  // reported by the first reading and is not reported again. A remote reader's failure fails the
  // document, as in the first reading.
  Status ReadInOwnLanguage(const Document& doc, std::vector<PageText>& pages,
                           CleanedPages* cleaned) {
    const DocumentLanguage detected = DetectLanguage(pages);
    if (detected.tesseract == kEnglish) return Status::Ok();
    const std::string language = detected.tesseract + "+" + kEnglish;
    if (IsMissing(language)) return Status::Ok();
    TaskGroup group;
    FirstFailure failure;
    for (int i = 0; i < static_cast<int>(pages.size()); ++i) {
      if (pages[i].language != kEnglish || !pages[i].error.empty()) continue;
      group.WaitUntilAtMost(QueueLimit());
      if (options_.remote) {
        group.Started();
        ReadRemotely(doc, i, language, [&, i](Result<PageText> again) {
          if (!again.ok()) {
            failure.Set(again.status());
          } else if (again->error.empty()) {
            KeepLettersOutsideLanguage(pages[i], detected, *again);
            pages[i] = std::move(*again);
          }
          group.Finished();
        });
        continue;
      }
      Result<DecodedPage> page = Decode(doc.source, i);
      if (!page.ok() || page->text.has_value()) continue;
      group.Started();
      pool_->Submit([&, i, image = std::move(page->image)](WorkerEngines& engines) {
        Result<OcrEngine*> engine = engines.For(language);
        if (engine.ok()) {
          PageText again = ReadWith(image, i, language, **engine, cleaned);
          if (again.error.empty()) {
            KeepLettersOutsideLanguage(pages[i], detected, again);
            pages[i] = std::move(again);
          }
        } else {
          NoteMissing(language, detected);
        }
        group.Finished();
      });
    }
    group.WaitUntilAtMost(0);
    return failure.Get();
  }

  PageText ReadWith(const PageImage& image, int index, const std::string& language,
                    OcrEngine& engine, CleanedPages* kept = nullptr) const {
    PageText page = ReadPage(image, index, options_, engine, kept);
    if (!page.blank) page.language = language;
    return page;
  }

  // One page read on a worker thread of the pool, waited for (page jobs and scanned pages).
  PageText ReadOnPool(const PageImage& image, int index, const std::string& language) {
    PageText read;
    TaskGroup group;
    group.Started();
    pool_->Submit([&](WorkerEngines& engines) {
      Result<OcrEngine*> engine = engines.For(language);
      if (engine.ok()) {
        read = ReadWith(image, index, language, **engine);
      } else {
        read.error = engine.status().message();
      }
      group.Finished();
    });
    group.WaitUntilAtMost(0);
    return read;
  }

  bool IsMissing(const std::string& language) {
    std::lock_guard<std::mutex> lock(mutex_);
    return missing_.contains(language);
  }

  // Remembers that `language` cannot be loaded, so later documents skip the second reading, and
  // says so the first time. The engine's own message is not passed on: it names the package of
  // every language in `language`, English included, which is installed.
  void NoteMissing(const std::string& language, const DocumentLanguage& detected) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!missing_.insert(language).second) return;
    }
    const std::string& code = detected.tesseract;
    const std::string message = detected.name + " text found, but Tesseract cannot load " +
                                language + ": install tesseract-ocr-" + code +
                                " (or set TESSDATA_PREFIX to the folder holding " + code +
                                ".traineddata); until then " + detected.name +
                                " documents are read with " + kEnglish + " only";
    if (options_.on_warning) {
      options_.on_warning(message);
    } else {
      std::cerr << "quire: " << message << "\n";
    }
  }

  static Result<OpenedDocument> Open(std::string_view bytes, const DecodeLimits& limits) {
    try {
      return OpenDocument(bytes, limits);
    } catch (const std::exception& e) {  // std::bad_alloc on a file claiming absurd sizes
      return Status::InvalidArgument(std::string("the file cannot be opened: ") + e.what());
    }
  }

  static Result<DecodedPage> Decode(PageSource& source, int index) {
    try {
      return source.Decode(index);
    } catch (const std::exception& e) {  // cv::Exception, std::bad_alloc
      return Status::InvalidArgument("page " + std::to_string(index + 1) +
                                     " cannot be decoded: " + e.what());
    }
  }

  const CaptureOptions options_;
  std::unique_ptr<WorkerPool> pool_;
  std::mutex mutex_;
  std::set<std::string> missing_;  // languages whose engine failed; guarded by mutex_
};

}  // namespace

Result<std::unique_ptr<Capturer>> CreateCapturer(const CaptureOptions& options,
                                                 const OcrEngineFactory& make_engine) {
  QUIRE_RETURN_IF_ERROR(CheckOptions(options));
  QUIRE_RETURN_IF_ERROR(MakeDebugDir(options.debug_dir));
  if (options.remote) {
    return std::unique_ptr<Capturer>(std::make_unique<PooledCapturer>(options, nullptr));
  }
  int jobs = options.jobs > 0 ? options.jobs
                              : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const std::string language = FirstLanguage(options);
  std::vector<WorkerEngines> engines;
  for (int i = 0; i < jobs; ++i) {
    QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<OcrEngine> engine, make_engine(language));
    engines.emplace_back(language, std::move(engine), make_engine);
  }
  return std::unique_ptr<Capturer>(
      std::make_unique<PooledCapturer>(options, std::make_unique<WorkerPool>(std::move(engines))));
}

Result<std::unique_ptr<Capturer>> Capturer::Create(const CaptureOptions& options) {
  return CreateCapturer(options, CreateTesseractEngine);
}

}  // namespace quire::capture
