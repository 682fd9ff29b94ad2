// The hot-folder watcher in-process, on real folders and a real archive, with its file system and
// clock behind a FaultEnv: the process dies at every file operation of taking a file in turn,
// and a restarted watcher must leave the file exactly once where it belongs.
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "fault_env.h"
#include "quire/common/hash.h"
#include "quire/store/journal.h"
#include "temp_dir.h"
#include "watch.h"
#include "watch_files.h"

namespace quire::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

capture::Capturer& SharedCapturer() {
  static const std::unique_ptr<capture::Capturer> capturer = [] {
    capture::CaptureOptions options;
    options.jobs = 1;  // one file at a time, so a run's file operations come in one order
    Result<std::unique_ptr<capture::Capturer>> created = capture::Capturer::Create(options);
    REQUIRE(created.ok());
    return std::move(created).value();
  }();
  return *capturer;
}

const extract::Extractor& SharedExtractor() {
  static const std::unique_ptr<extract::Extractor> extractor = [] {
    Result<std::unique_ptr<extract::Extractor>> created =
        extract::Extractor::Create(extract::ExtractOptions());
    REQUIRE(created.ok());
    return std::move(created).value();
  }();
  return *extractor;
}

// A small image with a few words: quick to read.
std::string TextPng(const std::string& text) {
  cv::Mat image(140, 700, CV_8UC1, cv::Scalar(255));
  cv::putText(image, text, {20, 85}, cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(0), 2);
  std::vector<uchar> png;
  cv::imencode(".png", image, png);
  return std::string(png.begin(), png.end());
}

void Write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every file below `folder` (none when there is no such folder), by its path below it.
std::map<std::string, std::string> FilesIn(const std::string& folder) {
  std::map<std::string, std::string> files;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(folder, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_directory()) files[it->path().lexically_relative(folder).string()] = Read(*it);
  }
  return files;
}

// A hot folder, its --failed and --keep folders and its archive, in a fresh temporary folder.
struct Station {
  TempDir dir;
  const std::string inbox = dir.Sub("inbox");
  const std::string failed = dir.Sub("failed");
  const std::string keep = dir.Sub("keep");
  const std::string archive = dir.Sub("archive");

  Station() { fs::create_directories(inbox); }

  app::WatchOptions Options(bool keep_originals, Env* env) const {
    app::WatchOptions options;
    options.inbox = inbox;
    options.failed_dir = failed;
    if (keep_originals) options.keep_dir = keep;
    options.poll_seconds = 0.05;
    options.settle_seconds = 0;
    options.env = env;
    return options;
  }
};

