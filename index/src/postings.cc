// Key layout of the index columns (all integers unsigned unless said; "+" is concatenation).
//
//   docid        := 8-byte big-endian DocId              (keys sort by document)
//   varint       := LEB128, 7 bits a byte, low bits first
//
// kPostings
//   "t" term 0x00 docid -> block of postings             the archive's list PostingList(term):
//                                                        blocks of up to 128 postings in document
//                                                        order, ids delta-coded, each block keyed
//                                                        by its last document (store/src/
//                                                        index_lists.cc has the block grammar)
//   posting      := norm varint(frequency << 1 | on_page_one) position*frequency
//   norm         := 1 byte, LengthNorm(words in the document): BM25's length, exact below 128
//                   and within an eighth above (Lucene's norms are as coarse)
//   block summary := (varint(frequency) varint(doc_length))*
//                                                        SummarizePostings: per pair, the block's
//                                                        shortest document with at least that
//                                                        frequency, in decreasing frequency, where
//                                                        it is shorter than the pair before
//   position     := varint(page_delta) varint(word)      page_delta from the previous position
//                                                        (the first from 0); word is a delta from
//                                                        the previous word when page_delta is 0.
//                                                        When on_page_one, the first position is
//                                                        on page 1 and has no page_delta (most
//                                                        postings: one word on a one-page scan)
//   "v" filter 0x00 value docid -> ""                    a range filter's values, in value order;
//                                                        value is an ISO date ("2024-03-15") or
//                                                        an amount (EncodeAmount: 8 bytes)
// kTermStats (values are little-endian int64 sums)
//   "t" term 0x00 -> documents containing the term       the count the archive keeps of the
//                                                        posting list; also the term dictionary
//                                                        that prefix and fuzzy queries walk (0
//                                                        once unused)
//   "n"          -> documents indexed                    (IndexBatch::Add)
//   "l"          -> sum of the documents' lengths        (BM25's average document length)
// kDocTerms
//   "m" docid    -> CBOR {"len", "type", "title", "ranges": {filter: value}, "vendor", "tags": [],
//                         "review": bool}   (the last three are left out by entries written
//                                            before search results had facets)
//   (no list of the document's terms: un-indexing derives them from the stored document)
//
// Terms never hold 0x00 (the tokenizer drops control characters), so no posting list name is a
// prefix of another.
//
// Postings and statistics are written through the archive's deferred writes (IndexBatch::Append
// and Add): many documents' postings of a term go into one block, in bulk, and a term's document
// count changes once per bulk write (see ArchiveOptions::index_buffer_documents). The document's
// own entries ("m", "v") are written with its commit. The Searcher flushes the archive's
// buffer before it reads, so a search sees every committed document.
#include "postings.h"

#include <algorithm>
#include <bit>
#include <nlohmann/json.hpp>

#include "quire/store/varint.h"

namespace quire::index {
namespace {

bool GetVarint(std::string_view& in, uint32_t& v) {
  uint64_t wide;
  if (!store::GetVarint(in, wide) || wide > UINT32_MAX) return false;
  v = static_cast<uint32_t>(wide);
  return true;
}

std::string TermKey(std::string_view prefix, std::string_view term) {
  std::string key(prefix);
  key.append(term);
  key.push_back('\0');
  return key;
}

}  // namespace

std::string EncodeDocId(DocId id) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, id >>= 8) out[i] = static_cast<char>(id & 0xff);
  return out;
}

DocId DecodeDocId(std::string_view eight_bytes) {
  DocId id = 0;
  for (char c : eight_bytes.substr(0, 8)) id = (id << 8) | static_cast<uint8_t>(c);
  return id;
}

std::string PostingList(std::string_view term) {
  std::string list;
  PostingListInto(term, list);
  return list;
}

void PostingListInto(std::string_view term, std::string& out) {
  out.assign(kPostingKeys);
  out.append(term);
  out.push_back('\0');
}

bool ParsePostingBlockKey(std::string_view key, std::string_view& term) {
  if (!key.starts_with(kPostingKeys) || key.size() < kPostingKeys.size() + 9) return false;
  const size_t nul = key.size() - 9;
  if (key[nul] != '\0') return false;
  term = key.substr(kPostingKeys.size(), nul - kPostingKeys.size());
  return true;
}

uint8_t LengthNorm(uint32_t length) {
  if (length < kExactNorms) return static_cast<uint8_t>(length);
  // The length's top four bits: its highest (implied by the shift) and three below it.
  const int shift = std::bit_width(length) - 4;
  const uint32_t norm = kExactNorms + (shift - 4) * 8 + ((length >> shift) & 7);
  return static_cast<uint8_t>(std::min<uint32_t>(norm, 255));
}

uint32_t NormLength(uint8_t norm) {
  if (norm < kExactNorms) return norm;
  const int shift = (norm - kExactNorms) / 8 + 4;
  return (8u | (norm - kExactNorms) % 8) << shift;
}

std::string EncodePosting(const Posting& posting) {
  std::string out;
  EncodePostingInto(posting.doc_length, posting.positions, out);
  return out;
}

