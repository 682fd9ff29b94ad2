#include "scan_sessions.h"

#include <algorithm>
#include <functional>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "scan.h"
#include "separated_ingest.h"

namespace quire::app {

using json = nlohmann::json;

// A page of a scan, by its index in scan order (pages deleted stay, marked, so indices hold).
struct ScanPage {
  // As scanned: its pixels until they are encoded, then a lossless TIFF of its own
  // (EncodeTiffPage), a fraction of their size. Both reset once committed.
  std::shared_ptr<const capture::RawPage> raw;
  std::shared_ptr<const std::string> tiff;
  std::optional<PageText> text;  // once read
  int version = 0;     // bumped when the image changes (turn, rescan): thumbnails' cache key
  int turned = 0;      // degrees clockwise the operator turned it
  bool first = false;  // starts a document
  bool separator = false;
  bool deleted = false;
};

class ScanSession {
 public:
  ScanSession(uint64_t id, ScanSettings settings, const capture::Separation& separation,
              std::string device, std::string by, capture::Capturer& capturer)
      : id_(id),
        settings_(std::move(settings)),
        splitter_(separation),
        device_(std::move(device)),
        source_(ScanSource(device_)),
        by_(std::move(by)),
        capturer_(capturer) {
    settings_.device = device_;
  }

  ~ScanSession() {
    {
      std::lock_guard lock(mu_);
      if (scanner_) scanner_->Cancel();
    }
    if (thread_.joinable()) thread_.join();
    for (std::future<void>& read : reads_) read.wait();
  }

  const std::string& device() const { return device_; }
  const ScanSettings& settings() const { return settings_; }

  // Whether the device is this session's: it scans, or holds pages not committed yet.
  bool HoldsDevice() {
    std::lock_guard lock(mu_);
    return !committed_ && (scanning_ || std::any_of(pages_.begin(), pages_.end(),
                                                    [](const ScanPage& p) { return !p.deleted; }));
  }

  // Scans a batch (rescan < 0) or page `rescan` again, on the session's thread.
  void Scan(std::unique_ptr<Scanner> scanner, int rescan) {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) thread_.join();  // ended: it set scanning_ false as its last step
    scanner_ = std::move(scanner);
    scanning_ = true;
    message_.clear();
    thread_ = std::thread([this, rescan] { RunScan(rescan); });
  }

  json ToJson(bool with_pages) {
    std::lock_guard lock(mu_);
    return Describe(with_pages);
  }

  Result<json> Edit(int index, PageEdit edit, int degrees,
                    const std::function<Result<std::unique_ptr<Scanner>>()>& open_scanner) {
    {
      std::lock_guard lock(mu_);
      QUIRE_RETURN_IF_ERROR(CheckEditable(index));
      if (edit != PageEdit::kRescan) {
        QUIRE_RETURN_IF_ERROR(Apply(index, edit, degrees));
        return Describe(true);
      }
    }
    return ScanAgain(index, open_scanner);
  }

  // Scans page `rescan` again, or (rescan < 0) more pages after the last.
  Result<json> ScanAgain(int rescan,
                         const std::function<Result<std::unique_ptr<Scanner>>()>& open_scanner) {
    {
      std::lock_guard lock(mu_);
      if (committed_) {
        return Status::InvalidArgument("scan " + std::to_string(id_) + " is committed already");
      }
      if (scanning_) {
        return Status::IoError(
            "the scanner is still scanning: wait for its end (or stop it), "
            "then scan again");
      }
      scanning_ = true;  // the device is this scan's
    }
    Result<std::unique_ptr<Scanner>> scanner = open_scanner();
    if (!scanner.ok()) {
      std::lock_guard lock(mu_);
      scanning_ = false;
      return scanner.status();
    }
    Scan(std::move(*scanner), rescan);
    return ToJson(true);
  }

  Result<json> Stop() {
    {
      std::lock_guard lock(mu_);
      if (scanner_) scanner_->Cancel();
    }
    return ToJson(true);
  }

