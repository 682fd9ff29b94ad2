// Reading on another machine through the public API: a RemotePageReader that hands each page job
// to a second Capturer's ReadJob, as `quire worker` does, must give the pages a local read gives.
#include <catch2/catch.hpp>
#include <thread>

#include "quire/capture/capture.h"
#include "quire/common/json.h"
#include "test_support.h"

namespace quire::capture {
namespace {

using testing::SampleDoc;
using testing::SharedCapturer;

// Reads each job on its own thread with the shared capturer, as a worker would; counts the jobs
// and their image sizes. With `fail`, answers every job with that status instead.
class ThreadReader : public RemotePageReader {
 public:
  explicit ThreadReader(Status fail = Status::Ok()) : fail_(std::move(fail)) {}
  void Read(PageJob job, std::function<void(Result<PageText>)> done) override {
    ++jobs;
    std::thread([this, job = std::move(job), done = std::move(done)] {
      if (!fail_.ok()) return done(fail_);
      done(SharedCapturer().ReadJob(job));
    }).detach();
  }
  std::atomic<int> jobs = 0;

 private:
  const Status fail_;
};

std::string PagesJson(const CapturedDocument& doc) {
  nlohmann::json pages = nlohmann::json::array();
  for (const PageText& page : doc.pages) pages.push_back(ToJson(page));
  return pages.dump();
}

TEST_CASE("remote: pages read through page jobs are the pages a local read gives") {
  auto reader = std::make_shared<ThreadReader>();
  CaptureOptions options;
  options.remote = reader;
  Result<std::unique_ptr<Capturer>> remote = Capturer::Create(options);
  REQUIRE(remote.ok());
  CHECK((*remote)->jobs() == 16);
  // A PNG travels as the file itself; a two-page TIFF as two decoded pages; a German invoice is
  // read again in German, also through jobs.
  for (const char* name :
       {"invoice-en-01-rot90.png", "invoice-en-03-fax.tif", "invoice-de-01.png"}) {
    INFO(name);
    const std::string bytes = SampleDoc(name);
    reader->jobs = 0;
    Result<CapturedDocument> far = (*remote)->Capture(bytes);
    Result<CapturedDocument> near = SharedCapturer().Capture(bytes);
    REQUIRE(far.ok());
    REQUIRE(near.ok());
    CHECK(far->format == near->format);
    CHECK(PagesJson(*far) == PagesJson(*near));
    CHECK(reader->jobs >= static_cast<int>(near->pages.size()));
  }
}

TEST_CASE("remote: a job the reader fails fails the whole document with its reason") {
  CaptureOptions options;
  options.remote = std::make_shared<ThreadReader>(
      Status::InvalidArgument("page 1 was given to quire workers 3 times and none answered"));
  Result<std::unique_ptr<Capturer>> remote = Capturer::Create(options);
  REQUIRE(remote.ok());
  Result<CapturedDocument> doc = (*remote)->Capture(SampleDoc("invoice-en-03-fax.tif"));
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().message() == "page 1 was given to quire workers 3 times and none answered");
}

TEST_CASE("remote: a page job that is not a one-page PNG or JPEG is refused with a reason") {
  PageJob job{SampleDoc("invoice-en-03-fax.tif"), 0, 0, "eng"};
  Result<PageText> read = SharedCapturer().ReadJob(job);
  REQUIRE_FALSE(read.ok());
  job.image = "not an image";
  read = SharedCapturer().ReadJob(job);
  REQUIRE_FALSE(read.ok());
  CHECK(read.status().message().find("not a PNG, JPEG, TIFF or PDF") != std::string::npos);
}

}  // namespace
}  // namespace quire::capture
