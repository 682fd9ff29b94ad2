// list, show, search, verify, backup, stats: the commands that read the archive.
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "document_edits.h"
#include "document_json.h"
#include "document_pdf.h"
#include "quire/common/file.h"
#include "quire/common/json.h"
#include "quire/extract/extract.h"
#include "quire/index/index.h"
#include "server_link.h"
#include "users.h"

namespace quire::app {
namespace {

void PrintDocument(const store::DocumentRecord& doc) {
  const store::DocumentSummary& s = doc.summary;
  std::cout << "document " << s.id << "  " << DocumentTypeName(s.type) << ", " << s.pages
            << (s.pages == 1 ? " page" : " pages") << (s.needs_review ? ", needs review" : "")
            << "\n  source:   " << s.source << "\n  sha256:   " << s.sha256
            << "\n  ingested: " << IsoTime(s.ingested) << "\n";
  if (!s.title.empty()) std::cout << "  title:    " << s.title << "\n";
  if (!s.tags.empty()) {
    std::cout << "  tags:    ";
    for (const std::string& tag : s.tags) std::cout << " " << tag;
    std::cout << "\n";
  }
  if (!doc.extraction.fields.empty()) std::cout << "fields:\n";
  for (const auto& [name, f] : doc.extraction.fields) {
    std::cout << "  " << std::left << std::setw(16) << name << f.value
              << (f.valid ? "" : "  (INVALID)") << "\n";
  }
  for (const std::string& reason : doc.extraction.review_reasons) {
    std::cout << "  review: " << reason << "\n";
  }
  if (!s.notes.empty()) std::cout << "notes:\n  " << s.notes << "\n";
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    std::cout << "--- page " << i + 1 << " ---\n" << doc.pages[i].text << "\n";
  }
  for (const store::AuditEvent& e : doc.history) {
    std::cout << "history: " << IsoTime(e.time) << " " << e.action << " by " << e.by
              << (e.detail.empty() ? "" : ": " + e.detail) << "\n";
  }
}

// The server that owns the archive, when one runs (server_link.h): the commands that write send
// their work to it, naming `user` as the person acting.
std::optional<ServerClient> OwningServer(const GlobalOptions& global, const std::string& user) {
  std::optional<ServerLink> link = FindServer(ArchivePath(global));
  if (!link) return std::nullopt;
  return ServerClient(*link, user);
}

std::string DocumentPath(uint64_t id) { return "/api/documents/" + std::to_string(id); }

void PrintCorrection(const GlobalOptions& global, const nlohmann::json& corrected,
                     const FieldCorrection& correction) {
  if (global.json) {
    PrintJson(corrected);
    return;
  }
  const bool needs_review = corrected["needs_review"].get<bool>();
  std::cout << "document " << corrected["id"].get<uint64_t>() << ": "
            << corrected["detail"].get<std::string>()
            << (correction.accept ? " by " + correction.by : "")
            << (needs_review ? "; still needs review" : "; review done") << "\n";
  for (const auto& reason : corrected["review_reasons"]) {
    std::cout << "  - " << reason.get<std::string>() << "\n";
  }
  for (const auto& [field, problems] : corrected["flagged"].items()) {
    for (const auto& problem : problems) {
      std::cout << "  ! " << field << ": " << problem.get<std::string>() << "\n";
    }
  }
}

}  // namespace