  Result<json> Commit(const std::string& by, const extract::Extractor& extractor,
                      store::Archive& archive) {
    std::lock_guard lock(mu_);
    if (committed_) {
      return Status::InvalidArgument("scan " + std::to_string(id_) + " is committed already");
    }
    if (scanning_) {
      return Status::IoError(
          "the scan is still running: wait for its end, or stop it, then "
          "commit");
    }
    if (std::any_of(pages_.begin(), pages_.end(),
                    [](const ScanPage& p) { return !p.deleted && !p.text; })) {
      return Status::IoError("pages are still being read: wait a moment and commit again");
    }
    const std::vector<std::vector<int>> documents = Documents();
    if (documents.empty()) {
      return Status::InvalidArgument(
          "there is no page to store: scan again, or discard the "
          "scan");
    }
    for (const std::vector<int>& document : documents) {
      std::vector<PageText> texts;
      for (int i : document) texts.push_back(*pages_[i].text);
      const std::string file_pages = FormatFilePages(document);
      Result<std::string> tiff = DocumentFile(document, texts);
      Committed c;
      if (!tiff.ok()) {
        c.bad_file = tiff.status();
      } else {
        c = CommitPages(std::move(*tiff), "tiff", std::move(texts),
                        source_ + " pages " + file_pages, by, {}, extractor, archive);
      }
      committed_results_.push_back(PartResult(source_, file_pages, c).ToJson());
      if (!c.archive_error.ok()) break;  // the archive takes no writes: the rest stays to retry
    }
    committed_ = std::all_of(committed_results_.begin(), committed_results_.end(),
                             [](const json& r) { return r["status"] != "failed"; }) &&
                 committed_results_.size() == documents.size();
    if (committed_) {
      for (ScanPage& page : pages_) {  // stored: the memory goes back
        page.raw.reset();
        page.tiff.reset();
      }
    }
    json answer = Describe(true);
    // A retry commits every document again: those stored already answer "duplicate".
    if (!committed_) committed_results_ = json::array();
    return answer;
  }

  Result<capture::PageImageFile> Image(int index, int width,
                                       const capture::CaptureOptions& options) {
    ScanPage page;  // what is needed of it, taken under the lock
    {
      std::lock_guard lock(mu_);
      if (index < 0 || static_cast<size_t>(index) >= pages_.size() ||
          (!pages_[index].raw && !pages_[index].tiff)) {
        return Status::NotFound("scan " + std::to_string(id_) + " has no page " +
                                std::to_string(index + 1) + " to show");
      }
      page.raw = pages_[index].raw;
      page.tiff = pages_[index].tiff;
      page.turned = pages_[index].turned;
    }
    QUIRE_ASSIGN_OR_RETURN(std::string tiff, PageFile(page, index));
    return capture::RenderPageImage(tiff, 0, width, options, page.turned);
  }

 private:
  // REQUIRES: mu_ held.
  json Describe(bool with_pages) const {
    json j = {{"id", id_},
              {"device", device_},
              {"source", source_},
              {"by", by_},
              {"state", committed_  ? "committed"
                        : scanning_ ? "scanning"
                                    : "scanned"},
              {"message", message_},
              {"pages_scanned", pages_.size()}};
    if (!with_pages) return j;
    json pages = json::array();
    for (size_t i = 0; i < pages_.size(); ++i) {
      const ScanPage& p = pages_[i];
      if (p.deleted) continue;
      json page = {{"page", i},
                   {"version", p.version},
                   {"read", p.text.has_value()},
                   {"turned", p.turned},
                   {"separator", p.separator}};
      if (p.text) {
        page.update(
            {{"blank", p.text->blank}, {"barcodes", p.text->barcodes}, {"error", p.text->error}});
      }
      pages.push_back(std::move(page));
    }
    j["pages"] = std::move(pages);
    j["documents"] = Documents();
    j["committed"] = committed_results_;
    return j;
  }

