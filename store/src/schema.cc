// The archive's layout on RocksDB.
//
// One column family per kind of record; every record of one document is written in one
// WriteBatch (see rocks_archive.cc). Integers in keys are fixed-width big-endian so that keys sort
// by number: a document's pages and audit events are contiguous and in order, and the documents
// column iterates oldest to newest.
//
//   column family      key                        value
//   -------------      ---                        -----
//   default            (unused; RocksDB requires it)
//   documents          doc-id                     document-json
//   originals          sha256                     the original's bytes (blob files when >= 64 KiB)
//   original_refs      sha256 doc-id              original-size
//   pages              doc-id page-number         page
//   fields             doc-id                     extraction
//   audit              doc-id sequence            audit-json      (append-only; kept after delete)
//   meta               "schema_version"           decimal ASCII, e.g. "4"
//                      "next_doc_id"              fixed64: the id the next commit gets
//                      "unindexed/" doc-id        "": the document's deferred index writes wait
//                                                 in memory; a crash loses them, and the next
//                                                 writable open indexes the document again
//                      "tally"                    tally: the archive's counts, written with every
//                                                 change to them (schema 5)
//                      "review/" doc-id           "": the document needs review (schema 5), so the
//                                                 review queue is read without a scan
//   index_postings     owned by index/            owned by index/; IndexBatch::Append's lists
//                                                 as blocks (index_lists.cc)
//   index_term_stats   owned by index/            int64-le, merged by addition
//   index_doc_terms    owned by index/            owned by index/
//   journal            owned by journal.cc        the hot folder's file states (grammar there)
//
//   doc-id          := fixed64      1, 2, 3, ... in commit order, never reused
//   page-number     := fixed32      0-based
//   sequence        := fixed64      0 for "ingested", then one more per event
//   sha256          := 64 lower-case hex characters: SHA-256 of the original's bytes
//   original-size   := fixed64      bytes, so stats need not read the originals
//   fixedN          := N/8 bytes, big-endian
//   int64-le        := 8 bytes, little-endian two's complement
//   tally           := fixed64 x 5  documents, pages, needs-review documents, originals,
//                                   the originals' bytes
//   document-json   := {"sha256", "source", "format", "type", "pages", "ingested", "needs_review",
//                       "tags"?}   tags: an array of strings, written only when there are some;
//                                  records without it (older archives) read as no tags
//   page, extraction := records.cc (the archive's own encodings of pages and fields)
//   audit-json      := {"time", "action", "by", "detail"}
//
// An original is referenced by one original_refs entry per document holding it; it is deleted
// with its last reference.
#include "schema.h"

#include <nlohmann/json.hpp>

namespace quire::store {
namespace {

using nlohmann::json;

void AppendBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(value >> (8 * i)));
}

Result<json> Parse(std::string_view value, const char* what) {
  json j = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Corruption(std::string(what) + " record is not valid JSON");
  return j;
}

}  // namespace

const char* ColumnName(Column column) {
  switch (column) {
    case Column::kDocuments: return "documents";
    case Column::kOriginals: return "originals";
    case Column::kOriginalRefs: return "original_refs";
    case Column::kPages: return "pages";
    case Column::kFields: return "fields";
    case Column::kAudit: return "audit";
    case Column::kMeta: return "meta";
    case Column::kIndexPostings: return "index_postings";
    case Column::kIndexTermStats: return "index_term_stats";
    case Column::kIndexDocTerms: return "index_doc_terms";
    case Column::kJournal: return "journal";
  }
  return "";
}

Column ToColumn(IndexColumn column) {
  switch (column) {
    case IndexColumn::kPostings: return Column::kIndexPostings;
    case IndexColumn::kTermStats: return Column::kIndexTermStats;
    case IndexColumn::kDocTerms: return Column::kIndexDocTerms;
  }
  return Column::kIndexPostings;
}

std::string EncodeFixed64(uint64_t value) {
  std::string out;
  AppendBigEndian(out, value, 8);
  return out;
}