int RunList(const GlobalOptions& global, const store::ListQuery& page) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  Result<store::DocumentList> docs = (*archive)->ListPage(page);
  if (!docs.ok()) return ReportError(docs.status());
  if (global.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const store::DocumentSummary& s : docs->documents) list.push_back(ToJson(s));
    PrintJson({{"total", docs->total}, {"documents", list}});
    return kExitOk;
  }
  for (const store::DocumentSummary& s : docs->documents) {
    std::cout << std::setw(6) << s.id << "  " << std::left << std::setw(8)
              << DocumentTypeName(s.type) << std::right << std::setw(3) << s.pages << "p  "
              << IsoTime(s.ingested) << "  " << s.source << (s.needs_review ? "  (review)" : "")
              << "\n";
  }
  if (docs->documents.empty()) {
    std::cerr << (docs->total == 0 ? "the archive " + ArchivePath(global) + " holds no documents"
                                   : "no documents from " + std::to_string(page.offset + 1) +
                                         " on (" + std::to_string(docs->total) + " in all)")
              << "\n";
  }
  return kExitOk;
}

int RunShow(const GlobalOptions& global, uint64_t id) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  Result<store::DocumentRecord> doc = (*archive)->Get(id);
  if (!doc.ok()) return ReportError(doc.status());
  if (global.json) {
    PrintJson(ToJson(*doc));
  } else {
    PrintDocument(*doc);
  }
  return kExitOk;
}

int RunSearch(const GlobalOptions& global, const std::string& query, int limit, int offset,
              const std::string& sort) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  index::Searcher searcher(**archive);
  Result<index::SearchResults> found =
      searcher.Search(query, {.limit = limit, .offset = offset, .sort = ParseSortOrder(sort)});
  if (!found.ok()) return ReportError(found.status());
  if (global.json) {
    PrintJson(ToJson(*found));
    return kExitOk;
  }
  // "15 documents match; showing 1-10", "at least 1000 documents match; ...".
  const std::string count = (found->total_exact ? "" : "at least ") + std::to_string(found->total) +
                            (found->total == 1 ? " document" : " documents");
  if (found->total == 0) {
    std::cout << "no documents match " << query << "\n";
    return kExitOk;
  }
  std::cout << (found->all_words ? count + (found->total == 1 ? " matches" : " match")
                                 : "no document has every word; " + count + " have some of them");
  if (limit == 0) {
    std::cout << "\n";  // the count alone
  } else if (found->hits.empty()) {
    std::cout << "; none from " << offset + 1 << " on\n";
  } else {
    std::cout << "; showing " << offset + 1 << "-" << offset + found->hits.size() << "\n";
  }
  for (const index::SearchHit& h : found->hits) {
    std::cout << std::setw(6) << h.id << "  " << std::left << std::setw(8) << h.type << std::right
              << "  " << h.title << "  (score " << std::fixed << std::setprecision(2) << h.score
              << ")\n        " << h.snippet << "\n";
  }
  return kExitOk;
}

int RunReview(const GlobalOptions& global) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  Result<store::DocumentList> docs = (*archive)->ListPage({.needs_review = true});
  if (!docs.ok()) return ReportError(docs.status());
  nlohmann::json queue = nlohmann::json::array();
  for (const store::DocumentSummary& s : docs->documents) {
    Result<store::DocumentRecord> doc = (*archive)->Get(s.id);
    if (!doc.ok()) return ReportError(doc.status());
    const std::vector<std::string>& reasons = doc->extraction.review_reasons;
    if (global.json) {
      nlohmann::json entry = ToJson(s);
      entry["review_reasons"] = reasons;
      queue.push_back(std::move(entry));
      continue;
    }
    std::cout << std::setw(6) << s.id << "  " << DocumentTypeName(s.type) << "  " << s.source
              << "\n";
    for (const std::string& reason : reasons) std::cout << "        - " << reason << "\n";
  }
  if (global.json) {
    PrintJson({{"documents", queue}});
  } else if (docs->documents.empty()) {
    std::cout << "the review queue is empty\n";
  }
  return kExitOk;
}

