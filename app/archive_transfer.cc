// export --all and import: the whole archive out into an open folder, and back into an archive.
//
// The folder (format "quire-archive-export", version 1):
//   manifest.json       written last (through a temporary name), so a folder without it is an
//                       export that did not finish
//   originals/ID.EXT    each document's original, byte for byte (EXT from its format)
//   pages/ID.json       its pages as `quire ocr --json` prints them: {"pages": [...]}
//   pdf/ID.pdf          its searchable PDF/A, with --pdf
// manifest.json:
//   {"format": "quire-archive-export", "version": 2, "exported": ISO time, "since": DATE|null,
//    "documents": [{"id", "sha256", "source", "format", "type", "pages" (count), "ingested",
//                   "needs_review", "tags", "title", "notes", "original", "pages_file", "pdf"?,
//                   "extraction": as `quire extract --json`, with "type_score",
//                   "history": [{"time", "action", "by", "detail"}]}],
//    "deleted": [{"id", "history"}]}
// each list in increasing id order, one entry per line; "deleted" (version 2 on) holds what the
// archive keeps of a deleted document, its history. Times are ISO 8601 UTC to the second, as the
// archive keeps them.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "document_json.h"
#include "document_pdf.h"
#include "quire/common/file.h"
#include "quire/common/hash.h"
#include "quire/common/json.h"

namespace quire::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kManifestFormat[] = "quire-archive-export";
// Raised when the manifest changes so that an older quire could misread it; import reads this
// version and the ones before it. Version 2 adds "deleted".
constexpr int kManifestVersion = 2;

// "2024-03-14T09:30:00Z" or "2024-03-14" (midnight UTC); nullopt for anything else.
std::optional<int64_t> ParseIsoTime(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') {
    tm = {};
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
    if (end == nullptr || *end != '\0') return std::nullopt;
  }
  return static_cast<int64_t>(timegm(&tm));
}

std::string Extension(const std::string& format) {
  if (format == "jpeg") return "jpg";
  if (format == "tiff") return "tif";
  return format;  // png, pdf
}

json PagesJson(const std::vector<PageText>& pages) {
  json list = json::array();
  for (const PageText& page : pages) list.push_back(quire::ToJson(page));
  return {{"pages", std::move(list)}};
}

json HistoryJson(const std::vector<store::AuditEvent>& history) {
  json events = json::array();
  for (const store::AuditEvent& event : history) events.push_back(ToJson(event));
  return events;
}

json ManifestEntry(const store::DocumentRecord& doc, const std::string& original,
                   const std::string& pages_file, const std::string& pdf) {
  json entry = ToJson(doc.summary);
  entry["original"] = original;
  entry["pages_file"] = pages_file;
  if (!pdf.empty()) entry["pdf"] = pdf;
  entry["extraction"] = quire::ToJson(doc.extraction);
  entry["history"] = HistoryJson(doc.history);
  return entry;
}

Result<std::vector<store::AuditEvent>> HistoryFromJson(const json& events) {
  std::vector<store::AuditEvent> history;
  for (const json& e : events) {
    std::optional<int64_t> time = ParseIsoTime(e.at("time").get<std::string>());
    if (!time) return Status::InvalidArgument("a history event's time is not an ISO 8601 time");
    history.push_back({*time, e.at("action").get<std::string>(), e.at("by").get<std::string>(),
                       e.at("detail").get<std::string>()});
  }
  return history;
}

// The names, inside the export's folder, of one document's files.
struct ExportedFiles {
  std::string original;
  std::string pages;
  std::string pdf;  // empty without --pdf, or when its PDF could not be made (reported)
};

Result<ExportedFiles> WriteDocumentFiles(const std::string& dir, const store::DocumentRecord& doc,
                                         const std::string& original, bool pdf,
                                         const capture::CaptureOptions& capture, int64_t now) {
  const std::string id = std::to_string(doc.summary.id);
  ExportedFiles files{"originals/" + id + "." + Extension(doc.summary.format),
                      "pages/" + id + ".json", ""};
  QUIRE_RETURN_IF_ERROR(WriteFileAtomically(dir + "/" + files.original, original));
  QUIRE_RETURN_IF_ERROR(
      WriteFileAtomically(dir + "/" + files.pages, PagesJson(doc.pages).dump() + "\n"));
  if (!pdf) return files;
  Result<std::string> written = DocumentPdf(doc, original, capture, now);
  if (!written.ok()) {
    std::cerr << "quire: document " << id << ": no PDF: " << written.status().message() << "\n";
    return files;
  }
  files.pdf = "pdf/" + id + ".pdf";
  QUIRE_RETURN_IF_ERROR(WriteFileAtomically(dir + "/" + files.pdf, *written));
  return files;
}

