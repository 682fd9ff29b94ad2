// Candidates for the fields a learned ranking chooses (total, invoice date, vendor name and
// address): every plausible value of the document, each with features that describe where and
// how it is printed without naming any vendor, so that what is learned from some documents holds
// on others: position on the page, size relative to the text, labels nearby in any supported
// language, the line's neighbours, an amount's rank and its relation to other amounts, OCR
// confidence, and whether the rules chose it.
//
// The training tool (extract/model/) and the extractor both call CandidatesFor, so the features
// a model learned from are the features it is given.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "builtin_fields.h"

namespace quire::extract {

// The fields chosen by ranking, in model order.
inline constexpr std::string_view kRankedFields[] = {field_name::kTotal, field_name::kInvoiceDate,
                                                     field_name::kVendorName,
                                                     field_name::kVendorAddress};

struct RankedCandidate {
  Candidate candidate;
  std::vector<float> features;  // FeatureCount(field) of them
};

// How many features a candidate of `field` has.
size_t FeatureCount(std::string_view field);

// Every plausible candidate of `field` in `doc`, with its features. `rules` holds the fields the
// rules chose, which are features too (a rule that agrees is strong evidence).
std::vector<RankedCandidate> CandidatesFor(std::string_view field, const Document& doc,
                                           const Conventions& conventions, std::string_view today,
                                           const Fields& rules);

// The candidate to choose for `field`, scored by `score`, with its score; nullopt to keep what
// the rules found. A learned choice still passes validation (no date that cannot be right); it
// replaces the rules' value only where that value is among the candidates, so that both were
// scored alike (the rules read some values, such as an address inside a letterhead line, that no
// candidate holds); and where the rules found nothing it adds a value only with a score of at
// least kAddScore.
inline constexpr double kAddScore = 0.5;
// The least calibrated confidence at which the ranking's choice is given as the field's value.
// Below it, sroie-train's and sroie-dev's chosen names and addresses were right 7 times in 90 and
// 3 in 19 (`quire eval fields`, "found fields by confidence").
inline constexpr double kLeastConfidence = 0.1;
struct Choice {
  const RankedCandidate* candidate;
  double score;
};
std::optional<Choice> ChooseCandidate(std::string_view field,
                                      const std::vector<RankedCandidate>& candidates,
                                      const std::function<double(const RankedCandidate&)>& score,
                                      const Fields& rules, std::string_view today);

}  // namespace quire::extract