int RunCorrect(const GlobalOptions& global, const extract::ExtractOptions& options, uint64_t id,
               const FieldCorrection& correction) {
  if (std::optional<ServerClient> server = OwningServer(global, correction.by)) {
    nlohmann::json body;
    if (correction.accept) {
      body["accept"] = nlohmann::json::array({correction.field});
    } else {
      body["fields"][correction.field] = correction.value;
    }
    Result<nlohmann::json> doc = server->Patch(DocumentPath(id), body);
    if (!doc.ok()) return ReportError(doc.status());
    PrintCorrection(global, (*doc)["correction"], correction);
    return kExitOk;
  }
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return ReportError(archive.status());
  Result<nlohmann::json> corrected = CorrectFields(**archive, id, {correction}, options);
  if (!corrected.ok()) return ReportError(corrected.status());
  PrintCorrection(global, *corrected, correction);
  return kExitOk;
}

int RunExport(const GlobalOptions& global, const capture::CaptureOptions& capture, uint64_t id,
              const std::string& format, const std::string& out) {
  // Beside a server, the archive is read directly and the export audited through the server.
  std::optional<ServerClient> server = OwningServer(global, CurrentUser());
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, server.has_value());
  if (!archive.ok()) return ReportError(archive.status());
  Result<store::DocumentRecord> doc = (*archive)->Get(id);
  if (!doc.ok()) return ReportError(doc.status());
  std::string contents;
  if (format == "original" || format == "pdf") {
    Result<std::string> original = (*archive)->GetOriginal(id);
    if (!original.ok()) return ReportError(original.status());
    contents = std::move(*original);
  }
  if (format == "pdf") {
    Result<std::string> pdf = DocumentPdf(*doc, contents, capture, std::time(nullptr));
    if (!pdf.ok()) return ReportError(pdf.status());
    contents = std::move(*pdf);
  } else if (format == "text") {
    for (size_t i = 0; i < doc->pages.size(); ++i)
      contents += (i ? "\f" : "") + doc->pages[i].text + "\n";
  } else if (format == "json") {
    contents = ToJson(*doc).dump(2) + "\n";
  }
  if (out.empty()) {
    std::cout << contents;
  } else if (const int written = WriteOutputFile(out, contents); written != kExitOk) {
    return written;
  }
  const std::string detail = format + (out.empty() ? "" : " to " + out);
  if (server) {
    Result<nlohmann::json> audited =
        server->Post(DocumentPath(id) + "/audit", {{"action", "exported"}, {"detail", detail}});
    return audited.ok() ? kExitOk : ReportError(audited.status());
  }
  const store::AuditEvent event{0, "exported", CurrentUser(), detail};
  if (Status s = (*archive)->AppendAudit(id, event); !s.ok()) return ReportError(s);
  return kExitOk;
}

namespace {

// Applies `edit`, as the user's, through the archive's server when one owns it, else directly;
// the document's labels after it.
Result<store::DocumentLabels> ApplyLabelEdit(const GlobalOptions& global, uint64_t id,
                                             LabelEdit edit) {
  edit.by = CurrentUser();
  if (std::optional<ServerClient> server = OwningServer(global, edit.by)) {
    nlohmann::json body = {{"tags_add", edit.tags_add}, {"tags_remove", edit.tags_remove}};
    if (edit.title) body["title"] = *edit.title;
    if (edit.notes) body["notes"] = *edit.notes;
    QUIRE_ASSIGN_OR_RETURN(nlohmann::json doc, server->Patch(DocumentPath(id), body));
    return store::DocumentLabels{doc["tags"].get<std::vector<std::string>>(),
                                 doc["title"].get<std::string>(), doc["notes"].get<std::string>()};
  }
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<store::Archive> archive,
                         OpenArchive(global, /*read_only=*/false));
  return EditLabels(*archive, id, edit);
}

std::string JoinedTags(const std::vector<std::string>& tags) {
  std::string joined;
  for (const std::string& tag : tags) joined += " " + tag;
  return tags.empty() ? " (none)" : joined;
}

}  // namespace

