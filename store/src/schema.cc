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
//   fields             doc-id                     extraction-json
//   audit              doc-id sequence            audit-json      (append-only; kept after delete)
//   meta               "schema_version"           decimal ASCII, e.g. "3"
//                      "next_doc_id"              fixed64: the id the next commit gets
//                      "unindexed/" doc-id        "": the document's deferred index writes wait
//                                                 in memory; a crash loses them, and the next
//                                                 writable open indexes the document again
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
//   document-json   := {"sha256", "source", "format", "type", "pages", "ingested", "needs_review",
//                       "tags"?}   tags: an array of strings, written only when there are some;
//                                  records without it (older archives) read as no tags
//   page            := 0x01 string(page-json) varint(word count) word*
//   page-json       := common/json.h ToJson(PageText) with no words, so that a field added to
//                      pages is kept without a change here
//   word            := string(text) zigzag(x) zigzag(y) zigzag(w) zigzag(h) float32(conf)
//                      zigzag(block) zigzag(line)
//                      The words in binary rather than JSON: a page is encoded at every commit
//                      and decoded for every search hit's snippet, and their JSON cost more than
//                      the rest of both.
//   string(s)       := varint(size of s) s;  varint: quire/store/varint.h;
//   zigzag(n)       := varint((n << 1) ^ (n >> 63));  float32: the IEEE bits, little-endian
//   extraction-json := common/json.h ToJson(Extraction)
//   audit-json      := {"time", "action", "by", "detail"}
//
// An original is referenced by one original_refs entry per document holding it; it is deleted
// with its last reference.
#include "schema.h"

#include <bit>
#include <nlohmann/json.hpp>

#include "quire/common/json.h"
#include "quire/store/varint.h"

namespace quire::store {
namespace {

using nlohmann::json;

void AppendBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(value >> (8 * i)));
}

// Records never fail to encode: text that is not valid UTF-8 (a file name in a legacy encoding)
// is stored with U+FFFD in place of the bad bytes.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Result<json> Parse(std::string_view value, const char* what) {
  json j = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Corruption(std::string(what) + " record is not valid JSON");
  return j;
}

constexpr char kPageFormat = 0x01;

void PutZigZag(std::string& out, int n) { PutVarint(out, ZigZag(n)); }

bool GetZigZag(std::string_view& in, int& n) {
  uint64_t v;
  if (!GetVarint(in, v)) return false;
  n = static_cast<int>(UnZigZag(v));
  return true;
}

void PutFixed(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

bool GetFixed(std::string_view& in, uint64_t& v, int bytes) {
  if (in.size() < static_cast<size_t>(bytes)) return false;
  v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  in.remove_prefix(bytes);
  return true;
}

bool GetText(std::string_view& in, std::string& s) {
  std::string_view view;
  if (!GetString(in, view)) return false;
  s.assign(view);
  return true;
}

}  // namespace

const char* ColumnName(Column column) {
  switch (column) {
    case Column::kDocuments:
      return "documents";
    case Column::kOriginals:
      return "originals";
    case Column::kOriginalRefs:
      return "original_refs";
    case Column::kPages:
      return "pages";
    case Column::kFields:
      return "fields";
    case Column::kAudit:
      return "audit";
    case Column::kMeta:
      return "meta";
    case Column::kIndexPostings:
      return "index_postings";
    case Column::kIndexTermStats:
      return "index_term_stats";
    case Column::kIndexDocTerms:
      return "index_doc_terms";
    case Column::kJournal:
      return "journal";
  }
  return "";
}

Column ToColumn(IndexColumn column) {
  switch (column) {
    case IndexColumn::kPostings:
      return Column::kIndexPostings;
    case IndexColumn::kTermStats:
      return Column::kIndexTermStats;
    case IndexColumn::kDocTerms:
      return Column::kIndexDocTerms;
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

std::string UnindexedKey(DocId id) {
  return std::string(kUnindexedKeys) + EncodeFixed64(id);
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
  return Dump(j);
}

Result<DocumentSummary> DecodeSummary(DocId id, std::string_view value) {
  Result<json> j = Parse(value, "document");
  if (!j.ok()) return j.status();
  try {
    DocumentSummary summary;
    summary.id = id;
    summary.sha256 = j->at("sha256").get<std::string>();
    summary.source = j->at("source").get<std::string>();
    summary.format = j->at("format").get<std::string>();
    summary.type = ParseDocumentType(j->at("type").get<std::string>());
    summary.pages = j->at("pages").get<int>();
    summary.ingested = j->at("ingested").get<int64_t>();
    summary.needs_review = j->at("needs_review").get<bool>();
    if (j->contains("tags")) summary.tags = j->at("tags").get<std::vector<std::string>>();
    summary.title = j->value("title", "");
    summary.notes = j->value("notes", "");
    return summary;
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("document record is not valid: ") + e.what());
  }
}

std::string EncodePage(const PageText& page) {
  PageText fields = page;
  fields.words.clear();
  std::string out(1, kPageFormat);
  PutString(out, Dump(ToJson(fields)));
  PutVarint(out, page.words.size());
  for (const OcrWord& word : page.words) {
    PutString(out, word.text);
    for (int n : {word.box.x, word.box.y, word.box.w, word.box.h}) PutZigZag(out, n);
    PutFixed(out, std::bit_cast<uint32_t>(word.conf), 4);
    PutZigZag(out, word.block);
    PutZigZag(out, word.line);
  }
  return out;
}

Result<PageText> DecodePage(std::string_view value) {
  const Status damaged = Status::Corruption("page record is not valid");
  std::string_view fields;
  uint64_t words;
  if (value.empty() || value.front() != kPageFormat) return damaged;
  value.remove_prefix(1);
  if (!GetString(value, fields) || !GetVarint(value, words) || words > value.size()) {
    return damaged;
  }
  Result<json> j = Parse(fields, "page");
  if (!j.ok()) return j.status();
  Result<PageText> page = PageTextFromJson(*j);
  if (!page.ok()) return page.status();
  page->words.resize(words);
  for (OcrWord& word : page->words) {
    uint64_t conf;
    if (!GetText(value, word.text) || !GetZigZag(value, word.box.x) ||
        !GetZigZag(value, word.box.y) || !GetZigZag(value, word.box.w) ||
        !GetZigZag(value, word.box.h) || !GetFixed(value, conf, 4) ||
        !GetZigZag(value, word.block) || !GetZigZag(value, word.line)) {
      return damaged;
    }
    word.conf = std::bit_cast<float>(static_cast<uint32_t>(conf));
  }
  if (!value.empty()) return damaged;
  return page;
}

std::string EncodeExtraction(const Extraction& extraction) { return Dump(ToJson(extraction)); }

Result<Extraction> DecodeExtraction(std::string_view value) {
  Result<json> j = Parse(value, "fields");
  if (!j.ok()) return j.status();
  return ExtractionFromJson(*j);
}

std::string EncodeAudit(const AuditEvent& event) {
  return Dump(
      {{"time", event.time}, {"action", event.action}, {"by", event.by}, {"detail", event.detail}});
}

Result<AuditEvent> DecodeAudit(std::string_view value) {
  Result<json> j = Parse(value, "audit");
  if (!j.ok()) return j.status();
  try {
    return AuditEvent{j->at("time").get<int64_t>(), j->at("action").get<std::string>(),
                      j->at("by").get<std::string>(), j->at("detail").get<std::string>()};
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("audit record is not valid: ") + e.what());
  }
}

}  // namespace quire::store
