// BM25 (Robertson & Spärck Jones; Robertson & Zaragoza, "The Probabilistic Relevance Framework:
// BM25 and Beyond", 2009) with k1 = 1.2 and b = 0.75:
//
//   score(t, d) = idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))
//   idf(t)      = ln(1 + (N - df + 0.5) / (df + 0.5))
//
// tf: occurrences of term t in document d; dl: d's length in words; avgdl: the average length;
// N: documents indexed; df: documents containing t. The length normalisation
// (1 - b + b * dl / avgdl) makes a match in a long document count for less: b = 0 ignores length,
// b = 1 divides tf by dl / avgdl fully. The "1 +" inside the log keeps idf positive for terms in
// more than half of the documents (as Lucene does), so a match never lowers a score.
//
// As tf grows and dl shrinks the score approaches idf * (k1 + 1): that is the term's upper bound,
// which lets top-k search skip documents that cannot reach the k-th best score (as Xapian does).
#pragma once

#include <cstdint>

namespace quire::index {

struct CorpusStats {
  int64_t documents = 0;     // N
  int64_t total_length = 0;  // sum of document lengths; avgdl = total_length / documents
};

class Bm25Weight {
 public:
  static constexpr double kK1 = 1.2;
  static constexpr double kB = 0.75;

  // A weight that scores 0: for filters, which select documents but do not rank them.
  Bm25Weight() = default;
  Bm25Weight(const CorpusStats& corpus, int64_t document_frequency);

  double Score(uint32_t term_frequency, uint32_t doc_length) const;
  double MaxScore() const { return idf_ * (kK1 + 1); }

 private:
  double idf_ = 0;
  // k1 * (1 - b + b * dl / avgdl) = norm_base_ + norm_per_word_ * dl, with no division per score.
  double norm_base_ = kK1;
  double norm_per_word_ = 0;
};

}  // namespace quire::index