void EncodePostingInto(uint32_t doc_length, std::span<const Position> positions, std::string& out) {
  out.assign(1, static_cast<char>(LengthNorm(doc_length)));
  const bool on_page_one = !positions.empty() && positions.front().page == 1;
  store::PutVarint(out, uint64_t{positions.size()} << 1 | on_page_one);
  Position previous;
  for (const Position& p : positions) {
    const bool implied_page = on_page_one && &p == &positions.front();
    if (!implied_page) store::PutVarint(out, p.page - previous.page);
    store::PutVarint(out, p.page == previous.page ? p.word - previous.word : p.word);
    previous = p;
  }
}

namespace {

// Reads the norm and the frequency word off the front of `value`.
bool ReadCounts(std::string_view& value, uint32_t& doc_length, uint32_t& frequency,
                bool& on_page_one) {
  uint64_t counts;
  if (value.empty()) return false;
  doc_length = NormLength(static_cast<uint8_t>(value.front()));
  value.remove_prefix(1);
  if (!store::GetVarint(value, counts) || (counts >> 1) > UINT32_MAX) return false;
  frequency = static_cast<uint32_t>(counts >> 1);
  on_page_one = (counts & 1) != 0;
  return true;
}

}  // namespace

bool DecodePostingCounts(std::string_view value, uint32_t& doc_length, uint32_t& frequency) {
  bool on_page_one;
  return ReadCounts(value, doc_length, frequency, on_page_one);
}

bool AppendPositions(std::string_view value, std::vector<Position>& positions) {
  uint32_t doc_length, frequency;
  bool on_page_one;
  if (!ReadCounts(value, doc_length, frequency, on_page_one)) return false;
  Position p;
  for (uint32_t i = 0; i < frequency; ++i) {
    uint32_t page_delta = 1, word;
    if (!(i == 0 && on_page_one) && !GetVarint(value, page_delta)) return false;
    if (!GetVarint(value, word)) return false;
    p = page_delta == 0 ? Position{p.page, p.word + word} : Position{p.page + page_delta, word};
    positions.push_back(p);
  }
  return true;
}

std::string SummarizePostings(const std::vector<std::string_view>& postings) {
  std::vector<PostingBound> counts;
  counts.reserve(postings.size());
  for (std::string_view posting : postings) {
    PostingBound c;
    // A damaged posting bounds nothing: the block keeps the highest bound, and reading it
    // reports the damage.
    if (!DecodePostingCounts(posting, c.doc_length, c.frequency)) c = {.frequency = UINT32_MAX};
    counts.push_back(c);
  }
  std::sort(counts.begin(), counts.end(), [](const PostingBound& a, const PostingBound& b) {
    return a.frequency != b.frequency ? a.frequency > b.frequency : a.doc_length < b.doc_length;
  });
  std::string out;
  uint32_t shortest = UINT32_MAX;
  for (const PostingBound& c : counts) {
    if (c.doc_length >= shortest) continue;  // a posting as frequent and no longer beats it
    shortest = c.doc_length;
    store::PutVarint(out, c.frequency);
    store::PutVarint(out, c.doc_length);
  }
  return out;
}

bool DecodePostingSummary(std::string_view summary, std::vector<PostingBound>& bounds) {
  bounds.clear();
  while (!summary.empty()) {
    PostingBound b;
    if (!GetVarint(summary, b.frequency) || !GetVarint(summary, b.doc_length)) return false;
    bounds.push_back(b);
  }
  return !bounds.empty();
}

Result<Posting> DecodePosting(std::string_view value, bool positions) {
  Posting posting;
  if (!DecodePostingCounts(value, posting.doc_length, posting.frequency)) {
    return Status::Corruption("posting value is truncated");
  }
  if (positions && !AppendPositions(value, posting.positions)) {
    return Status::Corruption("posting positions are truncated");
  }
  return posting;
}

std::string RangeKeyPrefix(std::string_view filter) { return TermKey(kRangeKeys, filter); }

std::string RangeKey(std::string_view filter, std::string_view encoded_value, DocId id) {
  return RangeKeyPrefix(filter) + std::string(encoded_value) + EncodeDocId(id);
}

Result<int64_t> DecodeCount(std::string_view value) {
  if (value.size() != 8) return Status::Corruption("term statistic is not an 8-byte integer");
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(value[i]);
  return static_cast<int64_t>(v);
}

std::string DocMetaKey(DocId id) { return std::string(kDocMetaKeys) + EncodeDocId(id); }

bool ParseDocMetaKey(std::string_view key, DocId& id) {
  if (!key.starts_with(kDocMetaKeys) || key.size() != kDocMetaKeys.size() + 8) return false;
  id = DecodeDocId(key.substr(kDocMetaKeys.size()));
  return true;
}

