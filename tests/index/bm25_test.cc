#include "bm25.h"

#include <catch2/catch.hpp>

#include "postings.h"

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

TEST_CASE("a block's summary gives the best score of its postings without reading them") {
  using namespace quire::index;
  const Bm25Weight weight(CorpusStats{1000, 1000 * 150}, 40);
  std::vector<std::string> encoded;
  for (uint32_t i = 0; i < 128; ++i) {
    Posting posting;
    posting.doc_length = 20 + (i * 37) % 400;
    for (uint32_t f = 0; f <= (i * 11) % 6; ++f) posting.positions.push_back({1, f});
    encoded.push_back(EncodePosting(posting));
  }
  const std::vector<std::string_view> block(encoded.begin(), encoded.end());
  double best = 0;
  for (std::string_view posting : block) {
    uint32_t length, frequency;
    REQUIRE(DecodePostingCounts(posting, length, frequency));
    best = std::max(best, weight.Score(frequency, length));
  }
  const std::string summary = SummarizePostings(block);
  std::vector<PostingBound> bounds;
  REQUIRE(DecodePostingSummary(summary, bounds));
  CHECK(bounds.size() <= 6);  // at most one pair per frequency, of 1 to 6
  double bound = 0;
  for (const PostingBound& b : bounds)
    bound = std::max(bound, weight.Score(b.frequency, b.doc_length));
  CHECK(bound == best);

  // A damaged posting cannot be bounded below the term's best score.
  const std::vector<std::string_view> damaged = {encoded[0], "\x80"};
  REQUIRE(DecodePostingSummary(SummarizePostings(damaged), bounds));
  CHECK(bounds.front().frequency == UINT32_MAX);
  CHECK(bounds.front().doc_length == 0);
  // A block written without a summarizer has none.
  CHECK_FALSE(DecodePostingSummary("", bounds));
}
