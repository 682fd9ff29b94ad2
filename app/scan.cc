// `quire scan`: pages from a SANE scanner, each read and encoded for the archive as soon as it
// arrives (reading overlaps scanning), split into documents (--separate) and each document
// committed as soon as its last page is read: what is left after the last page is its reading,
// the document's extraction and one archive write. Pages scanned before a jam, a vanished device or
// a cancel are kept: the documents they complete are stored, and the pages after the last separator
// are stored as a document that waits in the review queue with what happened.
#include "scan.h"

#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <future>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cli.h"
#include "ingest.h"
#include "quire/capture/separation.h"
#include "separated_ingest.h"
#include "server_link.h"

namespace quire::app {
namespace {

Scanner* g_scanner = nullptr;  // for the signal handler: Cancel() is safe there

void CancelScan(int) {
  if (g_scanner != nullptr) g_scanner->Cancel();
}

// The pages of a scan: each read on the capturer's workers as it arrives, taken in order by a
// thread of its own that splits them and commits each document as soon as it is complete.
class ScanBatch {
 public:
  // Documents go to `archive`, or with a `server` that owns it, to the server as uploads (it
  // reads them again: here the pages are read to split the batch).
  ScanBatch(const capture::Separation& separation, const std::string& source,
            capture::Capturer& capturer, const extract::Extractor& extractor,
            store::Archive* archive, ServerClient* server, bool json)
      : splitter_(separation),
        source_(source),
        capturer_(capturer),
        extractor_(extractor),
        archive_(archive),
        server_(server),
        json_(json),
        committer_([this] { CommitInOrder(); }) {}

  // A page from the scanner: read now, then encoded losslessly (a TIFF described with the scan
  // and the page's number in it), and its pixels let go. One thread a page: SANE's test
  // backend, which cancels its reader thread at each page's end, hung at times beside two.
  void Add(capture::RawPage page) {
    std::future<ScannedPage> scanned = std::async(std::launch::async, [this, raw = std::move(page),
                                                                       number = ++added_] {
      PageText text = capturer_.ReadImage(raw);
      return ScannedPage{std::move(text),
                         capture::EncodeTiffPage(raw, source_ + " page " + std::to_string(number))};
    });
    std::lock_guard lock(mutex_);
    scanned_.push_back(std::move(scanned));
    more_.notify_one();
  }

  // The scan has ended: waits for every page, and commits the pages after the last separator
  // as the last document, marked for review with `stopped` when the scan did not end normally.
  void Finish(const std::string& stopped) {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      more_.notify_one();
    }
    committer_.join();
    if (std::optional<std::vector<int>> done = splitter_.Finish()) Commit(*done, stopped);
    FollowUploads();
  }

  int failures() const { return failures_; }
  // With --json: `{"file", "file_pages", "status", ...}` per document, as `ingest --json`.
  const std::vector<nlohmann::json>& results() const { return results_; }
  int stored() const { return stored_; }

 private:
  struct ScannedPage {
    PageText text;
    Result<std::string> tiff;  // taken by its document's commit
  };

  void CommitInOrder() {
    for (size_t next = 0;; ++next) {
      std::future<ScannedPage> scanned;
      {
        std::unique_lock lock(mutex_);
        more_.wait(lock, [&] { return next < scanned_.size() || closed_; });
        if (next >= scanned_.size()) return;
        scanned = std::move(scanned_[next]);
      }
      pages_.push_back(scanned.get());
      if (std::optional<std::vector<int>> done = splitter_.Add(pages_.back().text)) {
        Commit(*done, "");
      }
    }
  }

  void Commit(const std::vector<int>& indices, const std::string& stopped) {
    std::vector<PageText> pages;
    for (int i : indices) pages.push_back(pages_[i].text);
    const std::string file_pages = FormatFilePages(indices);
    // Its pages described with the scan, so that every scan is a document of its own, even of a
    // page that scans to the same pixels (a test scanner's).
    Result<std::string> tiff = JoinPages(indices);
    if (server_ != nullptr && tiff.ok()) return Upload(file_pages, *tiff, stopped);
    Committed c;
    if (!tiff.ok()) {
      c.bad_file = tiff.status();
    } else {
      c = CommitPages(std::move(*tiff), "tiff", std::move(pages), source_ + " pages " + file_pages,
                      CurrentUser(), {}, extractor_, *archive_);
    }
    if (!stopped.empty() && c.bad_file.ok() && c.archive_error.ok()) {
      MarkIncomplete(c.commit.id, stopped);
    }
    Report(file_pages, c);
  }

