// export --all and import: the whole archive out into an open folder, and back into an archive.
//
// The folder (format "quire-archive-export", version 1):
//   manifest.json       written last (through a temporary name), so a folder without it is an
//                       export that did not finish
//   originals/ID.EXT    each document's original, byte for byte (EXT from its format)
//   pages/ID.json       its pages as `quire ocr --json` prints them: {"pages": [...]}
//   pdf/ID.pdf          its searchable PDF/A, with --pdf
// manifest.json:
//   {"format": "quire-archive-export", "version": 1, "exported": ISO time, "since": DATE|null,
//    "documents": [{"id", "sha256", "source", "format", "type", "pages" (count), "ingested",
//                   "needs_review", "tags", "title", "notes", "original", "pages_file", "pdf"?,
//                   "extraction": as `quire extract --json`, with "type_score",
//                   "history": [{"time", "action", "by", "detail"}]}]}
// in increasing id order, one document per line. Times are ISO 8601 UTC to the second, as the
// archive keeps them.
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
#include "quire/index/index.h"

namespace quire::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kManifestFormat[] = "quire-archive-export";
// Raised when the manifest changes so that an older quire could misread it; import reads this
// version and the ones before it.
constexpr int kManifestVersion = 1;

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

json ManifestEntry(const store::DocumentRecord& doc, const std::string& original,
                   const std::string& pages_file, const std::string& pdf) {
  json entry = ToJson(doc.summary);
  entry["original"] = original;
  entry["pages_file"] = pages_file;
  if (!pdf.empty()) entry["pdf"] = pdf;
  entry["extraction"] = quire::ToJson(doc.extraction);
  json history = json::array();
  for (const store::AuditEvent& event : doc.history) history.push_back(ToJson(event));
  entry["history"] = std::move(history);
  return entry;
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

Status NotAnExport(const std::string& dir, const std::string& why) {
  return Status::InvalidArgument(dir + "/manifest.json " + why +
                                 ": give a folder written by quire export --all");
}

// The document an export's manifest entry describes, with its original read from `dir` and
// checked against its SHA-256.
Result<store::NewDocument> ReadEntry(const std::string& dir, const json& entry) {
  try {
    store::NewDocument doc;
    Result<std::string> original = ReadFile(dir + "/" + entry.at("original").get<std::string>());
    if (!original.ok()) return original.status();
    if (Sha256Hex(*original) != entry.at("sha256").get<std::string>()) {
      return Status::InvalidArgument("its original's SHA-256 is not the manifest's: the copy is "
                                     "damaged; export the document again");
    }
    doc.original = std::move(*original);
    doc.source = entry.at("source").get<std::string>();
    doc.format = entry.at("format").get<std::string>();
    doc.tags = entry.at("tags").get<std::vector<std::string>>();
    Result<std::vector<PageText>> pages =
        ReadPagesFile(dir + "/" + entry.at("pages_file").get<std::string>());
    if (!pages.ok()) return pages.status();
    doc.pages = std::move(*pages);
    Result<Extraction> extraction = ExtractionFromJson(entry.at("extraction"));
    if (!extraction.ok()) return extraction.status();
    doc.extraction = std::move(*extraction);
    store::ImportedRecord imported;
    imported.id = entry.at("id").get<uint64_t>();
    imported.title = entry.at("title").get<std::string>();
    imported.notes = entry.at("notes").get<std::string>();
    std::optional<int64_t> ingested = ParseIsoTime(entry.at("ingested").get<std::string>());
    if (!ingested) return Status::InvalidArgument("its ingest time is not an ISO 8601 time");
    imported.ingested = *ingested;
    for (const json& e : entry.at("history")) {
      std::optional<int64_t> time = ParseIsoTime(e.at("time").get<std::string>());
      if (!time) return Status::InvalidArgument("a history event's time is not an ISO 8601 time");
      imported.history.push_back({*time, e.at("action").get<std::string>(),
                                  e.at("by").get<std::string>(), e.at("detail").get<std::string>()});
    }
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
    return ReportError(Status::InvalidArgument("--since " + since + ": write a date as YYYY-MM-DD"));
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
  manifest << "\n]}\n";
  manifest.close();
  if (!manifest) return ReportError(Status::IoError("cannot write " + partial));
  fs::rename(partial, dir + "/manifest.json", error);
  if (error) return ReportError(Status::IoError("cannot write " + dir + "/manifest.json"));
  if (Status s = SyncFolder(dir); !s.ok()) return ReportError(s);
  if (global.json) {
    PrintJson({{"dir", dir}, {"documents", documents}, {"pdf_failed", failed}});
  } else {
    std::cout << "exported " << documents << " documents to " << dir
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
  if (manifest.is_discarded() || !manifest.is_object()) return ReportError(NotAnExport(dir, "is not JSON"));
  if (manifest.value("format", "") != kManifestFormat || !manifest.contains("documents") ||
      !manifest["documents"].is_array()) {
    return ReportError(NotAnExport(dir, "is not a quire export's manifest"));
  }
  const int version = manifest.value("version", 0);
  if (version > kManifestVersion) {
    return ReportError(Status::InvalidArgument(
        dir + " was written by a newer quire (export format version " + std::to_string(version) +
        "): import it with that version"));
  }
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return ReportError(archive.status());

  std::vector<json> entries(manifest["documents"].begin(), manifest["documents"].end());
  // Increasing ids, whatever order another program wrote them in: ids keep their order.
  std::stable_sort(entries.begin(), entries.end(), [](const json& a, const json& b) {
    return a.value("id", uint64_t{0}) < b.value("id", uint64_t{0});
  });
  json results = json::array();
  int imported = 0, duplicates = 0, failed = 0;
  for (const json& entry : entries) {
    const uint64_t from = entry.value("id", uint64_t{0});
    json result = {{"from", from}};
    Result<store::NewDocument> doc = ReadEntry(dir, entry);
    Result<store::CommitResult> commit =
        doc.ok() ? (*archive)->Commit(*doc, index::MakeIndexHook())
                 : Result<store::CommitResult>(doc.status());
    if (!commit.ok()) {
      if (doc.ok()) return ReportError(commit.status());  // the archive failed: stop
      ++failed;
      result["status"] = "failed";
      result["error"] = commit.status().message();
      if (!global.json) std::cout << "failed     " << from << ": " << commit.status().message() << "\n";
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
  if (Status s = (*archive)->FlushIndex(); !s.ok()) return ReportError(s);
  if (global.json) PrintJson({{"results", results}});
  std::cerr << imported << " imported, " << duplicates << " duplicates, " << failed << " failed\n";
  return failed ? kExitFailed : kExitOk;
}

}  // namespace quire::app