std::string EncodeDocMeta(const DocMeta& meta) {
  nlohmann::json j = {{"len", meta.length},    {"type", meta.type},     {"title", meta.title},
                      {"ranges", meta.ranges}, {"vendor", meta.vendor}, {"tags", meta.tags}};
  if (meta.needs_review) j["review"] = *meta.needs_review;
  const std::vector<uint8_t> cbor = nlohmann::json::to_cbor(j);
  return std::string(cbor.begin(), cbor.end());
}

namespace {

// Reads the CBOR that EncodeDocMeta writes (definite lengths; unsigned integers, text, arrays,
// maps and booleans). Every search reads the entries of up to kFacetedMatches matches, and
// building a JSON value of each first took a quarter of a search's time (bench_search at 100k).
class CborReader {
 public:
  explicit CborReader(std::string_view in) : in_(in) {}

  // A data item's major type and argument (its value, length or entry count).
  bool Head(uint8_t& major, uint64_t& argument) {
    if (in_.empty()) return false;
    const uint8_t initial = static_cast<uint8_t>(in_.front());
    in_.remove_prefix(1);
    major = initial >> 5;
    const uint8_t info = initial & 0x1f;
    if (info < 24) {
      argument = info;
      return true;
    }
    if (info > 27) return false;  // indefinite lengths and reserved values are never written
    const size_t bytes = size_t{1} << (info - 24);
    if (in_.size() < bytes) return false;
    argument = 0;
    for (size_t i = 0; i < bytes; ++i) argument = argument << 8 | static_cast<uint8_t>(in_[i]);
    in_.remove_prefix(bytes);
    return true;
  }
  bool Expect(uint8_t want, uint64_t& argument) {
    uint8_t major;
    return Head(major, argument) && major == want;
  }
  bool Text(std::string& out) {
    uint64_t size;
    if (!Expect(kText, size) || size > in_.size()) return false;
    out.assign(in_.substr(0, size));
    in_.remove_prefix(size);
    return true;
  }
  bool Unsigned(uint32_t& out) {
    uint64_t value;
    if (!Expect(kUnsigned, value) || value > UINT32_MAX) return false;
    out = static_cast<uint32_t>(value);
    return true;
  }
  bool Bool(bool& out) {
    uint64_t value;
    if (!Expect(kSimple, value) || (value != kFalse && value != kTrue)) return false;
    out = value == kTrue;
    return true;
  }
  // Skips one data item (a key this version does not read).
  bool Skip(int depth = 0) {
    uint8_t major;
    uint64_t argument;
    if (depth > 8 || !Head(major, argument)) return false;
    switch (major) {
      case kUnsigned:
      case kNegative:
      case kSimple: return true;
      case kBytes:
      case kText:
        if (argument > in_.size()) return false;
        in_.remove_prefix(argument);
        return true;
      case kArray:
      case kMap:
        if (argument > in_.size()) return false;  // each item takes a byte at least
        for (uint64_t i = 0; i < argument * (major == kMap ? 2 : 1); ++i) {
          if (!Skip(depth + 1)) return false;
        }
        return true;
      default: return false;  // tags
    }
  }
  bool AtEnd() const { return in_.empty(); }

  static constexpr uint8_t kUnsigned = 0, kNegative = 1, kBytes = 2, kText = 3, kArray = 4,
                           kMap = 5, kSimple = 7;
  static constexpr uint64_t kFalse = 20, kTrue = 21;

 private:
  std::string_view in_;
};

// Reads the entry's fields into `meta`; `required` counts those every entry has.
bool ReadDocMeta(CborReader& cbor, DocMeta& meta, int& required) {
  uint64_t fields;
  if (!cbor.Expect(CborReader::kMap, fields)) return false;
  std::string key;
  for (uint64_t i = 0; i < fields; ++i) {
    if (!cbor.Text(key)) return false;
    bool ok = true;
    uint64_t count = 0;
    if (key == "len") {
      ok = cbor.Unsigned(meta.length);
      ++required;
    } else if (key == "type" || key == "title") {
      ok = cbor.Text(key == "type" ? meta.type : meta.title);
      ++required;
    } else if (key == "ranges") {
      ok = cbor.Expect(CborReader::kMap, count);
      std::string name;
      for (uint64_t r = 0; ok && r < count; ++r) {
        ok = cbor.Text(name) && cbor.Text(meta.ranges[name]);
      }
      ++required;
    } else if (key == "vendor") {
      ok = cbor.Text(meta.vendor);
    } else if (key == "tags") {
      ok = cbor.Expect(CborReader::kArray, count);
      for (uint64_t t = 0; ok && t < count; ++t) ok = cbor.Text(meta.tags.emplace_back());
    } else if (key == "review") {
      ok = cbor.Bool(meta.needs_review.emplace());
    } else {
      ok = cbor.Skip();
    }
    if (!ok) return false;
  }
  return cbor.AtEnd();
}

}  // namespace

Result<DocMeta> DecodeDocMeta(std::string_view value) {
  CborReader cbor(value);
  DocMeta meta;
  int required = 0;
  if (!ReadDocMeta(cbor, meta, required) || required != 4) {
    return Status::Corruption("index document entry is not a valid CBOR record");
  }
  return meta;
}

}  // namespace quire::index
