#include "http_api.h"

#include <chrono>
#include <list>
#include <mutex>
#include <unordered_map>

#include "document_edits.h"
#include "document_json.h"
#include "document_pdf.h"
#include "quire/capture/page_image.h"
#include "quire/common/json.h"
#include "separated_ingest.h"
#include "web_assets.h"

namespace quire::app {
namespace {

using httplib::Request;
using httplib::Response;
using json = nlohmann::json;

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 200;
constexpr size_t kRecentDocuments = 10;  // in GET /api/inbox
constexpr int kMaxImageWidth = 4000;
// Rendered page images kept for the next request (thumbnails of a result page, a review crop).
constexpr size_t kImageCacheBytes = size_t{64} << 20;
// Bump when the rendering changes, so browsers fetch images again.
constexpr char kImageVersion[] = "1";

void SendJson(Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void SendError(Response& res, int status, const std::string& message) {
  SendJson(res, status, {{"error", message}});
}

// The status that fits a failure of the archive or of a check.
int HttpStatus(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return 200;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kInvalidArgument:
    case Status::Code::kUnsupported: return 422;
    case Status::Code::kResourceExhausted: return 413;
    default: return 500;
  }
}

void SendStatus(Response& res, const Status& status) {
  SendError(res, HttpStatus(status), status.message());
}

// A whole-number query parameter within [low, high]; `fallback` when absent.
Result<int> IntParam(const Request& req, const char* name, int fallback, int low, int high) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  try {
    size_t used = 0;
    const long value = std::stol(text, &used);
    if (used == text.size() && value >= low && value <= high) return static_cast<int>(value);
  } catch (const std::exception&) {
  }
  return Status::InvalidArgument(std::string(name) + " must be a whole number from " +
                                 std::to_string(low) + " to " + std::to_string(high) + ", not \"" +
                                 text + "\"");
}

// The page a request asks for: ?limit= (`default_limit` when absent) and ?offset=.
Result<store::ListQuery> PageParams(const Request& req, int default_limit) {
  QUIRE_ASSIGN_OR_RETURN(int limit, IntParam(req, "limit", default_limit, 0, kMaxPageSize));
  QUIRE_ASSIGN_OR_RETURN(int offset, IntParam(req, "offset", 0, 0, INT32_MAX));
  return store::ListQuery{.offset = size_t(offset), .limit = size_t(limit)};
}

store::DocId DocIdOf(const Request& req) { return std::stoull(req.matches[1].str()); }

std::optional<json> ParseBody(const Request& req, Response& res) {
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    SendError(res, 400, "the request body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

// Reads the string members of `body` named in `members` (each left empty when absent); false,
// with 400 answered, when one is there but not a string.
bool ReadStrings(const json& body,
                 std::initializer_list<std::pair<const char*, std::string*>> members,
                 Response& res) {
  for (const auto& [name, out] : members) {
    const auto it = body.find(name);
    if (it == body.end()) continue;
    if (!it->is_string()) {
      SendError(res, 400, std::string(name) + " must be a string");
      return false;
    }
    *out = it->get<std::string>();
  }
  return true;
}

// Rendered page images by document, page and width, least recently used first out.
class PageImageCache {
 public:
  std::shared_ptr<const capture::PageImageFile> Find(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  void Add(const std::string& key, std::shared_ptr<const capture::PageImageFile> image) {
    std::lock_guard lock(mu_);
    if (index_.contains(key)) return;
    bytes_ += image->bytes.size();
    order_.emplace_front(key, std::move(image));
    index_[key] = order_.begin();
    while (bytes_ > kImageCacheBytes && order_.size() > 1) {
      bytes_ -= order_.back().second->bytes.size();
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const capture::PageImageFile>>;
  std::mutex mu_;
  std::list<Entry> order_;
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t bytes_ = 0;
};

}  // namespace

struct HttpApi::Impl {
  explicit Impl(ServedArchive s) : served(std::move(s)), searcher(*served.archive) {}

  using Handler = std::function<void(const Request&, Response&, const Session&)>;

  // The session of the request's bearer token; else answers 401 or 403 and returns nullopt.
  std::optional<Session> Authorize(const Request& req, Response& res, Role need) {
    const std::string header = req.get_header_value("Authorization");
    const std::string token = header.starts_with("Bearer ") ? header.substr(7) : "";
    std::optional<Session> session;
    if (!token.empty() && token == served.local_token) {
      // A local command (server_link.h): it names the person who runs it.
      const std::string user = req.get_header_value("X-Quire-User");
      session = Session{user.empty() ? "local" : user, Role::kAdmin, {}};
    } else if (!token.empty()) {
      session = served.sessions->Find(token);
    }
    if (!session) {
      SendError(res, 401,
                token.empty()
                    ? "log in first: POST /api/login, then send Authorization: Bearer TOKEN"
                    : "the token is unknown or expired: log in again");
      return std::nullopt;
    }
    if (!Allows(session->role, need)) {
      SendError(res, 403,
                "the " + std::string(RoleName(session->role)) +
                    " role may not do this; it needs the " + RoleName(need) +
                    " role (quire user add NAME --role " + RoleName(need) + ")");
      return std::nullopt;
    }
    return session;
  }

  // Wraps a handler with the latency metric and the count of answers by route and status.
  httplib::Server::Handler Measured(const std::string& route, httplib::Server::Handler handler) {
    return [this, route, handler](const Request& req, Response& res) {
      const auto start = std::chrono::steady_clock::now();
      handler(req, res);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      served.metrics->Observe("quire_http_request_seconds", seconds);
      // A body set without a status is answered 200 once the handler returns.
      const int status = res.status == -1 ? 200 : res.status;
      served.metrics->Count("quire_http_requests_total",
                            "route=\"" + route + "\",status=\"" + std::to_string(status) + "\"");
    };
  }

  // Wraps a handler with the role check, the metrics and a last-resort error answer.
  httplib::Server::Handler Guarded(const std::string& route, Role need, Handler handler) {
    return Measured(route, [this, need, handler](const Request& req, Response& res) {
      if (std::optional<Session> session = Authorize(req, res, need)) {
        try {
          handler(req, res, *session);
        } catch (const std::exception& e) {
          SendError(res, 500,
                    std::string("internal error: ") + e.what() +
                        "; this is a bug in quire, please report it");
        }
      }
    });
  }

  void Login(const Request& req, Response& res) {
    std::optional<json> body = ParseBody(req, res);
    std::string user, password;
    if (!body || !ReadStrings(*body, {{"user", &user}, {"password", &password}}, res)) return;
    Result<quire::app::Login> login = served.sessions->LogIn(user, password);
    if (login.ok()) {
      const auto seconds =
          std::chrono::duration_cast<std::chrono::seconds>(login->expires.time_since_epoch());
      SendJson(res, 200,
               {{"token", login->token},
                {"role", RoleName(login->role)},
                {"user", user},
                {"expires", IsoTime(seconds.count())}});
      return;
    }
    switch (login.status().code()) {
      case Status::Code::kInvalidArgument: SendError(res, 401, login.status().message()); return;
      case Status::Code::kResourceExhausted: {
        const auto wait =
            std::chrono::duration_cast<std::chrono::seconds>(served.sessions->RetryAfter(user));
        res.set_header("Retry-After", std::to_string(std::max<int64_t>(1, wait.count())));
        SendError(res, 429, login.status().message());
        return;
      }
      default: SendError(res, 500, login.status().message());
    }
  }

  void Search(const Request& req, Response& res, const Session&) {
    const std::string query = req.get_param_value("q");
    Result<store::ListQuery> page = PageParams(req, kDefaultPageSize);
    const std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "relevance";
    if (!page.ok()) return SendError(res, 400, page.status().message());
    if (sort != "relevance" && sort != "newest" && sort != "oldest") {
      return SendError(res, 400, "sort must be relevance, newest or oldest");
    }
    if (query.empty())
      return SendError(res, 400, "give a query: ?q=WORDS (README: query language)");
    const auto start = std::chrono::steady_clock::now();
    Result<index::SearchResults> found = searcher.Search(
        query,
        {.limit = int(page->limit), .offset = int(page->offset), .sort = ParseSortOrder(sort)});
    served.metrics->Observe(
        "quire_search_seconds",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (!found.ok()) {
      // A query that does not parse is the request's fault; the message names the column.
      const bool bad_query = found.status().code() == Status::Code::kInvalidArgument;
      return SendError(res, bad_query ? 400 : 500, found.status().message());
    }
    SendJson(res, 200, ToJson(*found));
  }

  void ListDocuments(const Request& req, Response& res, const Session&) {
    Result<store::ListQuery> page = PageParams(req, kDefaultPageSize);
    if (!page.ok()) return SendError(res, 400, page.status().message());
    Result<store::DocumentList> docs = served.archive->ListPage(*page);
    if (!docs.ok()) return SendStatus(res, docs.status());
    json listed = json::array();
    for (const store::DocumentSummary& s : docs->documents) listed.push_back(ToJson(s));
    SendJson(res, 200, {{"total", docs->total}, {"documents", std::move(listed)}});
  }

  void Upload(const Request& req, Response& res, const Session& session) {
    if (!req.is_multipart_form_data() || !req.has_file("file")) {
      return SendError(res, 400,
                       "send the files as multipart/form-data, each in a part named \"file\"");
    }
    if (served.uploads->backlog() >= served.max_upload_backlog) {
      res.set_header("Retry-After", "30");
      return SendError(res, 503,
                       "busy: " + std::to_string(served.uploads->backlog()) +
                           " uploads are waiting to be read; try again in a minute");
    }
    const auto files = req.files.equal_range("file");
    // Every file is checked before any is taken, so a refused request stores nothing.
    for (auto it = files.first; it != files.second; ++it) {
      if (!CheckUploadSize(it->second, res)) return;
    }
    json jobs = json::array();
    for (auto it = files.first; it != files.second; ++it) {
      Result<uint64_t> job =
          served.uploads->Submit(it->second.filename, it->second.content, session.user);
      if (!job.ok()) return SendError(res, 507, job.status().message());
      jobs.push_back(*job);
    }
    served.metrics->Count("quire_uploads_total", "", double(jobs.size()));
    SendJson(res, 202, {{"jobs", std::move(jobs)}});
  }

  // False, with 413 answered, when `file` is over the upload or the capture limits.
  bool CheckUploadSize(const httplib::MultipartFormData& file, Response& res) {
    if (int64_t(file.content.size()) > served.max_upload_bytes) {
      SendError(res, 413,
                file.filename + " is " + std::to_string(file.content.size()) +
                    " bytes, over the upload limit of " + std::to_string(served.max_upload_bytes) +
                    ": split it, or put it into a hot folder");
      return false;
    }
    if (Status s = capture::CheckLimits(file.content, served.capture); !s.ok()) {
      SendError(res, 413, file.filename + ": " + s.message());
      return false;
    }
    return true;
  }

  // POST /api/documents/separated: one stack, split and stored before the answer (`ingest
  // --separate` beside the server), each page read once.
  void SeparatedUpload(const Request& req, Response& res, const Session& session) {
    if (!req.is_multipart_form_data() || req.files.count("file") != 1 ||
        !req.has_file("separate")) {
      return SendError(res, 400,
                       "send one file as multipart/form-data in a part named \"file\", with "
                       "\"separate\" (blank, barcode or pages:N) and optionally "
                       "\"separator_code\" and \"duplex\" (yes or no)");
    }
    const httplib::MultipartFormData file = req.get_file_value("file");
    if (!CheckUploadSize(file, res)) return;
    const std::string code =
        req.has_file("separator_code") ? req.get_file_value("separator_code").content : "";
    Result<capture::Separation> separation =
        capture::ParseSeparation(req.get_file_value("separate").content, code);
    if (!separation.ok()) return SendError(res, 422, separation.status().message());
    separation->duplex = req.has_file("duplex") && req.get_file_value("duplex").content == "yes";
    const SeparatedStack stack =
        CaptureSeparateAndCommit(file.content, file.filename, session.user, {}, *separation,
                                 *served.capturer, *served.extractor, *served.archive);
    if (!stack.bad_file.ok()) {
      return SendError(res, 422, stack.bad_file.WithContext(file.filename).message());
    }
    json results = json::array();
    for (const StackPart& part : stack.parts) {
      results.push_back(PartResult(file.filename, part.file_pages, part.committed).ToJson());
    }
    served.metrics->Count("quire_uploads_total", "", 1);
    SendJson(res, 200,
             {{"results", std::move(results)}, {"separator_pages", stack.separator_pages}});
  }

  void Job(const Request& req, Response& res, const Session&) {
    Result<json> job = served.uploads->Job(std::stoull(req.matches[1].str()), *served.journal);
    if (!job.ok()) return SendStatus(res, job.status());
    SendJson(res, 200, *job);
  }

  void GetDocument(const Request& req, Response& res, const Session&) {
    Result<store::DocumentRecord> doc = served.archive->Get(DocIdOf(req));
    if (!doc.ok()) return SendStatus(res, doc.status());
    SendJson(res, 200, ToJson(*doc));
  }

  void PageImage(const Request& req, Response& res, const Session&) {
    const store::DocId id = DocIdOf(req);
    const int page = std::stoi(req.matches[2].str());
    Result<int> width = IntParam(req, "width", 0, 0, kMaxImageWidth);
    if (!width.ok()) return SendError(res, 400, width.status().message());
    Result<int> upright = IntParam(req, "upright", 0, 0, 1);
    if (!upright.ok()) return SendError(res, 400, upright.status().message());
    // Originals and their pages' rotations never change and ids are never reused, so the key
    // names the image for good.
    // Appended, not added: GCC 12 warns (-Wrestrict, a false positive) on "..." + string here.
    const std::string key = std::to_string(id)
                                .append("/")
                                .append(std::to_string(page))
                                .append("/")
                                .append(std::to_string(*width))
                                .append(*upright ? "/upright" : "");
    const std::string etag =
        std::string("\"").append(kImageVersion).append("-").append(key).append("\"");
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", "private, max-age=86400");
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    std::shared_ptr<const capture::PageImageFile> image = images.Find(key);
    if (!image) {
      Result<int> rotation = *upright ? PageRotation(id, page) : 0;
      if (!rotation.ok()) return SendStatus(res, rotation.status());
      Result<std::string> original = served.archive->GetOriginal(id);
      if (!original.ok()) return SendStatus(res, original.status());
      Result<capture::PageImageFile> rendered =
          capture::RenderPageImage(*original, page, *width, served.capture, *rotation);
      if (!rendered.ok()) return SendStatus(res, rendered.status());
      image = std::make_shared<const capture::PageImageFile>(std::move(*rendered));
      images.Add(key, image);
    }
    res.set_header("X-Image-Width", std::to_string(image->width));
    res.set_content(image->bytes, image->content_type);
  }

  // Degrees clockwise the page was turned to be read (PageText::rotation).
  Result<int> PageRotation(store::DocId id, int page) {
    QUIRE_ASSIGN_OR_RETURN(store::DocumentContent content, served.archive->GetContent(id));
    if (page < 0 || static_cast<size_t>(page) >= content.pages.size()) {
      return Status::NotFound("no page " + std::to_string(page + 1) + ": the document has " +
                              std::to_string(content.pages.size()));
    }
    return content.pages[page].rotation;
  }

  void Original(const Request& req, Response& res, const Session& session) {
    const store::DocId id = DocIdOf(req);
    Result<store::DocumentRecord> doc = served.archive->Get(id);
    if (!doc.ok()) return SendStatus(res, doc.status());
    Result<std::string> original = served.archive->GetOriginal(id);
    if (!original.ok()) return SendStatus(res, original.status());
    const std::string& format = doc->summary.format;
    const std::string type = format == "pdf"    ? "application/pdf"
                             : format == "jpeg" ? "image/jpeg"
                             : format == "tiff" ? "image/tiff"
                                                : "image/png";
    const std::string name = std::filesystem::path(doc->summary.source).filename().string();
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    res.set_content(std::move(*original), type);
    (void)served.archive->AppendAudit(id, {0, "exported", session.user, "original, over HTTP"});
  }

  void Pdf(const Request& req, Response& res, const Session& session) {
    const store::DocId id = DocIdOf(req);
    Result<store::DocumentRecord> doc = served.archive->Get(id);
    if (!doc.ok()) return SendStatus(res, doc.status());
    Result<std::string> original = served.archive->GetOriginal(id);
    if (!original.ok()) return SendStatus(res, original.status());
    Result<std::string> pdf = DocumentPdf(*doc, *original, served.capture, std::time(nullptr));
    if (!pdf.ok()) return SendStatus(res, pdf.status());
    const std::string name = std::filesystem::path(doc->summary.source).stem().string() + ".pdf";
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    res.set_content(std::move(*pdf), "application/pdf");
    (void)served.archive->AppendAudit(id, {0, "exported", session.user, "pdf, over HTTP"});
  }

  // What a PATCH body asks for; false, with 400 answered, when it is malformed.
  static bool ReadEdit(const Request& req, Response& res, const Session& session,
                       std::vector<FieldCorrection>& corrections, LabelEdit& labels) {
    std::optional<json> body = ParseBody(req, res);
    if (!body) return false;
    labels.by = session.user;
    try {
      const json fields = body->value("fields", json::object());
      for (const auto& [name, value] : fields.items()) {
        corrections.push_back({name, value.get<std::string>(), false, session.user});
      }
      const json accepted = body->value("accept", json::array());
      for (const auto& name : accepted) {
        corrections.push_back({name.get<std::string>(), "", true, session.user});
      }
      if (body->contains("title")) labels.title = (*body)["title"].get<std::string>();
      if (body->contains("notes")) labels.notes = (*body)["notes"].get<std::string>();
      labels.tags_add = body->value("tags_add", std::vector<std::string>());
      labels.tags_remove = body->value("tags_remove", std::vector<std::string>());
    } catch (const json::exception&) {
      SendError(res, 400,
                "fields is {NAME: \"VALUE\"}; accept, tags_add and tags_remove are lists of "
                "strings; title and notes are strings");
      return false;
    }
    return true;
  }

  void Patch(const Request& req, Response& res, const Session& session) {
    const store::DocId id = DocIdOf(req);
    std::vector<FieldCorrection> corrections;
    LabelEdit labels;
    if (!ReadEdit(req, res, session, corrections, labels)) return;
    json correction;
    if (!corrections.empty()) {
      Result<json> corrected = CorrectFields(*served.archive, id, corrections, served.extract);
      if (!corrected.ok()) return SendStatus(res, corrected.status());
      served.metrics->Count("quire_corrections_total", "", double(corrections.size()));
      correction = std::move(*corrected);
    }
    Result<store::DocumentLabels> edited = EditLabels(*served.archive, id, labels);
    if (!edited.ok()) return SendStatus(res, edited.status());
    Result<store::DocumentRecord> doc = served.archive->Get(id);
    if (!doc.ok()) return SendStatus(res, doc.status());
    json answer = ToJson(*doc);
    if (!correction.is_null()) answer["correction"] = std::move(correction);
    SendJson(res, 200, answer);
  }

  // POST .../check: a PATCH's corrections checked and answered, nothing written.
  void Check(const Request& req, Response& res, const Session& session) {
    std::vector<FieldCorrection> corrections;
    LabelEdit ignored;
    if (!ReadEdit(req, res, session, corrections, ignored)) return;
    Result<json> checked = CorrectFields(*served.archive, DocIdOf(req), corrections, served.extract,
                                         /*check_only=*/true);
    if (!checked.ok()) return SendStatus(res, checked.status());
    SendJson(res, 200, *checked);
  }

  // A local command's audit event (`quire export` beside the server).
  void Audit(const Request& req, Response& res, const Session& session) {
    std::optional<json> body = ParseBody(req, res);
    store::AuditEvent event;
    event.by = session.user;
    if (!body || !ReadStrings(*body, {{"action", &event.action}, {"detail", &event.detail}}, res)) {
      return;
    }
    if (event.action != "exported") return SendError(res, 400, "action must be \"exported\"");
    if (Status s = served.archive->AppendAudit(DocIdOf(req), event); !s.ok()) {
      return SendStatus(res, s);
    }
    SendJson(res, 200, {{"audited", event.action}});
  }

  void Delete(const Request& req, Response& res, const Session& session) {
    if (Status s = DeleteDocument(*served.archive, DocIdOf(req), session.user); !s.ok()) {
      return SendStatus(res, s);
    }
    SendJson(res, 200, {{"deleted", DocIdOf(req)}});
  }

  void Review(const Request& req, Response& res, const Session&) {
    Result<store::ListQuery> page = PageParams(req, kMaxPageSize);
    if (!page.ok()) return SendError(res, 400, page.status().message());
    page->needs_review = true;
    Result<store::DocumentList> docs = served.archive->ListPage(*page);
    if (!docs.ok()) return SendStatus(res, docs.status());
    json queue = json::array();
    for (const store::DocumentSummary& s : docs->documents) {
      Result<store::DocumentContent> content = served.archive->GetContent(s.id);
      if (!content.ok()) return SendStatus(res, content.status());
      const json extraction = quire::ToJson(content->extraction);
      json entry = ToJson(s);
      entry["fields"] = extraction["fields"];
      entry["review_reasons"] = extraction["review_reasons"];
      queue.push_back(std::move(entry));
    }
    SendJson(res, 200, {{"total", docs->total}, {"documents", std::move(queue)}});
  }

  void Inbox(const Request&, Response& res, const Session&) {
    json inboxes = json::array();
    for (size_t i = 0; i < served.inboxes.size(); ++i) {
      const ServedInbox& inbox = served.inboxes[i];
      Result<std::vector<FailedFile>> failed = inbox.folders.ListFailed();
      if (!failed.ok()) return SendStatus(res, failed.status());
      Result<std::vector<store::JournalEntry>> pending =
          served.journal->Pending(inbox.folders.root + "/");
      if (!pending.ok()) return SendStatus(res, pending.status());
      Result<size_t> waiting = CountWaitingFiles(inbox.folders);
      if (!waiting.ok()) return SendStatus(res, waiting.status());
      json failures = json::array();
      for (const FailedFile& f : *failed) {
        failures.push_back({{"name", std::to_string(i) + "/" + f.name},
                            {"file", f.name},
                            {"reason", f.reason},
                            {"time", IsoTime(f.time)}});
      }
      inboxes.push_back({{"name", inbox.name},
                         {"path", inbox.folders.root},
                         {"waiting", *waiting},
                         {"in_progress", pending->size()},
                         {"failed", std::move(failures)}});
    }
    Result<store::DocumentList> docs = served.archive->ListPage({.limit = kRecentDocuments});
    if (!docs.ok()) return SendStatus(res, docs.status());
    json recent = json::array();
    for (const store::DocumentSummary& s : docs->documents) recent.push_back(ToJson(s));
    SendJson(res, 200, {{"inboxes", std::move(inboxes)}, {"recent", std::move(recent)}});
  }

  // NAME is "K/PATH": the K-th inbox of GET /api/inbox, and the file's path in its failed folder.
  void FailedFileAction(const Request& req, Response& res, bool retry) {
    const size_t k = std::stoul(req.matches[1].str());
    if (k >= served.inboxes.size())
      return SendError(res, 404, "no hot folder " + std::to_string(k));
    const WatchFolders& folders = served.inboxes[k].folders;
    const std::string name = req.matches[2].str();
    const Status s = retry ? folders.RetryFailed(name) : folders.DiscardFailed(name);
    if (!s.ok()) return SendStatus(res, s);
    SendJson(res, 200, {{retry ? "retried" : "discarded", name}});
  }

  void Stats(const Request&, Response& res, const Session&) {
    Result<store::Archive::Stats> stats = served.archive->GetStats();
    if (!stats.ok()) return SendStatus(res, stats.status());
    SendJson(res, 200,
             {{"documents", stats->documents},
              {"pages", stats->pages},
              {"originals", stats->originals},
              {"original_bytes", stats->original_bytes},
              {"disk_bytes", stats->disk_bytes},
              {"needs_review", stats->needs_review},
              {"uploads_waiting", served.uploads->backlog()}});
  }

  void Backup(const Request& req, Response& res, const Session&) {
    std::optional<json> body = ParseBody(req, res);
    std::string dest;
    if (!body || !ReadStrings(*body, {{"dest", &dest}}, res)) return;
    if (dest.empty())
      return SendError(res, 400, "give {\"dest\": FOLDER}, a folder that does not exist yet");
    if (Status s = served.archive->Backup(dest); !s.ok()) return SendStatus(res, s);
    if (Status s = served.users->CopyTo(dest); !s.ok()) return SendStatus(res, s);
    SendJson(res, 200, {{"backup", dest}});
  }

  // A scan session's refusal: IoError is a busy scanner or a scan still running.
  static void SendScanStatus(Response& res, const Status& status) {
    SendError(res, status.code() == Status::Code::kIoError ? 409 : HttpStatus(status),
              status.message());
  }

  static void SendScan(Response& res, const Result<json>& scan, int status = 200) {
    if (!scan.ok()) return SendScanStatus(res, scan.status());
    SendJson(res, status, *scan);
  }

  void Scanners(const Request&, Response& res, const Session&) {
    Result<std::vector<ScannerDevice>> devices = ListScanners();
    if (!devices.ok()) return SendStatus(res, devices.status());
    json list = json::array();
    for (const ScannerDevice& d : *devices) list.push_back(ToJson(d));
    SendJson(res, 200, {{"devices", std::move(list)}});
  }

  void StartScan(const Request& req, Response& res, const Session& session) {
    std::optional<json> body = ParseBody(req, res);
    if (!body) return;
    ScanSettings settings;
    std::string separate;
    std::string code;
    try {
      settings.device = body->value("device", settings.device);
      settings.source = body->value("source", settings.source);
      settings.resolution = body->value("resolution", settings.resolution);
      settings.mode = body->value("mode", settings.mode);
      separate = body->value("separate", "");
      code = body->value("separator_code", "");
    } catch (const json::exception&) {
      return SendError(res, 400,
                       "device, source, mode, separate and separator_code are strings; "
                       "resolution is a whole number of dots per inch");
    }
    capture::Separation separation;
    if (!separate.empty()) {
      Result<capture::Separation> parsed = capture::ParseSeparation(separate, code);
      if (!parsed.ok()) return SendError(res, 422, parsed.status().message());
      separation = *parsed;
    }
    SendScan(res, served.scans->Start(settings, separation, session.user), 201);
  }

  void EditScanPage(const Request& req, Response& res, PageEdit edit) {
    int degrees = 0;
    if (edit == PageEdit::kTurn) {
      std::optional<json> body = ParseBody(req, res);
      if (!body) return;
      const json value = body->value("degrees", json());
      if (!value.is_number_integer()) {
        return SendError(res, 400, "give {\"degrees\": 90}, 180 or 270: clockwise");
      }
      degrees = value.get<int>();
    }
    SendScan(res,
             served.scans->Edit(ScanIdOf(req), std::stoi(req.matches[2].str()), edit, degrees));
  }

  void ScanPageImage(const Request& req, Response& res, const Session&) {
    Result<int> width = IntParam(req, "width", 0, 0, kMaxImageWidth);
    if (!width.ok()) return SendError(res, 400, width.status().message());
    Result<capture::PageImageFile> image =
        served.scans->PageImage(ScanIdOf(req), std::stoi(req.matches[2].str()), *width);
    if (!image.ok()) return SendScanStatus(res, image.status());
    // The station asks with the page's version (?v=): a turn or a rescan makes a new address.
    res.set_header("Cache-Control", "private, max-age=3600");
    res.set_content(image->bytes, image->content_type);
  }

  static uint64_t ScanIdOf(const Request& req) { return std::stoull(req.matches[1].str()); }

  void Static(const Request& req, Response& res) {
    const WebAsset* asset = FindWebAsset(req.path);
    if (asset == nullptr) return SendError(res, 404, "no such page: " + req.path);
    res.set_header("ETag", std::string(asset->etag));
    if (req.get_header_value("If-None-Match") == asset->etag) {
      res.status = 304;
      return;
    }
    res.set_content(std::string(asset->body), std::string(asset->content_type));
  }

  ServedArchive served;
  index::Searcher searcher;
  PageImageCache images;
};

HttpApi::HttpApi(ServedArchive served) : impl_(std::make_unique<Impl>(std::move(served))) {}
HttpApi::~HttpApi() = default;

void HttpApi::Register(httplib::Server& server) {
  Impl& api = *impl_;
  using R = Role;
  auto bind = [&api](void (Impl::*method)(const Request&, Response&, const Session&)) {
    return [&api, method](const Request& req, Response& res, const Session& session) {
      (api.*method)(req, res, session);
    };
  };
  const std::string doc = R"(/api/documents/(\d+))";

  server.Post("/api/login", api.Measured("login", [&api](const Request& req, Response& res) {
    api.Login(req, res);
  }));
  server.Get("/healthz", [&api](const Request&, Response& res) {
    const Status writable = api.served.archive->Writable();
    SendJson(res, writable.ok() ? 200 : 503,
             {{"ok", writable.ok()}, {"archive", writable.ok() ? "writable" : writable.message()}});
  });
  server.Post(
      "/api/logout",
      api.Guarded("logout", R::kViewer, [&api](const Request& req, Response& res, const Session&) {
        api.served.sessions->Revoke(req.get_header_value("Authorization").substr(7));
        SendJson(res, 200, {{"logged_out", true}});
      }));
  server.Get(
      "/api/me",
      api.Guarded("me", R::kViewer, [](const Request&, Response& res, const Session& session) {
        SendJson(res, 200, {{"user", session.user}, {"role", RoleName(session.role)}});
      }));
  server.Get("/api/search", api.Guarded("search", R::kViewer, bind(&Impl::Search)));
  server.Get("/api/documents", api.Guarded("documents", R::kViewer, bind(&Impl::ListDocuments)));
  server.Post("/api/documents", api.Guarded("upload", R::kOperator, bind(&Impl::Upload)));
  server.Post("/api/documents/separated",
              api.Guarded("upload_separated", R::kOperator, bind(&Impl::SeparatedUpload)));
  server.Get(R"(/api/jobs/(\d+))", api.Guarded("job", R::kOperator, bind(&Impl::Job)));
  server.Get(doc, api.Guarded("document", R::kViewer, bind(&Impl::GetDocument)));
  server.Patch(doc, api.Guarded("edit", R::kOperator, bind(&Impl::Patch)));
  server.Post(doc + "/check", api.Guarded("check", R::kOperator, bind(&Impl::Check)));
  server.Delete(doc, api.Guarded("delete", R::kAdmin, bind(&Impl::Delete)));
  server.Get(doc + R"(/pages/(\d+)/image)",
             api.Guarded("page_image", R::kViewer, bind(&Impl::PageImage)));
  server.Post(doc + "/audit", api.Guarded("audit", R::kAdmin, bind(&Impl::Audit)));
  server.Get(doc + "/original", api.Guarded("original", R::kViewer, bind(&Impl::Original)));
  server.Get(doc + "/pdf", api.Guarded("pdf", R::kViewer, bind(&Impl::Pdf)));
  server.Get("/api/review", api.Guarded("review", R::kViewer, bind(&Impl::Review)));
  server.Get("/api/inbox", api.Guarded("inbox", R::kViewer, bind(&Impl::Inbox)));
  server.Post(R"(/api/inbox/failed/(\d+)/(.+)/retry)",
              api.Guarded("inbox_retry", R::kOperator,
                          [&api](const Request& req, Response& res, const Session&) {
                            api.FailedFileAction(req, res, /*retry=*/true);
                          }));
  server.Delete(R"(/api/inbox/failed/(\d+)/(.+))",
                api.Guarded("inbox_discard", R::kOperator,
                            [&api](const Request& req, Response& res, const Session&) {
                              api.FailedFileAction(req, res, /*retry=*/false);
                            }));
  server.Get("/api/stats", api.Guarded("stats", R::kViewer, bind(&Impl::Stats)));
  server.Post("/api/backup", api.Guarded("backup", R::kAdmin, bind(&Impl::Backup)));
  const std::string scan = R"(/api/scans/(\d+))";
  server.Get("/api/scanners", api.Guarded("scanners", R::kOperator, bind(&Impl::Scanners)));
  server.Get("/api/scans", api.Guarded("scans", R::kOperator,
                                       [&api](const Request&, Response& res, const Session&) {
                                         SendJson(res, 200, {{"scans", api.served.scans->List()}});
                                       }));
  server.Post("/api/scans", api.Guarded("scan_start", R::kOperator, bind(&Impl::StartScan)));
  server.Get(scan, api.Guarded("scan", R::kOperator,
                               [&api](const Request& req, Response& res, const Session&) {
                                 Impl::SendScan(res, api.served.scans->Get(Impl::ScanIdOf(req)));
                               }));
  server.Post(scan + "/stop",
              api.Guarded("scan_stop", R::kOperator,
                          [&api](const Request& req, Response& res, const Session&) {
                            Impl::SendScan(res, api.served.scans->Stop(Impl::ScanIdOf(req)));
                          }));
  server.Post(scan + "/more",
              api.Guarded("scan_more", R::kOperator,
                          [&api](const Request& req, Response& res, const Session&) {
                            Impl::SendScan(res, api.served.scans->ScanMore(Impl::ScanIdOf(req)));
                          }));
  server.Post(scan + "/commit",
              api.Guarded("scan_commit", R::kOperator,
                          [&api](const Request& req, Response& res, const Session& session) {
                            Impl::SendScan(
                                res, api.served.scans->Commit(Impl::ScanIdOf(req), session.user));
                          }));
  server.Delete(scan, api.Guarded("scan_discard", R::kOperator,
                                  [&api](const Request& req, Response& res, const Session&) {
                                    if (Status s = api.served.scans->Discard(Impl::ScanIdOf(req));
                                        !s.ok()) {
                                      return Impl::SendScanStatus(res, s);
                                    }
                                    SendJson(res, 200, {{"discarded", Impl::ScanIdOf(req)}});
                                  }));
  server.Get(scan + R"(/pages/(\d+)/image)",
             api.Guarded("scan_page_image", R::kOperator, bind(&Impl::ScanPageImage)));
  const std::pair<const char*, PageEdit> page_edits[] = {{"split", PageEdit::kSplit},
                                                         {"join", PageEdit::kJoin},
                                                         {"turn", PageEdit::kTurn},
                                                         {"keep", PageEdit::kKeep},
                                                         {"rescan", PageEdit::kRescan}};
  for (const auto& [name, edit] : page_edits) {
    server.Post(scan + R"(/pages/(\d+)/)" + name,
                api.Guarded(std::string("scan_page_") + name, R::kOperator,
                            [&api, edit](const Request& req, Response& res, const Session&) {
                              api.EditScanPage(req, res, edit);
                            }));
  }
  server.Delete(scan + R"(/pages/(\d+))",
                api.Guarded("scan_page_delete", R::kOperator,
                            [&api](const Request& req, Response& res, const Session&) {
                              api.EditScanPage(req, res, PageEdit::kDelete);
                            }));
  server.Get(
      "/metrics",
      api.Guarded("metrics", R::kViewer, [&api](const Request&, Response& res, const Session&) {
        res.set_content(api.served.metrics->Text(), "text/plain; version=0.0.4");
      }));
  const auto no_route = [](const Request& req, Response& res) {
    SendError(res, 404,
              "no such route: " + req.method + " " + req.path + " (README.md lists the API)");
  };
  // Errors httplib answers itself, before any route, carry no body: give them the API's.
  server.set_error_handler([&api](const Request&, Response& res) {
    if (!res.body.empty()) return;
    switch (res.status) {
      case 400:
        return SendError(res, 400,
                         "the request could not be read: send its body with a Content-Length");
      case 413:
        return SendError(res, 413,
                         "the request is too large: uploads take up to " +
                             std::to_string(api.served.max_upload_bytes >> 20) +
                             " MB a file (quire serve --max-upload-mb); a JSON body sent as a form "
                             "(curl -d without -H 'Content-Type: application/json') up to 8 KB");
      case 414: return SendError(res, 414, "the URL is too long: at most 8 KB");
      default: return SendError(res, res.status, "HTTP status " + std::to_string(res.status));
    }
  });
  server.Get(R"(/api/.*)", no_route);
  server.Post(R"(/api/.*)", no_route);
  server.Put(R"(/api/.*)", no_route);
  server.Patch(R"(/api/.*)", no_route);
  server.Delete(R"(/api/.*)", no_route);
  server.Get(R"(/.*)", [&api](const Request& req, Response& res) { api.Static(req, res); });
}

}  // namespace quire::app
