#include "bm25.h"

#include <catch2/catch.hpp>

using quire::index::Bm25Weight;
using quire::index::CorpusStats;

TEST_CASE("BM25 prefers more occurrences, shorter documents and rarer terms") {
  const CorpusStats corpus{100, 100 * 200};  // 100 documents of 200 words on average
  const Bm25Weight common(corpus, 50);
  const Bm25Weight rare(corpus, 2);
  CHECK(common.Score(3, 200) > common.Score(1, 200));
  CHECK(common.Score(2, 100) > common.Score(2, 400));
  CHECK(rare.Score(1, 200) > common.Score(1, 200));
  CHECK(common.Score(0, 200) == 0);
  CHECK(Bm25Weight().Score(5, 10) == 0);
}

TEST_CASE("a BM25 score never exceeds its term's upper bound") {
  const Bm25Weight weight(CorpusStats{10, 1000}, 3);
  for (uint32_t tf : {1u, 10u, 1000u}) {
    for (uint32_t length : {1u, 100u, 10000u}) CHECK(weight.Score(tf, length) <= weight.MaxScore());
  }
  // The textbook value: idf = ln(1 + 7.5 / 3.5), tf = 1 in an average document.
  CHECK(weight.Score(1, 100) == Approx(std::log(1 + 7.5 / 3.5) * 2.2 / 2.2));
}