// Opens the archive in `dir` and watches with `options` until `done(files finished)` holds,
// then stops the watcher as SIGTERM does (it finishes the file in hand) and closes the archive,
// as a process that ends would. Returns what the watcher returned.
Status RunWatcher(const app::WatchOptions& options, const std::string& dir,
                  const std::function<bool(int)>& done) {
  Result<std::unique_ptr<store::Archive>> archive = store::Archive::Open(dir);
  REQUIRE(archive.ok());
  const int stop_fd = eventfd(0, EFD_CLOEXEC);
  REQUIRE(stop_fd >= 0);
  std::atomic<int> finished = 0;
  std::atomic<bool> returned = false;
  app::WatchEvents events;
  events.on_finished = [&finished](const store::JournalEntry&) { ++finished; };
  Status status;
  std::thread watcher([&] {
    status =
        app::WatchFolder(options, SharedCapturer(), SharedExtractor(), **archive, stop_fd, events);
    returned = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!returned && !done(finished) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  const bool in_time = returned || done(finished);
  const uint64_t one = 1;
  REQUIRE(write(stop_fd, &one, sizeof one) == sizeof one);
  watcher.join();
  close(stop_fd);
  REQUIRE(in_time);
  return status;
}

struct Drop {
  bool bad = false;           // not a document: it goes to --failed
  bool keep = false;          // --keep: a committed original is moved there, not deleted
  bool cross_device = false;  // moves copy, sync and remove, as across file systems
};

constexpr char kName[] = "letters/scan.png";

// Drops one file into a fresh station, runs a watcher whose file system dies at its `n`th file
// operation, then a watcher on the real one over the same folders and archive, and checks that
// the file ended exactly once where it belongs. Returns whether the first watcher reached its
// `n`th operation.
bool CrashAndRestart(const Drop& drop, int n) {
  INFO("crash at file operation " << n);
  Station station;
  const std::string bytes = drop.bad ? std::string("no image at all") : TextPng("Invoice 4711");
  Write(fs::path(station.inbox) / kName, bytes);

  FaultEnv env;
  env.CrashAt(n);
  if (drop.cross_device) env.CrossDevice();
  (void)RunWatcher(station.Options(drop.keep, &env), station.archive,
                   [&env](int finished) { return env.crashed() || finished == 1; });
  const bool crashed = env.crashed();
  // What the station lists as failed after the crash: the file itself or nothing, never a copy
  // the crash left half made.
  Result<app::WatchFolders> folders =
      app::WatchFolders::Make(station.Options(drop.keep, Env::Default()));
  REQUIRE(folders.ok());
  Result<std::vector<app::FailedFile>> listed = folders->ListFailed();
  REQUIRE(listed.ok());
  for (const app::FailedFile& file : *listed) CHECK(file.name == kName);

  const Status restarted =
      RunWatcher(station.Options(drop.keep, Env::Default()), station.archive,
                 [&](int) { return !fs::exists(fs::path(station.inbox) / kName); });
  CHECK(restarted.ok());

  CHECK(FilesIn(station.inbox).empty());
  Result<std::unique_ptr<store::Archive>> archive = store::Archive::Open(station.archive);
  REQUIRE(archive.ok());
  Result<store::DocumentList> documents = (*archive)->ListPage(store::ListQuery());
  REQUIRE(documents.ok());
  const std::map<std::string, std::string> failed = FilesIn(station.failed);
  const std::map<std::string, std::string> kept = FilesIn(station.keep);
  if (drop.bad) {
    CHECK(documents->total == 0);
    CHECK(kept.empty());
    REQUIRE(failed.size() == 2);
    CHECK(failed.at(kName) == bytes);
    const std::string reason = failed.at(kName + std::string(".error.txt"));
    CHECK_THAT(reason, Catch::Contains("File:  " + std::string(kName)));
    CHECK_THAT(reason, Catch::Contains("What to do:"));
  } else {
    CHECK(documents->total == 1);  // committed, and once
    Result<std::optional<store::DocId>> found = (*archive)->FindBySha256(Sha256Hex(bytes));
    REQUIRE(found.ok());
    CHECK(found->has_value());
    CHECK(failed.empty());
    if (drop.keep) {
      CHECK(kept == std::map<std::string, std::string>{{kName, bytes}});
    } else {
      CHECK(kept.empty());
    }
  }
  // Nothing left half-done for `quire watch --status` to show.
  Result<std::unique_ptr<store::Journal>> journal = store::Journal::Open(**archive);
  REQUIRE(journal.ok());
  Result<std::vector<store::JournalEntry>> pending =
      (*journal)->Pending(fs::canonical(station.inbox).string() + "/");
  REQUIRE(pending.ok());
  CHECK(pending->empty());
  return crashed;
}

// Every crash point in turn, until the watcher finishes the file without reaching it: a new
// file operation in the watcher is covered without a change here.
void EveryCrashPoint(const Drop& drop) {
  int n = 1;
  while (CrashAndRestart(drop, n)) {
    ++n;
    REQUIRE(n < 100);
  }
  CHECK(n > 3);  // the run did reach the file operations
}

TEST_CASE("a committed file is deleted exactly once, whatever file operation the watcher dies at") {
  EveryCrashPoint({.bad = false, .keep = false});
}

TEST_CASE("a committed file lands in --keep exactly once, whatever operation the watcher dies at") {
  EveryCrashPoint({.bad = false, .keep = true});
}

TEST_CASE("a committed file lands in --keep on another file system exactly once after a crash") {
  EveryCrashPoint({.bad = false, .keep = true, .cross_device = true});
}

TEST_CASE("a bad file lands in --failed with its reason exactly once after a crash") {
  EveryCrashPoint({.bad = true});
}

TEST_CASE("a bad file lands in --failed on another file system exactly once after a crash") {
  EveryCrashPoint({.bad = true, .cross_device = true});
}

// What the watcher writes to stderr while `run` runs.
std::string Stderr(const std::function<void()>& run) {
  TempDir dir;
  const std::string log = dir.Sub("stderr");
  fflush(stderr);
  const int saved = dup(2);
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  dup2(fd, 2);
  close(fd);
  run();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  return Read(log);
}

TEST_CASE("a failed move to --keep says what failed and what to do, and is retried after --retry") {
  Station station;
  const std::string bytes = TextPng("Receipt 815");
  Write(fs::path(station.inbox) / kName, bytes);
  FaultEnv env;
  env.FailNth(FaultEnv::Op::kRenameFile, 1);
  const app::WatchOptions options = station.Options(/*keep_originals=*/true, &env);

  const auto start = std::chrono::steady_clock::now();
  const std::string log = Stderr([&] {
    const Status s = RunWatcher(options, station.archive, [&](int finished) {
      // --retry is 30 s: the clock is moved on instead of waited for.
      if (finished == 0) env.Advance(1s);
      return finished == 1;
    });
    CHECK(s.ok());
  });
  CHECK(std::chrono::steady_clock::now() - start < 15s);  // the watcher waited on the Env's clock
  const std::string from = fs::canonical(station.inbox).string() + "/" + kName;
  const std::string to = fs::canonical(station.keep).string() + "/" + kName;
  CHECK_THAT(log, Catch::Contains("quire watch: retry \"" + std::string(kName) +
                                  "\": cannot move " + from + " to " + to +
                                  ": Input/output error (injected); quire needs write permission "
                                  "on "));
  CHECK_THAT(log, Catch::Contains("it stays in INBOX and is tried again in 30 s"));
  CHECK_THAT(log, Catch::Contains("quire watch: committed \"" + std::string(kName) + "\""));
  CHECK(FilesIn(station.keep) == std::map<std::string, std::string>{{kName, bytes}});
  CHECK(FilesIn(station.inbox).empty());
}

TEST_CASE("a failed sync of the hot folder says which folder and what to do") {
  Station station;
  Write(fs::path(station.inbox) / kName, TextPng("Order 99"));
  FaultEnv env;
  env.FailNth(FaultEnv::Op::kSyncFolder, 1);
  const std::string log = Stderr([&] {
    (void)RunWatcher(station.Options(/*keep_originals=*/false, &env), station.archive,
                     [&](int) { return env.operations() >= 4; });
  });
  const std::string folder = fs::canonical(station.inbox).string() + "/letters";
  CHECK_THAT(log, Catch::Contains("quire watch: retry \"" + std::string(kName) +
                                  "\": cannot sync " + folder +
                                  ": Input/output error (injected); quire needs write permission "
                                  "on the hot folder " +
                                  folder + ", and a sound disk with space free"));
}

}  // namespace
}  // namespace quire::testing
