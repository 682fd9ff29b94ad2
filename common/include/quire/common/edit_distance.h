// Levenshtein distance (insertions, deletions and substitutions each cost 1) between two
// sequences of anything comparable: bytes, code points or words.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace quire {

// O(|a| * |b|) time, O(|b|) memory.
template <typename SeqA, typename SeqB>
long EditDistance(const SeqA& a, const SeqB& b) {
  std::vector<long> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<long>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    long diagonal = row[0];
    row[0] = static_cast<long>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const long substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      const long next = std::min({row[j] + 1, row[j - 1] + 1, substitute});
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.size()];
}

}  // namespace quire