int RunTag(const GlobalOptions& global, uint64_t id, LabelEdit edit) {
  Result<store::DocumentLabels> labels = ApplyLabelEdit(global, id, std::move(edit));
  if (!labels.ok()) return ReportError(labels.status());
  if (global.json) {
    PrintJson({{"id", id}, {"tags", labels->tags}});
  } else {
    std::cout << "document " << id << " tags:" << JoinedTags(labels->tags) << "\n";
  }
  return kExitOk;
}

int RunEdit(const GlobalOptions& global, uint64_t id, LabelEdit edit) {
  Result<store::DocumentLabels> labels = ApplyLabelEdit(global, id, std::move(edit));
  if (!labels.ok()) return ReportError(labels.status());
  if (global.json) {
    PrintJson(
        {{"id", id}, {"title", labels->title}, {"notes", labels->notes}, {"tags", labels->tags}});
  } else {
    std::cout << "document " << id << "\n  title: " << labels->title
              << "\n  notes: " << labels->notes << "\n  tags:" << JoinedTags(labels->tags) << "\n";
  }
  return kExitOk;
}

int RunDelete(const GlobalOptions& global, uint64_t id) {
  if (std::optional<ServerClient> server = OwningServer(global, CurrentUser())) {
    Result<nlohmann::json> deleted = server->Delete(DocumentPath(id));
    if (!deleted.ok()) return ReportError(deleted.status());
  } else {
    Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
    if (!archive.ok()) return ReportError(archive.status());
    if (Status s = DeleteDocument(**archive, id, CurrentUser()); !s.ok()) return ReportError(s);
  }
  std::cout << "document " << id << " deleted; its history stays in the audit log\n";
  return kExitOk;
}

int RunVerify(const GlobalOptions& global) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  std::vector<std::string> problems;
  const Status archive_status = (*archive)->Verify(problems);
  const Status index_status = index::Searcher(**archive).Verify(problems);
  if (global.json) {
    PrintJson({{"ok", problems.empty()}, {"problems", problems}});
  } else {
    for (const std::string& p : problems) std::cout << "problem: " << p << "\n";
    std::cout << (problems.empty() ? "archive verified: no problems found\n"
                                   : std::to_string(problems.size()) + " problems found\n");
  }
  for (const Status& s : {archive_status, index_status}) {
    if (!s.ok() && s.code() != Status::Code::kCorruption) return ReportError(s);
  }
  return problems.empty() ? kExitOk : kExitProblems;
}

int RunBackup(const GlobalOptions& global, const std::string& dest) {
  if (std::optional<ServerClient> server = OwningServer(global, CurrentUser())) {
    // The server runs elsewhere in the file system: it needs the full path.
    const std::string path = std::filesystem::absolute(dest).lexically_normal().string();
    Result<nlohmann::json> done = server->Post("/api/backup", {{"dest", path}});
    if (!done.ok()) return ReportError(done.status());
  } else {
    Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
    if (!archive.ok()) return ReportError(archive.status());
    if (Status s = (*archive)->Backup(dest); !s.ok()) return ReportError(s);
    if (Status s = UserStore(ArchivePath(global)).CopyTo(dest); !s.ok()) return ReportError(s);
  }
  std::cout << "backup written to " << dest << "; check it with: quire --archive " << dest
            << " verify\n";
  return kExitOk;
}

int RunStats(const GlobalOptions& global) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  Result<store::Archive::Stats> stats = (*archive)->GetStats();
  if (!stats.ok()) return ReportError(stats.status());
  const nlohmann::json j = {
      {"documents", stats->documents},   {"pages", stats->pages},
      {"originals", stats->originals},   {"original_bytes", stats->original_bytes},
      {"disk_bytes", stats->disk_bytes}, {"needs_review", stats->needs_review}};
  if (global.json) {
    PrintJson(j);
  } else {
    for (const auto& [key, value] : j.items())
      std::cout << std::left << std::setw(16) << key << value << "\n";
  }
  return kExitOk;
}

}  // namespace quire::app