  // NotFound or IoError unless page `index` is there to edit. REQUIRES: mu_ held.
  Status CheckEditable(int index) const {
    if (committed_) {
      return Status::InvalidArgument("scan " + std::to_string(id_) + " is committed already");
    }
    if (index < 0 || static_cast<size_t>(index) >= pages_.size() || pages_[index].deleted) {
      return Status::NotFound("scan " + std::to_string(id_) + " has no page " +
                              std::to_string(index + 1) + " (GET /api/scans/" +
                              std::to_string(id_) + " lists its pages)");
    }
    if (static_cast<size_t>(index) >= next_split_ || !pages_[index].text) {
      return Status::IoError("page " + std::to_string(index + 1) +
                             " is still being read: wait a moment and try again");
    }
    return Status::Ok();
  }

  // REQUIRES: mu_ held, page `index` read and split.
  Status Apply(int index, PageEdit edit, int degrees) {
    ScanPage& page = pages_[index];
    switch (edit) {
      case PageEdit::kSplit:
        if (page.separator) {
          return Status::InvalidArgument("page " + std::to_string(index + 1) +
                                         " is a separator sheet: keep it first");
        }
        page.first = true;
        return Status::Ok();
      case PageEdit::kJoin: {
        const std::vector<std::vector<int>> documents = Documents();
        if (!documents.empty() && documents[0][0] == index) {
          return Status::InvalidArgument("page " + std::to_string(index + 1) +
                                         " is the batch's first page: there is no document "
                                         "before it to join");
        }
        page.first = false;
        return Status::Ok();
      }
      case PageEdit::kTurn:
        if (degrees != 90 && degrees != 180 && degrees != 270) {
          return Status::InvalidArgument("degrees must be 90, 180 or 270 (clockwise), not " +
                                         std::to_string(degrees));
        }
        page.turned = (page.turned + degrees) % 360;
        ++page.version;
        return Status::Ok();
      case PageEdit::kDelete:
        page.deleted = true;
        // The document it started goes on from its next page.
        for (size_t i = index + 1; page.first && i < pages_.size(); ++i) {
          if (pages_[i].deleted || pages_[i].separator) continue;
          pages_[i].first = true;
          break;
        }
        return Status::Ok();
      case PageEdit::kKeep:
        page.separator = false;
        page.first = false;
        return Status::Ok();
      case PageEdit::kRescan: break;
    }
    return Status::Ok();
  }

  // The documents as they stand, as page indices in scan order. REQUIRES: mu_ held.
  std::vector<std::vector<int>> Documents() const {
    std::vector<std::vector<int>> documents;
    for (size_t i = 0; i < pages_.size(); ++i) {
      const ScanPage& p = pages_[i];
      if (p.deleted || p.separator) continue;
      if (documents.empty() || p.first) documents.emplace_back();
      documents.back().push_back(static_cast<int>(i));
    }
    return documents;
  }

  void RunScan(int rescan) {
    Scanner* scanner = nullptr;
    {
      std::lock_guard lock(mu_);
      scanner = scanner_.get();
    }
    const ScanOutcome outcome = scanner->Scan([&](capture::RawPage page) {
      Arrived(std::move(page), rescan);
      return rescan < 0;
    });
    std::lock_guard lock(mu_);
    scanner_.reset();  // closes the device: a rescan opens it again
    message_ = rescan >= 0 && outcome.pages == 0 ? "page " + std::to_string(rescan + 1) +
                                                       " was not scanned again (it stays as it "
                                                       "was): " +
                                                       outcome.message
                                                 : outcome.message;
    scanning_ = false;  // last: Scan() joins this thread once it sees it
  }

  // The TIFF of scan page `index` (`page`, a copy): as encoded when it arrived, or encoded now
  // while it is not yet (or could not be).
  Result<std::string> PageFile(const ScanPage& page, size_t index) const {
    if (page.tiff) return *page.tiff;
    return capture::EncodeTiffPage(*page.raw, PageDescription(index));
  }

