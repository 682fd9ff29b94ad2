// list, show, search, verify, backup, stats: the commands that read the archive.
#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "quire/common/file.h"
#include "quire/common/json.h"
#include "quire/extract/extract.h"
#include "quire/index/index.h"

namespace quire::app {
namespace {

nlohmann::json ToJson(const store::DocumentSummary& s) {
  return {{"id", s.id},
          {"sha256", s.sha256},
          {"source", s.source},
          {"format", s.format},
          {"type", DocumentTypeName(s.type)},
          {"pages", s.pages},
          {"ingested", IsoTime(s.ingested)},
          {"needs_review", s.needs_review},
          {"tags", s.tags}};
}

nlohmann::json ToJson(const store::AuditEvent& e) {
  return {{"time", IsoTime(e.time)}, {"action", e.action}, {"by", e.by}, {"detail", e.detail}};
}

nlohmann::json ToJson(const store::DocumentRecord& doc) {
  nlohmann::json j = ToJson(doc.summary);
  nlohmann::json pages = nlohmann::json::array();
  for (const PageText& page : doc.pages) pages.push_back(quire::ToJson(page));
  nlohmann::json history = nlohmann::json::array();
  for (const store::AuditEvent& e : doc.history) history.push_back(ToJson(e));
  const nlohmann::json extraction = quire::ToJson(doc.extraction);
  j["pages"] = std::move(pages);
  j["fields"] = extraction["fields"];
  j["review_reasons"] = extraction["review_reasons"];
  j["history"] = std::move(history);
  return j;
}

void PrintDocument(const store::DocumentRecord& doc) {
  const store::DocumentSummary& s = doc.summary;
  std::cout << "document " << s.id << "  " << DocumentTypeName(s.type) << ", " << s.pages
            << (s.pages == 1 ? " page" : " pages") << (s.needs_review ? ", needs review" : "")
            << "\n  source:   " << s.source << "\n  sha256:   " << s.sha256
            << "\n  ingested: " << IsoTime(s.ingested) << "\n";
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
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    std::cout << "--- page " << i + 1 << " ---\n" << doc.pages[i].text << "\n";
  }
  for (const store::AuditEvent& e : doc.history) {
    std::cout << "history: " << IsoTime(e.time) << " " << e.action << " by " << e.by
              << (e.detail.empty() ? "" : ": " + e.detail) << "\n";
  }
}

index::SortOrder ParseSort(const std::string& sort) {
  if (sort == "newest") return index::SortOrder::kDateNewest;
  if (sort == "oldest") return index::SortOrder::kDateOldest;
  return index::SortOrder::kRelevance;
}

}  // namespace

