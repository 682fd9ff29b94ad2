#include "bm25.h"

#include <algorithm>
#include <cmath>

namespace quire::index {

Bm25Weight::Bm25Weight(const CorpusStats& corpus, int64_t document_frequency) {
  const double n = static_cast<double>(std::max<int64_t>(corpus.documents, 1));
  const double df = std::clamp(static_cast<double>(document_frequency), 0.0, n);
  idf_ = std::log(1 + (n - df + 0.5) / (df + 0.5));
  const double average_length = std::max(1.0, static_cast<double>(corpus.total_length) / n);
  norm_base_ = kK1 * (1 - kB);
  norm_per_word_ = kK1 * kB / average_length;
}

double Bm25Weight::Score(uint32_t term_frequency, uint32_t doc_length) const {
  if (term_frequency == 0) return 0;
  const double tf = term_frequency;
  return idf_ * tf * (kK1 + 1) / (tf + norm_base_ + norm_per_word_ * doc_length);
}

}  // namespace quire::index