  // Its pages described with the scan, so that every scan is a document of its own.
  std::string PageDescription(size_t index) const {
    return source_ + " page " + std::to_string(index + 1);
  }

  // The TIFF of the scan pages `document`, as the operator turned them, with their `texts`
  // turned alike. REQUIRES: mu_ held, the pages read (and so encoded, unless that failed).
  Result<std::string> DocumentFile(const std::vector<int>& document, std::vector<PageText>& texts) {
    std::vector<std::string> files;
    for (size_t k = 0; k < document.size(); ++k) {
      const ScanPage& page = pages_[document[k]];
      Result<std::string> file = PageFile(page, document[k]);
      if (file.ok() && page.turned != 0) file = capture::TurnTiffPage(page.turned, *file, texts[k]);
      if (!file.ok()) return file.status();
      files.push_back(std::move(*file));
    }
    return capture::JoinTiffs(files);
  }

  // A page from the scanner: kept, encoded (then its pixels let go) and read, beside the scan.
  void Arrived(capture::RawPage page, int rescan) {
    auto raw = std::make_shared<const capture::RawPage>(std::move(page));
    std::lock_guard lock(mu_);
    const size_t index = rescan >= 0 ? static_cast<size_t>(rescan) : pages_.size();
    if (rescan < 0) pages_.emplace_back();
    ScanPage& scanned = pages_[index];
    scanned.raw = raw;
    scanned.tiff.reset();
    scanned.text.reset();  // a rescanned page waits for its new reading
    scanned.turned = 0;
    const int version = ++scanned.version;
    // One thread a page, as `quire scan` (scan.cc says why).
    reads_.push_back(std::async(std::launch::async, [this, raw, index, version] {
      PageText text = capturer_.ReadImage(*raw);
      {
        std::lock_guard lock(mu_);
        if (pages_[index].version != version) return;  // rescanned
        pages_[index].text = std::move(text);
        Split();
      }
      Result<std::string> tiff = capture::EncodeTiffPage(*raw, PageDescription(index));
      std::lock_guard lock(mu_);
      if (pages_[index].raw != raw || !tiff.ok()) return;  // rescanned, or kept as pixels
      pages_[index].tiff = std::make_shared<const std::string>(std::move(*tiff));
      pages_[index].raw.reset();
    }));
  }

  // Feeds the pages read, in scan order, to the splitter: the proposed documents. A page starts
  // a document after one completed or after a separator sheet. REQUIRES: mu_ held.
  void Split() {
    for (; next_split_ < pages_.size() && pages_[next_split_].text; ++next_split_) {
      ScanPage& page = pages_[next_split_];
      page.first = start_next_;
      start_next_ = false;
      const int separators = splitter_.separator_pages();
      const bool completed = splitter_.Add(*page.text).has_value();
      // Both sides of a duplex separator sheet are known only with its back.
      for (int k = 0; k < splitter_.separator_pages() - separators; ++k) {
        ScanPage& side = pages_[next_split_ - k];
        side.separator = true;
        side.first = false;
        start_next_ = true;
      }
      if (completed) start_next_ = true;
    }
  }

  const uint64_t id_;
  ScanSettings settings_;
  capture::StackSplitter splitter_;  // guarded by mu_
  const std::string device_;
  const std::string source_;
  const std::string by_;
  capture::Capturer& capturer_;

  std::mutex mu_;
  std::unique_ptr<Scanner> scanner_;        // while scanning; guarded by mu_
  bool scanning_ = false;                   // guarded by mu_
  std::string message_;                     // why the last scan stopped early; guarded by mu_
  std::vector<ScanPage> pages_;             // guarded by mu_
  size_t next_split_ = 0;                   // the first page not split yet; guarded by mu_
  bool start_next_ = true;                  // the next page split starts a document; guarded by mu_
  bool committed_ = false;                  // guarded by mu_
  json committed_results_ = json::array();  // guarded by mu_
  std::thread thread_;
  // Last: destroyed first, each waiting for its page's reading, which uses the rest.
  std::vector<std::future<void>> reads_;  // guarded by mu_
};

