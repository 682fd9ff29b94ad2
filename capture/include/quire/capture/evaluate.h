// Evaluation: how close OCR text is to the reference text of the ground truth.
//
// Three measures, as in the OCR literature (e.g. ICDAR competitions):
// - character error rate: Levenshtein distance over Unicode code points / reference length;
// - word error rate: Levenshtein distance over words / reference word count;
// - order-free word recall: reference words found in the output, counted as a multiset, so two
//   columns read in another order than the annotator's are not penalised.
// Whitespace runs count as one space. Thread safety: plain functions and an accumulator.
#pragma once

#include <string>
#include <string_view>

namespace quire::capture {

struct TextScore {
  long char_edits = 0;
  long ref_chars = 0;
  long word_edits = 0;
  long ref_words = 0;
  long words_found = 0;  // reference words found in the output, as a multiset

  double Cer() const;
  double Wer() const;
  double WordRecall() const;
  // Sums counts, so totals are micro-averages over all reference characters and words.
  TextScore& operator+=(const TextScore& other);
};

// Scores `output` against `reference`. With `fold`, both are compared case-insensitively.
TextScore ScoreText(std::string_view reference, std::string_view output, bool fold);

}  // namespace quire::capture