  // The TIFF of the scanned pages `indices`, from their files encoded as they arrived.
  Result<std::string> JoinPages(const std::vector<int>& indices) {
    std::vector<std::string> files;
    for (int i : indices) {
      if (!pages_[i].tiff.ok()) return pages_[i].tiff.status();
      files.push_back(std::move(*pages_[i].tiff));
    }
    return capture::JoinTiffs(files);
  }

  // Through the server: the document's TIFF as an upload, followed at the end.
  void Upload(const std::string& file_pages, const std::string& tiff, const std::string& stopped) {
    Result<nlohmann::json> sent = server_->Upload("scan pages " + file_pages + ".tif", tiff);
    if (!sent.ok()) {
      ++failures_;
      Print("failed     scan pages " + file_pages + ": " + sent.status().message());
      return;
    }
    Print("uploaded   scan pages " + file_pages +
          (stopped.empty() ? "" : " (the scan stopped after it: check no page is missing)"));
    uploads_.emplace_back(file_pages, (*sent)["jobs"][0].get<uint64_t>());
  }

  void FollowUploads() {
    while (!uploads_.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      std::erase_if(uploads_, [&](const std::pair<std::string, uint64_t>& upload) {
        Result<nlohmann::json> job = server_->Get("/api/jobs/" + std::to_string(upload.second));
        const std::string state = job.ok() ? (*job)["state"].get<std::string>() : "failed";
        if (state == "queued" || state == "reading") return false;
        Committed c;
        if (!job.ok()) {
          c.archive_error = job.status();
        } else if (state == "failed") {
          c.bad_file = Status::InvalidArgument(job->value("error", ""));
        } else {
          c.commit.id = (*job)["document"].get<store::DocId>();
          c.commit.duplicate = state == "duplicate";
          c.pages = (*job).value("pages", 0);
        }
        Report(upload.first, c);
        return true;
      });
    }
  }

  // A document cut short by the scan's end waits for a person, who checks it is whole.
  void MarkIncomplete(store::DocId id, const std::string& stopped) {
    Result<store::DocumentRecord> doc = archive_->Get(id);
    if (!doc.ok()) return;
    Extraction extraction = doc->extraction;
    extraction.needs_review = true;
    extraction.review_reasons.push_back("the scan stopped after this document's last page (" +
                                        stopped + "): check that no page is missing");
    (void)archive_->UpdateFields(id, extraction, {0, "scan stopped", "quire scan", stopped});
  }

  // One line per document, or with --json one entry of `results()`, as ingest reports a file's.
  void Report(const std::string& file_pages, const Committed& c) {
    IngestResult r;
    r.file = source_;
    r.file_pages = file_pages;
    const Status& error = !c.bad_file.ok() ? c.bad_file : c.archive_error;
    if (!error.ok()) {
      ++failures_;
      r.error = error.message();
      Print("failed     scan pages " + file_pages + ": " + r.error);
    } else if (c.commit.duplicate) {
      r.outcome = IngestResult::Outcome::kDuplicate;
      r.id = c.commit.id;
      Print("duplicate  scan pages " + file_pages + " = document " + std::to_string(r.id));
    } else {
      ++stored_;
      r.outcome = IngestResult::Outcome::kStored;
      r.id = c.commit.id;
      r.type = DocumentTypeName(c.type);
      r.pages = c.pages;
      r.needs_review = c.needs_review;
      std::string line = "stored     scan pages " + file_pages + " -> " + std::to_string(r.id);
      if (server_ == nullptr) {  // through the server, its job says no more
        line += " (" + r.type + ", " + std::to_string(r.pages) +
                (r.pages == 1 ? " page" : " pages") + (r.needs_review ? ", needs review" : "") +
                ")";
      }
      Print(line);
    }
    results_.push_back(r.ToJson());
  }

  void Print(const std::string& line) {
    if (json_) return;
    std::cout << line << "\n";
    std::cout.flush();
  }

  capture::StackSplitter splitter_;  // used by the committing thread, then by Finish
  const std::string source_;
  capture::Capturer& capturer_;
  const extract::Extractor& extractor_;
  store::Archive* const archive_;  // null when a server owns the archive
  ServerClient* const server_;
  const bool json_;
  std::vector<nlohmann::json> results_;
  std::vector<std::pair<std::string, uint64_t>> uploads_;  // file pages, job
  std::mutex mutex_;
  std::condition_variable more_;
  int added_ = 0;                                 // pages added: the scanning thread's
  std::deque<std::future<ScannedPage>> scanned_;  // guarded by mutex_
  bool closed_ = false;                           // guarded by mutex_
  std::vector<ScannedPage> pages_;                // as read, in order: the committing thread's
  int failures_ = 0;
  int stored_ = 0;
  std::thread committer_;  // last: starts once the rest is ready
};

}  // namespace

