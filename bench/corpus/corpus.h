// A synthetic archive of OCR'd invoices and receipts, and the fixed query mix run against it.
//
// The model learns word frequencies and document lengths from real ground truth (the
// *.truth.json files of sample-docs/ and ../shared/data/sroie-dev/), then writes documents shaped
// like them: a vendor header, a document number and date, a body drawn from the learned words
// (with a Zipf-distributed tail of rarer words and generated amounts), and a total. A share of the
// words carries the confusions OCR makes (l/1, O/0, I/l, rn/m).
//
// Document `i` depends only on the model and `i`, so the archive and the FTS5 table get the same
// corpus without holding it in memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::bench {

// What both engines index about one document.
struct BenchDocument {
  std::string body;  // the page text: words separated by spaces and newlines
  std::string type;  // "invoice" or "receipt"
  std::string vendor;
  std::string number;
  std::string date;   // YYYY-MM-DD
  std::string total;  // "123.45"
};

enum class QueryKind { kWord, kAnd3, kPhrase, kPrefix, kFuzzy, kRange };
inline constexpr QueryKind kQueryKinds[] = {QueryKind::kWord,   QueryKind::kAnd3,
                                            QueryKind::kPhrase, QueryKind::kPrefix,
                                            QueryKind::kFuzzy,  QueryKind::kRange};
const char* QueryKindName(QueryKind kind);

// One query written for each engine. An empty `fts_match` means FTS5 has no equivalent.
struct BenchQuery {
  QueryKind kind;
  std::string quire;      // quire's query language
  std::string fts_match;  // an FTS5 MATCH expression
  std::string fts_where;  // an extra SQL condition on the meta table `m`, or ""
};

class CorpusModel {
 public:
  // Reads the *.truth.json files in `folders` (missing folders are skipped). NotFound when there
  // are none.
  static Result<CorpusModel> Learn(const std::vector<std::string>& folders);

  BenchDocument Generate(uint64_t index) const;
  // The document as quire ingests it: one page with a box per word, and extracted fields.
  static store::NewDocument ToNewDocument(const BenchDocument& doc, uint64_t index);

  // `per_kind` queries of each kind, built from words of documents among the first `documents`.
  std::vector<BenchQuery> Queries(uint64_t documents, int per_kind) const;

  size_t truth_files() const { return truth_files_; }
  size_t vocabulary() const { return words_.size(); }

 private:
  // A word drawn by frequency: learned words mostly, else the generated tail.
  std::string Word(uint64_t& state) const;

  size_t truth_files_ = 0;
  std::vector<std::string> words_;    // learned words (with letters), by descending count
  std::vector<uint64_t> cumulative_;  // running sum of their counts
  std::vector<std::string> tail_;     // generated rarer words, Zipf-weighted by rank
  std::vector<double> tail_cumulative_;
  std::vector<int> lengths_;  // words per learned document
  std::vector<std::string> vendors_;
};

}  // namespace quire::bench
