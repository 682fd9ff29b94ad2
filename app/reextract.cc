// `quire reextract [ID...]`: extraction run again on archived documents, from their stored pages
// and originals, after the rules or the ranking model changed. Fields a person set are kept; each
// document's changes are audited and re-indexed in one write.
#include <algorithm>
#include <iostream>
#include <thread>

#include "commands.h"
#include "parallel.h"
#include "quire/capture/capture.h"
#include "quire/common/json.h"
#include "serial_number.h"

namespace quire::app {
namespace {

using extract::FieldChange;

// Each field whose value differs; `after` empty for a field that is gone.
std::vector<FieldChange> Changes(const Extraction& before, const Extraction& after) {
  std::vector<FieldChange> changes;
  for (const auto& [name, field] : before.fields) {
    const auto now = after.fields.find(name);
    const std::string value = now == after.fields.end() ? "" : now->second.value;
    if (value != field.value) changes.push_back({name, field.value, value});
  }
  for (const auto& [name, field] : after.fields) {
    if (!before.fields.count(name)) changes.push_back({name, "", field.value});
  }
  return changes;
}

// "total: 12.00 -> 13.00; vendor_name: (none) -> ACME"
std::string Describe(const std::vector<FieldChange>& changes) {
  std::string text;
  for (const FieldChange& c : changes) {
    if (!text.empty()) text += "; ";
    text += c.field + ": " + (c.before.empty() ? "(none)" : c.before) + " -> " +
            (c.after.empty() ? "(none)" : c.after);
  }
  return text;
}

// A document extracted again, not yet stored: its record as it was, and the new extraction.
struct Redone {
  Result<store::DocumentRecord> doc = Status::Internal("not extracted");
  Extraction again;
};

Redone Redo(store::Archive& archive, const extract::Extractor& extractor,
            const extract::ExtractOptions& options, uint64_t id) {
  Redone redone;
  redone.doc = archive.Get(id);
  if (!redone.doc.ok()) return redone;
  Result<std::string> original = archive.GetOriginal(id);
  if (!original.ok()) {
    redone.doc = original.status();
    return redone;
  }
  // The figures are read again from the original, as at ingest: else a total that reading
  // mended would go back to the page's misreading.
  const std::unique_ptr<RegionReader> images =
      capture::OpenRegionReader(*original, redone.doc->pages, capture::CaptureOptions{});
  redone.again = extract::ExtractAgain(extractor, redone.doc->pages, images.get(),
                                       redone.doc->extraction, options);
  KeepSerialNumber(redone.doc->extraction, redone.again);
  return redone;
}

// Stores what changed in document `id` (`doc` as it was, `again` as extracted now), audited and
// re-indexed, and reports it on stdout, or into `results` with --json.
Status StoreAgain(store::Archive& archive, uint64_t id, const store::DocumentRecord& doc,
                  const Extraction& again, bool json, nlohmann::json& results) {
  const std::vector<FieldChange> changes = Changes(doc.extraction, again);
  const bool review_changed = again.needs_review != doc.extraction.needs_review;
  if (!changes.empty() || review_changed || again.type != doc.extraction.type) {
    std::string detail = changes.empty() ? "no field changed" : Describe(changes);
    if (review_changed) {
      detail += again.needs_review ? "; now needs review" : "; no longer needs review";
    }
    const store::AuditEvent event{0, "reextracted", CurrentUser(), detail};
    QUIRE_RETURN_IF_ERROR(archive.UpdateFields(id, again, event));
  }
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const FieldChange& c : changes) {
      list.push_back({{"field", c.field}, {"before", c.before}, {"after", c.after}});
    }
    results.push_back({{"id", id}, {"changes", list}, {"needs_review", again.needs_review}});
  } else {
    std::cout << "document " << id << ": "
              << (changes.empty() ? std::string("no field changed") : Describe(changes))
              << (again.needs_review ? "; needs review" : "; no review needed") << "\n";
  }
  return Status::Ok();
}

// Documents per batch and thread: a batch is extracted in parallel, then stored in order; a
// larger one leaves threads idle less often at its end, a smaller one holds fewer in memory.
constexpr size_t kBatchPerJob = 4;

}  // namespace

int RunReextract(const GlobalOptions& global, const extract::ExtractOptions& options,
                 std::vector<uint64_t> ids, int jobs) {
  Result<std::unique_ptr<extract::Extractor>> extractor = extract::Extractor::Create(options);
  if (!extractor.ok()) return ReportError(extractor.status());
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return ReportError(archive.status());
  if (ids.empty()) {
    Result<std::vector<store::DocumentSummary>> all = (*archive)->List();
    if (!all.ok()) return ReportError(all.status());
    for (auto it = all->rbegin(); it != all->rend(); ++it) ids.push_back(it->id);  // oldest first
  }
  if (jobs <= 0) jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  nlohmann::json results = nlohmann::json::array();
  int exit_code = kExitOk;
  const size_t batch = kBatchPerJob * static_cast<size_t>(jobs);
  for (size_t first = 0; first < ids.size(); first += batch) {
    std::vector<Redone> redone(std::min(batch, ids.size() - first));
    ForEachInParallel(redone.size(), jobs, [&](size_t i) {
      redone[i] = Redo(**archive, **extractor, options, ids[first + i]);
    });
    for (size_t i = 0; i < redone.size(); ++i) {
      const Result<store::DocumentRecord>& doc = redone[i].doc;
      if (!doc.ok()) {
        exit_code = ReportError(doc.status());
        continue;
      }
      const Status stored =
          StoreAgain(**archive, ids[first + i], *doc, redone[i].again, global.json, results);
      if (!stored.ok()) return ReportError(stored);
    }
  }
  if (global.json) PrintJson({{"documents", results}});
  return exit_code;
}

}  // namespace quire::app
