// The Capturer: decodes on the calling thread, reads pages on the shared worker pool.
#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

#include "page_reader.h"
#include "page_source.h"
#include "quire/capture/capture.h"
#include "tesseract_engine.h"
#include "worker_pool.h"

namespace quire::capture {
namespace {

// Decoded pages waiting for a worker, per worker: enough to keep every worker busy while the
// calling thread decodes, few enough that a long document never sits in memory whole.
constexpr int kQueuedPagesPerWorker = 2;

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

class PooledCapturer : public Capturer {
 public:
  PooledCapturer(const CaptureOptions& options, std::unique_ptr<WorkerPool> pool)
      : options_(options), pool_(std::move(pool)) {}

  Result<CapturedDocument> Capture(std::string_view bytes, const std::string& /*name*/,
                                   const PageProgress& progress) override {
    DecodeLimits limits{options_.max_pixels, options_.max_pages, options_.pdf_dpi};
    Result<OpenedDocument> opened = Open(bytes, limits);
    if (!opened.ok()) return opened.status();
    CapturedDocument doc;
    doc.format = opened->format;
    Status status = ReadPages(*opened->pages, progress, doc.pages);
    if (!status.ok()) return status;
    return doc;
  }

  int jobs() const override { return pool_->size(); }

 private:
  // Decodes each page here and hands it to the pool; a page that fails to decode is kept with
  // its error, unless it is the only one, when the file as a whole has failed.
  Status ReadPages(PageSource& source, const PageProgress& progress, std::vector<PageText>& pages) {
    const int total = source.page_count();
    pages.assign(total, PageText());
    std::atomic<int> done = 0;
    auto page_done = [&] {
      int finished = ++done;
      if (progress) progress(finished, total);
    };
    TaskGroup group;
    for (int i = 0; i < total; ++i) {
      group.WaitUntilAtMost(kQueuedPagesPerWorker * pool_->size());
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
        pool_->Submit([&, i, image = std::move(page->image)](OcrEngine& engine) {
          pages[i] = ReadPage(image, i, options_, engine);
          page_done();
          group.Finished();
        });
      }
    }
    group.WaitUntilAtMost(0);
    return Status::Ok();
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
};

}  // namespace

Result<std::unique_ptr<Capturer>> Capturer::Create(const CaptureOptions& options) {
  QUIRE_RETURN_IF_ERROR(CheckOptions(options));
  int jobs = options.jobs > 0 ? options.jobs
                              : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<OcrEngine>> engines;
  for (int i = 0; i < jobs; ++i) {
    Result<std::unique_ptr<OcrEngine>> engine = CreateTesseractEngine(options.language);
    if (!engine.ok()) return engine.status();
    engines.push_back(std::move(*engine));
  }
  return std::unique_ptr<Capturer>(
      std::make_unique<PooledCapturer>(options, std::make_unique<WorkerPool>(std::move(engines))));
}

}  // namespace quire::capture