// A deleted document's manifest entry; InvalidArgument when it is not complete.
Result<store::DeletedDocument> ReadDeletedEntry(const json& entry) {
  try {
    QUIRE_ASSIGN_OR_RETURN(std::vector<store::AuditEvent> history,
                           HistoryFromJson(entry.at("history")));
    return store::DeletedDocument{entry.at("id").get<uint64_t>(), std::move(history)};
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("its manifest entry is not complete: ") + e.what());
  }
}

// Keeps the history of a deleted document of the manifest, unless the archive keeps the same one
// already (an import done before): its result for --json, printed when `print`. Non-OK only
// when the archive fails, which stops the import.
Result<json> KeepDeleted(store::Archive& archive, const json& entry, uint64_t from,
                         const std::vector<store::DeletedDocument>& kept, bool print) {
  json result = {{"from", from}};
  Result<store::DeletedDocument> deleted = ReadDeletedEntry(entry);
  if (!deleted.ok()) {
    result["status"] = "failed";
    result["error"] = deleted.status().message();
    if (print) std::cout << "failed     " << from << ": " << deleted.status().message() << "\n";
    return result;
  }
  if (std::any_of(kept.begin(), kept.end(),
                  [&](const store::DeletedDocument& k) { return k.history == deleted->history; })) {
    result["status"] = "duplicate";
    if (print) std::cout << "duplicate  " << from << " (deleted; its history is here)\n";
    return result;
  }
  QUIRE_ASSIGN_OR_RETURN(store::DocId id, archive.ImportDeleted(*deleted));
  result["status"] = "kept";
  result["id"] = id;
  if (print) std::cout << "deleted    " << from << " -> " << id << " (its history kept)\n";
  return result;
}

Status NotAnExport(const std::string& dir, const std::string& why) {
  return Status::InvalidArgument(dir + "/manifest.json " + why +
                                 ": give a folder written by quire export --all");
}

// The document an export's manifest entry describes, with its original read from `dir` and
// checked against its SHA-256.
Result<store::NewDocument> ReadEntry(const std::string& dir, const json& entry) {
  try {
    store::NewDocument doc;
    QUIRE_ASSIGN_OR_RETURN(std::string original,
                           ReadFile(dir + "/" + entry.at("original").get<std::string>()));
    if (Sha256Hex(original) != entry.at("sha256").get<std::string>()) {
      return Status::InvalidArgument(
          "its original's SHA-256 is not the manifest's: the copy is "
          "damaged; export the document again");
    }
    doc.original = std::move(original);
    doc.source = entry.at("source").get<std::string>();
    doc.format = entry.at("format").get<std::string>();
    doc.tags = entry.at("tags").get<std::vector<std::string>>();
    doc.title = entry.at("title").get<std::string>();
    doc.notes = entry.at("notes").get<std::string>();
    QUIRE_ASSIGN_OR_RETURN(std::vector<PageText> pages,
                           ReadPagesFile(dir + "/" + entry.at("pages_file").get<std::string>()));
    doc.pages = std::move(pages);
    QUIRE_ASSIGN_OR_RETURN(Extraction extraction, ExtractionFromJson(entry.at("extraction")));
    doc.extraction = std::move(extraction);
    store::ImportedRecord imported;
    imported.id = entry.at("id").get<uint64_t>();
    std::optional<int64_t> ingested = ParseIsoTime(entry.at("ingested").get<std::string>());
    if (!ingested) return Status::InvalidArgument("its ingest time is not an ISO 8601 time");
    imported.ingested = *ingested;
    QUIRE_ASSIGN_OR_RETURN(std::vector<store::AuditEvent> history,
                           HistoryFromJson(entry.at("history")));
    imported.history = std::move(history);
    doc.imported = std::move(imported);
    return doc;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("its manifest entry is not complete: ") + e.what());
  }
}

}  // namespace