std::string ScanSource(const std::string& device) {
  char now[32];
  const std::time_t t = std::time(nullptr);
  std::strftime(now, sizeof now, "%Y-%m-%d %H:%M:%S", std::localtime(&t));
  return "scan " + device + " " + now;
}

int RunScanList(const GlobalOptions& global) {
  Result<std::vector<ScannerDevice>> devices = ListScanners();
  if (!devices.ok()) return ReportError(devices.status());
  if (global.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const ScannerDevice& d : *devices) list.push_back(ToJson(d));
    PrintJson({{"devices", list}});
    return kExitOk;
  }
  if (devices->empty()) std::cout << "no scanner found: check that it is on and connected\n";
  for (const ScannerDevice& d : *devices) {
    std::cout << d.name << "  " << d.vendor << " " << d.model << " (" << d.type << ")\n";
    for (const ScannerOption& o : d.options) {
      std::cout << "    --" << o.name << (o.allowed.empty() ? "" : " " + o.allowed)
                << (o.value.empty() ? "" : " [" + o.value + "]") << "\n";
    }
  }
  return kExitOk;
}

namespace {

// RunScan, with everything it opens closed when it returns.
int ScanIntoArchive(const GlobalOptions& global, const PipelineOptions& pipeline,
                    const ScanSettings& settings, capture::Separation separation) {
  // A server that owns the archive stores the documents (server_link.h).
  const std::optional<ServerLink> server = FindServer(ArchivePath(global));
  Result<std::unique_ptr<Scanner>> scanner = Scanner::Open(settings);
  if (!scanner.ok()) return ReportError(scanner.status());
  separation.duplex = separation.duplex || (*scanner)->duplex();
  Result<std::unique_ptr<capture::Capturer>> capturer = capture::Capturer::Create(pipeline.capture);
  if (!capturer.ok()) return ReportError(capturer.status());
  Result<std::unique_ptr<extract::Extractor>> extractor =
      extract::Extractor::Create(pipeline.extract);
  if (!extractor.ok()) return ReportError(extractor.status());
  std::unique_ptr<store::Archive> archive;
  std::optional<ServerClient> client;
  if (server) {
    client.emplace(*server, CurrentUser());
  } else {
    Result<std::unique_ptr<store::Archive>> opened = OpenArchive(global, /*read_only=*/false);
    if (!opened.ok()) return ReportError(opened.status());
    archive = std::move(*opened);
  }

  ScanBatch batch(separation, ScanSource((*scanner)->name()), **capturer, **extractor,
                  archive.get(), client ? &*client : nullptr, global.json);
  g_scanner = scanner->get();
  std::signal(SIGINT, CancelScan);
  std::signal(SIGTERM, CancelScan);
  int scanned = 0;
  const ScanOutcome outcome = (*scanner)->Scan([&](capture::RawPage page) {
    std::cerr << "scanned    page " << ++scanned << "\n";
    batch.Add(std::move(page));
    return true;
  });
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  g_scanner = nullptr;
  batch.Finish(outcome.message);
  if (global.json) {
    PrintJson({{"results", batch.results()},
               {"pages_scanned", outcome.pages},
               {"stopped",
                outcome.message.empty() ? nlohmann::json() : nlohmann::json(outcome.message)}});
  }
  std::cerr << outcome.pages << (outcome.pages == 1 ? " page" : " pages") << " scanned, "
            << batch.stored() << " documents stored";
  if (!outcome.message.empty()) std::cerr << "; " << outcome.message;
  std::cerr << "\n";
  if (outcome.end != ScanEnd::kDone || batch.failures() > 0) return kExitFailed;
  return kExitOk;
}

}  // namespace

int RunScan(const GlobalOptions& global, const PipelineOptions& pipeline,
            const ScanSettings& settings, capture::Separation separation) {
  const int code = ScanIntoArchive(global, pipeline, settings, separation);
  // SANE backends stop their reader threads with pthread_cancel (sanei_thread), which can leave
  // the dynamic loader's lock held; exit()'s handlers then wait on it forever (seen with the
  // test backend after a jam). The archive is closed and the output written by now, so the
  // process ends without them.
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(code);
}

}  // namespace quire::app
