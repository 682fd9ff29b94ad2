// The archive's layout on RocksDB: its column families, key encodings and record encodings.
// The grammar is written out at the top of schema.cc.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "quire/common/fields.h"
#include "quire/common/page.h"
#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::store {

// The version written into new archives. Version 2 keeps postings in blocks and pages in a binary
// record; version 3 gives each block a summary; version 4 writes pages and fields with the
// archive's own encoders (records.cc) rather than the command line's JSON. Open migrates an
// archive from kOldestMigratedSchema on (a read-only open reads it as it is) and refuses older
// ones, which are rebuilt by ingesting their documents again, and newer ones. Version 5 keeps a
// tally and the review queue in kMeta, so lists, counts and stats need no scan of every document.
// Version 6 is the index's new posting encoding (index/src/postings.cc): a writer empties the
// index columns and indexes every document again; until then a read-only open cannot search.
// Version 7 indexes each tag whole, not also its parts (tag:acme no longer finds acme-corp): the
// index is rebuilt as for version 6. Version 8 indexes the words of the title and notes a person
// gave: the index is rebuilt likewise. Version 9 keeps each word's alternative readings in its
// page record (records.cc); version 4's page records are read as they are.
inline constexpr int kSchemaVersion = 9;
// The first version whose index this quire reads.
inline constexpr int kIndexSchemaVersion = 8;
inline constexpr int kOldestMigratedSchema = 3;

// Values at least this large go to blob files instead of SST files (originals only).
inline constexpr uint64_t kMinBlobSize = 64 * 1024;

enum class Column {
  kDocuments,
  kOriginals,
  kOriginalRefs,
  kPages,
  kFields,
  kAudit,
  kMeta,
  kIndexPostings,
  kIndexTermStats,
  kIndexDocTerms,
  kJournal,
};
inline constexpr int kColumnCount = static_cast<int>(Column::kJournal) + 1;

// The column family's name on disk.
const char* ColumnName(Column column);
Column ToColumn(IndexColumn column);

// Keys in kMeta.
inline constexpr std::string_view kSchemaVersionKey = "schema_version";
inline constexpr std::string_view kNextDocIdKey = "next_doc_id";
inline constexpr std::string_view kUnindexedKeys = "unindexed/";
// The mark of a committed document whose deferred index writes are not written yet.
std::string UnindexedKey(DocId id);
inline constexpr std::string_view kTallyKey = "tally";
inline constexpr std::string_view kReviewKeys = "review/";
// The mark of a document that needs review.
std::string ReviewKey(DocId id);
DocId DocIdOfReviewKey(std::string_view key);

// The archive's running counts, changed in the batch of every write that changes them.
struct Tally {
  int64_t documents = 0;
  int64_t pages = 0;
  int64_t needs_review = 0;
  int64_t originals = 0;
  int64_t original_bytes = 0;

  Tally& operator+=(const Tally& change);
  bool operator==(const Tally&) const = default;
};
std::string EncodeTally(const Tally& tally);
Result<Tally> DecodeTally(std::string_view value);

inline constexpr size_t kSha256HexSize = 64;
inline constexpr size_t kDocIdSize = 8;

std::string EncodeFixed64(uint64_t value);       // big-endian, so keys sort by number
uint64_t DecodeFixed64(std::string_view bytes);  // REQUIRES: bytes.size() >= 8

// "document 7": how messages name a document.
std::string DocumentName(DocId id);

std::string DocKey(DocId id);
std::string PageKey(DocId id, uint32_t page);
std::string AuditKey(DocId id, uint64_t sequence);
std::string RefKey(std::string_view sha256, DocId id);
// The document id that starts a kDocuments, kPages, kFields or kAudit key.
DocId DocIdOfKey(std::string_view key);
// The document id that ends a kOriginalRefs key.
DocId DocIdOfRefKey(std::string_view key);

// kIndexTermStats values: little-endian int64.
std::string EncodeInt64Le(int64_t value);
int64_t DecodeInt64Le(std::string_view bytes);  // REQUIRES: bytes.size() == 8

// A JSON record's bytes. Records never fail to encode: text that is not valid UTF-8 (a file name
// in a legacy encoding) is stored with U+FFFD in place of the bad bytes.
std::string DumpRecord(const nlohmann::json& record);

std::string EncodeSummary(const DocumentSummary& summary);
Result<DocumentSummary> DecodeSummary(DocId id, std::string_view value);
std::string EncodePage(const PageText& page);
Result<PageText> DecodePage(std::string_view value);
// A page record as this schema writes it, from one an older schema wrote; nullopt when it is
// already written so. Corruption when it cannot be read.
Result<std::optional<std::string>> MigratePageRecord(std::string_view value);
std::string EncodeExtraction(const Extraction& extraction);
Result<Extraction> DecodeExtraction(std::string_view value);
std::string EncodeAudit(const AuditEvent& event);
Result<AuditEvent> DecodeAudit(std::string_view value);

}  // namespace quire::store
