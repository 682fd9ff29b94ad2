// Values announced by labels: "Invoice No: 123", "Total   9.00" (the value in another column of
// the same row), or "Invoice date" with "14.03.2024" printed under it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "document.h"
#include "normalize.h"

namespace quire::extract {

// A value found for a field, before validation.
struct Candidate {
  Candidate() = default;
  Candidate(std::string value, Evidence evidence, double reliability, std::string repair = {})
      : value(std::move(value)),
        evidence(std::move(evidence)),
        reliability(reliability),
        repair(std::move(repair)) {}

  std::string value;  // normalised
  Evidence evidence;
  double reliability = 0;  // of the rule that found it, 0..1
  std::string repair;      // how the value was read otherwise than printed; empty if it was not
};

// Finds the values of one kind in a text.
using Finder = std::function<std::vector<TextMatch>(std::string_view text)>;

// Which value on the label's line to take: dates and numbers follow their label; amounts are
// printed rightmost, after quantities and rates.
enum class Pick { kFirst, kLast };

// For each label hit, the value after the label on its line; else the nearest line to its right
// in the same row; else the line just below whose value sits under the label. The reliability
// is the label's weight, lowered for a value that is not on the label's line.
std::vector<Candidate> ValuesNearLabels(const Document& doc, const std::vector<LabelHit>& hits,
                                        const Finder& find, Pick pick);

// A candidate for the text [begin, end) of `line`.
Candidate MakeCandidate(std::string value, const Line& line, size_t begin, size_t end,
                        double reliability);
// A candidate for match `m` of `line`; a repaired value is trusted half as much.
Candidate MakeCandidate(const TextMatch& m, const Line& line, double reliability);

}  // namespace quire::extract
