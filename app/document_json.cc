#include "document_json.h"

#include "cli.h"
#include "quire/common/json.h"

namespace quire::app {

nlohmann::json ToJson(const store::DocumentSummary& s) {
  return {{"id", s.id},
          {"sha256", s.sha256},
          {"source", s.source},
          {"format", s.format},
          {"type", DocumentTypeName(s.type)},
          {"pages", s.pages},
          {"ingested", IsoTime(s.ingested)},
          {"needs_review", s.needs_review},
          {"tags", s.tags},
          {"title", s.title},
          {"notes", s.notes}};
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
  if (extraction.contains("pairs")) j["pairs"] = extraction["pairs"];  // forms only
  j["history"] = std::move(history);
  return j;
}

nlohmann::json ToJson(const index::SearchResults& found) {
  nlohmann::json results = nlohmann::json::array();
  for (const index::SearchHit& h : found.hits) {
    nlohmann::json boxes = nlohmann::json::array();
    for (const index::HitBox& b : h.hits) {
      boxes.push_back({{"page", b.page}, {"box", quire::ToJson(b.box)}, {"word", b.word}});
    }
    results.push_back({{"id", h.id},
                       {"score", h.score},
                       {"type", h.type},
                       {"title", h.title},
                       {"vendor", h.vendor},
                       {"date", h.date},
                       {"total", h.total},
                       {"currency", h.currency},
                       {"snippet", h.snippet},
                       {"all_words", h.all_words},
                       {"hits", std::move(boxes)}});
  }
  return {{"total", found.total},
          {"total_exact", found.total_exact},
          {"results", std::move(results)},
          {"facets", found.facets}};
}

index::SortOrder ParseSortOrder(const std::string& sort) {
  if (sort == "newest") return index::SortOrder::kDateNewest;
  if (sort == "oldest") return index::SortOrder::kDateOldest;
  return index::SortOrder::kRelevance;
}

}  // namespace quire::app
