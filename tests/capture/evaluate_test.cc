#include "quire/capture/evaluate.h"

#include <catch2/catch.hpp>

using quire::capture::ScoreText;
using quire::capture::TextScore;

TEST_CASE("identical text scores zero errors and full recall, whatever the spacing") {
  const TextScore s = ScoreText("TOTAL  12.00\nCASH 20.00", "TOTAL 12.00 CASH\t20.00", false);
  CHECK(s.Cer() == 0);
  CHECK(s.Wer() == 0);
  CHECK(s.WordRecall() == 1);
}

TEST_CASE("character and word errors are counted against the reference") {
  // One substitution (l for I) in 13 reference characters, one wrong word of two.
  const TextScore s = ScoreText("INVOICE 12345", "lNVOICE 12345", false);
  CHECK(s.char_edits == 1);
  CHECK(s.ref_chars == 13);
  CHECK(s.Wer() == Approx(0.5));
  CHECK(s.WordRecall() == Approx(0.5));
}

TEST_CASE("word recall ignores order and counts repeated words once each") {
  const TextScore s = ScoreText("QTY 1 QTY 2", "2 QTY 1", false);
  CHECK(s.words_found == 3);
  CHECK(s.ref_words == 4);
  CHECK(s.Wer() > 0);  // the order still costs in the word error rate
}

TEST_CASE("folding compares case-insensitively, also beyond ASCII") {
  CHECK(ScoreText("MÜLLER GMBH", "Müller GmbH", false).Cer() > 0);
  CHECK(ScoreText("MÜLLER GMBH", "Müller GmbH", true).Cer() == 0);
}

TEST_CASE("totals are micro-averages over all reference characters") {
  TextScore total = ScoreText("abcd", "abcx", false);
  total += ScoreText("efghijkl", "efghijkl", false);
  CHECK(total.Cer() == Approx(1.0 / 12));
}