int RunExportAll(const GlobalOptions& global, const capture::CaptureOptions& capture,
                 const std::string& dir, const std::string& since, bool pdf) {
  std::optional<int64_t> since_time = since.empty() ? 0 : ParseIsoTime(since);
  if (!since_time) {
    return ReportError(
        Status::InvalidArgument("--since " + since + ": write a date as YYYY-MM-DD"));
  }
  std::error_code error;
  if (fs::exists(dir) && !fs::is_empty(dir, error)) {
    return ReportError(Status::InvalidArgument(dir + " is not empty: give a new folder"));
  }
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  Result<std::vector<store::DocumentSummary>> list = (*archive)->List();
  if (!list.ok()) return ReportError(list.status());
  for (const char* sub : {"originals", "pages", "pdf"}) {
    if (pdf || std::string(sub) != "pdf") fs::create_directories(fs::path(dir) / sub, error);
  }
  if (error) return ReportError(Status::IoError("cannot make " + dir + ": " + error.message()));

  // One document per line, written as it is read: the words are in pages/, and the manifest of a
  // large archive is never held in memory whole.
  const std::string partial = dir + "/manifest.json.partial";
  std::ofstream manifest(partial, std::ios::binary | std::ios::trunc);
  const int64_t now = std::time(nullptr);
  json head = {{"format", kManifestFormat},
               {"version", kManifestVersion},
               {"exported", IsoTime(now)},
               {"since", since.empty() ? json() : json(since)}};
  std::string opening = head.dump();
  opening.pop_back();  // the closing brace: "documents" follows
  manifest << opening << ",\n\"documents\": [";
  int documents = 0;
  int failed = 0;
  // List() is newest first; the manifest keeps the archive's order, oldest first.
  for (auto it = list->rbegin(); it != list->rend(); ++it) {
    if (it->ingested < *since_time) continue;
    Result<store::DocumentRecord> doc = (*archive)->Get(it->id);
    if (!doc.ok()) return ReportError(doc.status());
    Result<std::string> original = (*archive)->GetOriginal(it->id);
    if (!original.ok()) return ReportError(original.status());
    Result<ExportedFiles> files = WriteDocumentFiles(dir, *doc, *original, pdf, capture, now);
    if (!files.ok()) return ReportError(files.status());
    failed += pdf && files->pdf.empty();
    manifest << (documents++ ? ",\n" : "\n")
             << ManifestEntry(*doc, files->original, files->pages, files->pdf).dump();
  }
  Result<std::vector<store::DeletedDocument>> deleted = (*archive)->ListDeleted();
  if (!deleted.ok()) return ReportError(deleted.status());
  manifest << "\n],\n\"deleted\": [";
  int deletions = 0;
  for (const store::DeletedDocument& d : *deleted) {
    // With --since, those deleted since then.
    if (d.history.empty() || d.history.back().time < *since_time) continue;
    manifest << (deletions++ ? ",\n" : "\n")
             << json{{"id", d.id}, {"history", HistoryJson(d.history)}}.dump();
  }
  manifest << "\n]}\n";
  manifest.close();
  if (!manifest) return ReportError(Status::IoError("cannot write " + partial));
  fs::rename(partial, dir + "/manifest.json", error);
  if (error) return ReportError(Status::IoError("cannot write " + dir + "/manifest.json"));
  if (Status s = SyncFolder(dir); !s.ok()) return ReportError(s);
  if (global.json) {
    PrintJson(
        {{"dir", dir}, {"documents", documents}, {"deleted", deletions}, {"pdf_failed", failed}});
  } else {
    std::cout << "exported " << documents << " documents to " << dir
              << (deletions ? " and the history of " + std::to_string(deletions) + " deleted" : "")
              << (failed ? "; " + std::to_string(failed) + " without a PDF" : "") << "\n";
  }
  return failed ? kExitFailed : kExitOk;
}