ScanSessions::ScanSessions(capture::Capturer& capturer, const extract::Extractor& extractor,
                           store::Archive& archive, capture::CaptureOptions images)
    : capturer_(capturer), extractor_(extractor), archive_(archive), images_(std::move(images)) {}

ScanSessions::~ScanSessions() = default;

Result<json> ScanSessions::Start(const ScanSettings& settings, capture::Separation separation,
                                 const std::string& by) {
  auto in_use = [this](const std::string& device) -> Status {
    for (const auto& [id, session] : sessions_) {
      if (session->device() == device && session->HoldsDevice()) {
        return Status::IoError("scanner " + device + " is in use by scan " + std::to_string(id) +
                               ": commit or discard that scan first");
      }
    }
    return Status::Ok();
  };
  if (!settings.device.empty()) {
    std::lock_guard lock(mu_);
    QUIRE_RETURN_IF_ERROR(in_use(settings.device));
  }
  // Opening the device names it when the request does not.
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<Scanner> scanner, Scanner::Open(settings));
  separation.duplex = separation.duplex || scanner->duplex();
  std::shared_ptr<ScanSession> session;
  {
    std::lock_guard lock(mu_);
    const std::string device = scanner->name();
    QUIRE_RETURN_IF_ERROR(in_use(device));
    std::erase_if(sessions_, [&](const auto& entry) { return entry.second->device() == device; });
    const uint64_t id = next_id_++;
    session = std::make_shared<ScanSession>(id, settings, separation, device, by, capturer_);
    sessions_[id] = session;
  }
  session->Scan(std::move(scanner), /*rescan=*/-1);
  return session->ToJson(true);
}

Result<std::shared_ptr<ScanSession>> ScanSessions::Find(uint64_t id) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    return Status::NotFound("no scan " + std::to_string(id) +
                            " (GET /api/scans lists them; a server restart forgets them)");
  }
  return it->second;
}

Result<json> ScanSessions::Get(uint64_t id) {
  QUIRE_ASSIGN_OR_RETURN(std::shared_ptr<ScanSession> session, Find(id));
  return session->ToJson(true);
}

json ScanSessions::List() {
  std::lock_guard lock(mu_);
  json scans = json::array();
  for (const auto& [id, session] : sessions_) scans.push_back(session->ToJson(false));
  return scans;
}

Result<json> ScanSessions::Edit(uint64_t id, int page, PageEdit edit, int degrees) {
  QUIRE_ASSIGN_OR_RETURN(std::shared_ptr<ScanSession> session, Find(id));
  return session->Edit(page, edit, degrees, [&]() { return Scanner::Open(session->settings()); });
}

Result<json> ScanSessions::ScanMore(uint64_t id) {
  QUIRE_ASSIGN_OR_RETURN(std::shared_ptr<ScanSession> session, Find(id));
  return session->ScanAgain(-1, [&]() { return Scanner::Open(session->settings()); });
}

Result<json> ScanSessions::Stop(uint64_t id) {
  QUIRE_ASSIGN_OR_RETURN(std::shared_ptr<ScanSession> session, Find(id));
  return session->Stop();
}

Result<json> ScanSessions::Commit(uint64_t id, const std::string& by) {
  QUIRE_ASSIGN_OR_RETURN(std::shared_ptr<ScanSession> session, Find(id));
  return session->Commit(by, extractor_, archive_);
}

Status ScanSessions::Discard(uint64_t id) {
  std::shared_ptr<ScanSession> session;  // dropped outside the lock: it waits for its scan
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Status::NotFound("no scan " + std::to_string(id));
  session = std::move(it->second);
  sessions_.erase(it);
  return Status::Ok();
}

Result<capture::PageImageFile> ScanSessions::PageImage(uint64_t id, int page, int width) {
  QUIRE_ASSIGN_OR_RETURN(std::shared_ptr<ScanSession> session, Find(id));
  return session->Image(page, width, images_);
}

}  // namespace quire::app