uint64_t DecodeFixed64(std::string_view bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

std::string DocumentName(DocId id) { return "document " + std::to_string(id); }

std::string DocKey(DocId id) { return EncodeFixed64(id); }

std::string PageKey(DocId id, uint32_t page) {
  std::string key = DocKey(id);
  AppendBigEndian(key, page, 4);
  return key;
}

std::string AuditKey(DocId id, uint64_t sequence) { return DocKey(id) + EncodeFixed64(sequence); }

std::string UnindexedKey(DocId id) { return std::string(kUnindexedKeys) + EncodeFixed64(id); }

std::string ReviewKey(DocId id) { return std::string(kReviewKeys) + EncodeFixed64(id); }

DocId DocIdOfReviewKey(std::string_view key) {
  return DecodeFixed64(key.substr(kReviewKeys.size()));
}

Tally& Tally::operator+=(const Tally& change) {
  documents += change.documents;
  pages += change.pages;
  needs_review += change.needs_review;
  originals += change.originals;
  original_bytes += change.original_bytes;
  return *this;
}

std::string EncodeTally(const Tally& tally) {
  std::string value;
  for (int64_t count :
       {tally.documents, tally.pages, tally.needs_review, tally.originals, tally.original_bytes}) {
    value += EncodeFixed64(static_cast<uint64_t>(count));
  }
  return value;
}

Result<Tally> DecodeTally(std::string_view value) {
  if (value.size() != 5 * 8) {
    return Status::Corruption("the archive's counts record is damaged; restore it from a backup");
  }
  auto count = [&](int i) { return static_cast<int64_t>(DecodeFixed64(value.substr(8 * i))); };
  return Tally{count(0), count(1), count(2), count(3), count(4)};
}

std::string RefKey(std::string_view sha256, DocId id) {
  return std::string(sha256) + EncodeFixed64(id);
}

DocId DocIdOfKey(std::string_view key) { return DecodeFixed64(key); }

DocId DocIdOfRefKey(std::string_view key) { return DecodeFixed64(key.substr(kSha256HexSize)); }

std::string EncodeInt64Le(int64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(static_cast<uint64_t>(value) >> (8 * i));
  return out;
}

int64_t DecodeInt64Le(std::string_view bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return static_cast<int64_t>(value);
}

std::string DumpRecord(const json& record) {
  return record.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string EncodeSummary(const DocumentSummary& summary) {
  json j = {{"sha256", summary.sha256},
            {"source", summary.source},
            {"format", summary.format},
            {"type", DocumentTypeName(summary.type)},
            {"pages", summary.pages},
            {"ingested", summary.ingested},
            {"needs_review", summary.needs_review}};
  if (!summary.tags.empty()) j["tags"] = summary.tags;
  if (!summary.title.empty()) j["title"] = summary.title;
  if (!summary.notes.empty()) j["notes"] = summary.notes;
  return DumpRecord(j);
}

Result<DocumentSummary> DecodeSummary(DocId id, std::string_view value) {
  QUIRE_ASSIGN_OR_RETURN(json j, Parse(value, "document"));
  try {
    DocumentSummary summary;
    summary.id = id;
    summary.sha256 = j.at("sha256").get<std::string>();
    summary.source = j.at("source").get<std::string>();
    summary.format = j.at("format").get<std::string>();
    summary.type = ParseDocumentType(j.at("type").get<std::string>());
    summary.pages = j.at("pages").get<int>();
    summary.ingested = j.at("ingested").get<int64_t>();
    summary.needs_review = j.at("needs_review").get<bool>();
    if (j.contains("tags")) summary.tags = j.at("tags").get<std::vector<std::string>>();
    summary.title = j.value("title", "");
    summary.notes = j.value("notes", "");
    return summary;
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("document record is not valid: ") + e.what());
  }
}

std::string EncodeAudit(const AuditEvent& event) {
  return DumpRecord(
      {{"time", event.time}, {"action", event.action}, {"by", event.by}, {"detail", event.detail}});
}

Result<AuditEvent> DecodeAudit(std::string_view value) {
  QUIRE_ASSIGN_OR_RETURN(json j, Parse(value, "audit"));
  try {
    return AuditEvent{j.at("time").get<int64_t>(), j.at("action").get<std::string>(),
                      j.at("by").get<std::string>(), j.at("detail").get<std::string>()};
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("audit record is not valid: ") + e.what());
  }
}

}  // namespace quire::store
