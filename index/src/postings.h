// The index's keys and values in the archive's index columns. The layout is written out at the
// top of postings.cc.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::index {

using store::DocId;

// Where a word sits: `page` is the page index + 1 for page words, kFieldsPage for the words of
// extracted field values; `word` is the index into PageText::words, or the running number of the
// word among all field values (in field-name order).
struct Position {
  uint32_t page = 0;
  uint32_t word = 0;
  auto operator<=>(const Position&) const = default;
};
inline constexpr uint32_t kFieldsPage = 0;

// One document's entry in a term's postings.
struct Posting {
  // Words in the document, for BM25's length normalisation; a posting keeps it as LengthNorm.
  uint32_t doc_length = 0;
  uint32_t frequency = 0;  // occurrences of the term (positions.size(); 0 for filter terms)
  std::vector<Position> positions;  // ascending
};

// What the index keeps per document.
struct DocMeta {
  uint32_t length = 0;
  std::string type;  // DocumentTypeName
  std::string title;
  std::map<std::string, std::string> ranges;  // range filter name -> value ("2024-03-15", "120.50")
  // For the facets of search results; entries written before them have none.
  std::string vendor;  // the extracted vendor name, "" when not found
  std::vector<std::string> tags;
  std::optional<bool> needs_review;
};

// kPostings: a term's postings are the archive list (IndexBatch::Append) PostingList(term).
std::string PostingList(std::string_view term);
// PostingList(term) into `out`, replacing what it held.
void PostingListInto(std::string_view term, std::string& out);
// The term whose list a key of the column belongs to; false when `key` is no posting block key.
bool ParsePostingBlockKey(std::string_view key, std::string_view& term);
inline constexpr std::string_view kPostingKeys = "t";  // every posting list name starts so
std::string EncodePosting(const Posting& posting);
// EncodePosting of a posting with these positions (its frequency), into `out`, replacing what it
// held: the inverter's, without a Posting or a new string for each term of each document.
void EncodePostingInto(uint32_t doc_length, std::span<const Position> positions, std::string& out);
// A document length in one byte: exact below kExactNorms, above it rounded down to its top four
// bits (an eighth at most), which moves a BM25 score by a few percent at most.
inline constexpr uint32_t kExactNorms = 128;
uint8_t LengthNorm(uint32_t length);
// The length a norm stands for (the least length with that norm).
uint32_t NormLength(uint8_t norm);
// Decodes the length and frequency, and the positions when `positions` is true.
Result<Posting> DecodePosting(std::string_view value, bool positions);
// The length and frequency alone, without building a Posting: what scoring reads of every
// posting. False when the value is truncated.
bool DecodePostingCounts(std::string_view value, uint32_t& doc_length, uint32_t& frequency);
// Appends the posting's positions to `positions` (a phrase check's buffer, reused from document
// to document). False when the value is truncated.
bool AppendPositions(std::string_view value, std::vector<Position>& positions);

// A posting's length and frequency, as a block summary holds them.
struct PostingBound {
  uint32_t doc_length = 0;
  uint32_t frequency = 0;
};
// The summary of a block of postings (store::Indexer::SummarizeList): the few
// (frequency, length) pairs that no posting of the block beats in both, so that the block's best
// BM25 score (higher with the frequency, lower with the length) follows without reading it.
std::string SummarizePostings(const std::vector<std::string_view>& postings);
// The pairs of a SummarizePostings summary; false when it is damaged or empty (a block written
// without a summarizer).
bool DecodePostingSummary(std::string_view summary, std::vector<PostingBound>& bounds);

// kPostings, the range filters' value keys: sorted by encoded value, then document.
std::string RangeKeyPrefix(std::string_view filter);
std::string RangeKey(std::string_view filter, std::string_view encoded_value, DocId id);
inline constexpr std::string_view kRangeKeys = "v";

// kTermStats
// A term's document frequency is its posting list's count (see store::ListIterator), under the
// list's name; these keys are also the term dictionary.
inline std::string DocFrequencyKey(std::string_view term) { return PostingList(term); }
inline constexpr std::string_view kDocFrequencyKeys = kPostingKeys;
// The term of a DocFrequencyKey.
inline std::string_view TermOfDocFrequencyKey(std::string_view key) {
  return key.substr(kDocFrequencyKeys.size(), key.size() - kDocFrequencyKeys.size() - 1);
}
inline constexpr std::string_view kDocumentCountKey = "n";
inline constexpr std::string_view kTotalLengthKey = "l";
Result<int64_t> DecodeCount(std::string_view value);

// kDocTerms
std::string DocMetaKey(DocId id);
inline constexpr std::string_view kDocMetaKeys = "m";
// The document of a DocMetaKey; false when `key` is not one.
bool ParseDocMetaKey(std::string_view key, DocId& id);
std::string EncodeDocMeta(const DocMeta& meta);
Result<DocMeta> DecodeDocMeta(std::string_view value);

// Big-endian, so keys sort by document id.
std::string EncodeDocId(DocId id);
DocId DecodeDocId(std::string_view eight_bytes);

}  // namespace quire::index