int RunImport(const GlobalOptions& global, const std::string& dir) {
  Result<std::string> text = ReadFile(dir + "/manifest.json");
  if (!text.ok()) {
    return ReportError(text.status().code() == Status::Code::kNotFound
                           ? Status::NotFound("no manifest.json in " + dir +
                                              ": give a folder written by quire export --all")
                           : text.status());
  }
  const json manifest = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object())
    return ReportError(NotAnExport(dir, "is not JSON"));
  if (manifest.value("format", "") != kManifestFormat || !manifest.contains("documents") ||
      !manifest["documents"].is_array()) {
    return ReportError(NotAnExport(dir, "is not a quire export's manifest"));
  }
  const int version = manifest.value("version", 0);
  if (version > kManifestVersion) {
    return ReportError(
        Status::InvalidArgument(dir + " was written by a newer quire (export format version " +
                                std::to_string(version) + "): import it with that version"));
  }
  Result<std::unique_ptr<store::Archive>> archive = OpenArchiveForImport(global);
  if (!archive.ok()) return ReportError(archive.status());
  Result<store::Archive::Stats> before = (*archive)->GetStats();
  if (!before.ok()) return ReportError(before.status());
  const int64_t stored_before = before->documents;

  // Documents and deleted documents' histories in one increasing id order, whatever order
  // another program wrote them in: ids keep their order.
  struct Entry {
    uint64_t from;
    const json* entry;
    bool deleted;
  };
  std::vector<Entry> entries;
  for (const json& entry : manifest["documents"]) {
    entries.push_back({entry.value("id", uint64_t{0}), &entry, false});
  }
  const json no_deleted = json::array();
  const json& deleted = manifest.contains("deleted") ? manifest["deleted"] : no_deleted;
  if (!deleted.is_array())
    return ReportError(NotAnExport(dir, "has a \"deleted\" that is no list"));
  for (const json& entry : deleted)
    entries.push_back({entry.value("id", uint64_t{0}), &entry, true});
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.from < b.from; });
  // Histories this archive keeps already, so that importing twice keeps each once.
  Result<std::vector<store::DeletedDocument>> kept = (*archive)->ListDeleted();
  if (!kept.ok()) return ReportError(kept.status());

  json results = json::array();
  json deleted_results = json::array();
  int imported = 0, duplicates = 0, failed = 0;
  for (const Entry& e : entries) {
    const uint64_t from = e.from;
    if (e.deleted) {
      Result<json> result = KeepDeleted(**archive, *e.entry, from, *kept, !global.json);
      if (!result.ok()) return ReportError(result.status());  // the archive failed: stop
      failed += (*result)["status"] == "failed";
      deleted_results.push_back(std::move(*result));
      continue;
    }
    const json& entry = *e.entry;
    json result = {{"from", from}};
    Result<store::NewDocument> doc = ReadEntry(dir, entry);
    Result<store::CommitResult> commit =
        doc.ok() ? (*archive)->Commit(*doc) : Result<store::CommitResult>(doc.status());
    if (!commit.ok()) {
      if (doc.ok()) return ReportError(commit.status());  // the archive failed: stop
      ++failed;
      result["status"] = "failed";
      result["error"] = commit.status().message();
      if (!global.json)
        std::cout << "failed     " << from << ": " << commit.status().message() << "\n";
    } else if (commit->duplicate) {
      ++duplicates;
      result["status"] = "duplicate";
      result["duplicate_of"] = commit->id;
      if (!global.json) std::cout << "duplicate  " << from << " = document " << commit->id << "\n";
    } else {
      ++imported;
      result["status"] = "imported";
      result["id"] = commit->id;
      if (!global.json) std::cout << "imported   " << from << " -> " << commit->id << "\n";
    }
    results.push_back(std::move(result));
  }
  // An import that makes at least half of the archive compacts it (Archive::Compact): else
  // RocksDB rewrites what it wrote in the background when the archive is next opened for
  // writing, beside the searches that follow. A smaller one leaves that to RocksDB rather than
  // rewrite the whole archive for it.
  const bool makes_half = imported > 0 && imported >= stored_before;
  if (makes_half) std::cerr << "compacting the archive, as an import that makes half of it ends\n";
  const Status written = makes_half ? (*archive)->Compact() : (*archive)->FlushIndex();
  if (!written.ok()) return ReportError(written);
  if (global.json) PrintJson({{"results", results}, {"deleted", deleted_results}});
  std::cerr << imported << " imported, " << duplicates << " duplicates, " << failed << " failed\n";
  return failed ? kExitFailed : kExitOk;
}

}  // namespace quire::app