int RunList(const GlobalOptions& global) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  Result<std::vector<store::DocumentSummary>> docs = (*archive)->List();
  if (!docs.ok()) return ReportError(docs.status());
  if (global.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const store::DocumentSummary& s : *docs) list.push_back(ToJson(s));
    PrintJson({{"documents", list}});
    return kExitOk;
  }
  for (const store::DocumentSummary& s : *docs) {
    std::cout << std::setw(6) << s.id << "  " << std::left << std::setw(8)
              << DocumentTypeName(s.type) << std::right << std::setw(3) << s.pages << "p  "
              << IsoTime(s.ingested) << "  " << s.source << (s.needs_review ? "  (review)" : "")
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
      searcher.Search(query, {.limit = limit, .offset = offset, .sort = ParseSort(sort)});
  if (!found.ok()) return ReportError(found.status());
  if (global.json) {
    nlohmann::json results = nlohmann::json::array();
    for (const index::SearchHit& h : found->hits) {
      nlohmann::json boxes = nlohmann::json::array();
      for (const index::HitBox& b : h.hits) {
        boxes.push_back({{"page", b.page}, {"box", quire::ToJson(b.box)}, {"word", b.word}});
      }
      results.push_back({{"id", h.id},         {"score", h.score},     {"type", h.type},
                         {"title", h.title},   {"vendor", h.vendor},   {"date", h.date},
                         {"total", h.total},   {"currency", h.currency}, {"snippet", h.snippet},
                         {"all_words", h.all_words}, {"hits", boxes}});
    }
    PrintJson({{"total", found->total},
               {"total_exact", found->total_exact},
               {"results", results},
               {"facets", found->facets}});
    return kExitOk;
  }
  // "15 documents match; showing 1-10", "at least 10000 documents match; ...".
  const std::string count = (found->total_exact ? "" : "at least ") + std::to_string(found->total) +
                            (found->total == 1 ? " document" : " documents");
  if (found->total == 0) {
    std::cout << "no documents match " << query << "\n";
    return kExitOk;
  }
  std::cout << (found->all_words ? count + (found->total == 1 ? " matches" : " match")
                                 : "no document has every word; " + count + " have some of them");
  if (found->hits.empty()) {
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
  Result<std::vector<store::DocumentSummary>> docs = (*archive)->List();
  if (!docs.ok()) return ReportError(docs.status());
  nlohmann::json queue = nlohmann::json::array();
  size_t waiting = 0;
  for (const store::DocumentSummary& s : *docs) {
    if (!s.needs_review) continue;
    ++waiting;
    Result<store::DocumentRecord> doc = (*archive)->Get(s.id);
    if (!doc.ok()) return ReportError(doc.status());
    const std::vector<std::string>& reasons = doc->extraction.review_reasons;
    if (global.json) {
      nlohmann::json entry = ToJson(s);
      entry["review_reasons"] = reasons;
      queue.push_back(std::move(entry));
      continue;
    }
    std::cout << std::setw(6) << s.id << "  " << DocumentTypeName(s.type) << "  " << s.source << "\n";
    for (const std::string& reason : reasons) std::cout << "        - " << reason << "\n";
  }
  if (global.json) {
    PrintJson({{"documents", queue}});
  } else if (waiting == 0) {
    std::cout << "the review queue is empty\n";
  }
  return kExitOk;
}

int RunCorrect(const GlobalOptions& global, const extract::ExtractOptions& options, uint64_t id,
               const FieldCorrection& correction) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return ReportError(archive.status());
  Result<store::DocumentRecord> doc = (*archive)->Get(id);
  if (!doc.ok()) return ReportError(doc.status());
  Extraction corrected = doc->extraction;
  std::vector<extract::FieldChange> changes;
  store::AuditEvent event{0, correction.accept ? "accepted" : "corrected", correction.by, ""};
  if (correction.accept) {
    const Status s = extract::AcceptField(correction.field, correction.by, options, corrected);
    if (!s.ok()) return ReportError(s);
    event.detail = correction.field + ": " + corrected.fields.at(correction.field).value;
  } else {
    Result<std::vector<extract::FieldChange>> applied = extract::ApplyCorrection(
        correction.field, correction.value, correction.by, options, corrected);
    if (!applied.ok()) return ReportError(applied.status());
    changes = std::move(*applied);
    for (const extract::FieldChange& c : changes) {
      event.detail += (event.detail.empty() ? "" : "; ") + c.field + ": " +
                      (c.before.empty() ? "(none)" : c.before) + " -> " + c.after;
    }
  }
  if (Status s = (*archive)->UpdateFields(id, corrected, event, index::MakeReindexHook(**archive));
      !s.ok()) {
    return ReportError(s);
  }
  if (global.json) {
    nlohmann::json j_changes = nlohmann::json::array();
    for (const extract::FieldChange& c : changes) {
      j_changes.push_back({{"field", c.field}, {"before", c.before}, {"after", c.after}});
    }
    nlohmann::json j = {{"id", id}, {"changes", std::move(j_changes)},
                        {"needs_review", corrected.needs_review},
                        {"review_reasons", corrected.review_reasons}};
    if (correction.accept) j["accepted"] = correction.field;
    PrintJson(j);
    return kExitOk;
  }
  std::cout << "document " << id << ": " << event.detail
            << (correction.accept ? " accepted by " + correction.by : "")
            << (corrected.needs_review ? "; still needs review" : "; review done") << "\n";
  for (const std::string& reason : corrected.review_reasons) std::cout << "  - " << reason << "\n";
  return kExitOk;
}

int RunExport(const GlobalOptions& global, uint64_t id, const std::string& format,
              const std::string& out) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return ReportError(archive.status());
  Result<store::DocumentRecord> doc = (*archive)->Get(id);
  if (!doc.ok()) return ReportError(doc.status());
  std::string contents;
  if (format == "original") {
    Result<std::string> original = (*archive)->GetOriginal(id);
    if (!original.ok()) return ReportError(original.status());
    contents = std::move(*original);
  } else if (format == "text") {
    for (size_t i = 0; i < doc->pages.size(); ++i) contents += (i ? "\f" : "") + doc->pages[i].text + "\n";
  } else {
    contents = ToJson(*doc).dump(2) + "\n";
  }
  if (out.empty()) {
    std::cout << contents;
  } else if (Status s = WriteFileAtomically(out, contents); !s.ok()) {
    return ReportError(s);
  }
  const store::AuditEvent event{0, "exported", CurrentUser(), format + (out.empty() ? "" : " to " + out)};
  if (Status s = (*archive)->AppendAudit(id, event); !s.ok()) return ReportError(s);
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
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return ReportError(archive.status());
  if (Status s = (*archive)->Backup(dest); !s.ok()) return ReportError(s);
  std::cout << "backup written to " << dest << "; check it with: quire --archive " << dest
            << " verify\n";
  return kExitOk;
}

int RunStats(const GlobalOptions& global) {
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  Result<store::Archive::Stats> stats = (*archive)->GetStats();
  if (!stats.ok()) return ReportError(stats.status());
  const nlohmann::json j = {{"documents", stats->documents},     {"pages", stats->pages},
                            {"originals", stats->originals},     {"original_bytes", stats->original_bytes},
                            {"disk_bytes", stats->disk_bytes},   {"needs_review", stats->needs_review}};
  if (global.json) {
    PrintJson(j);
  } else {
    for (const auto& [key, value] : j.items()) std::cout << std::left << std::setw(16) << key << value << "\n";
  }
  return kExitOk;
}

}  // namespace quire::app
