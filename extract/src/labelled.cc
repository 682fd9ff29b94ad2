#include "labelled.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace quire::extract {
namespace {

// How much less a value is trusted when it is not on its label's line.
constexpr double kRightOfFactor = 0.9;
constexpr double kBelowFactor = 0.8;
// How far below its label a value may be, in text heights.
constexpr double kBelowGap = 2.5;

const TextMatch* Choose(const std::vector<TextMatch>& matches, Pick pick) {
  if (matches.empty()) return nullptr;
  return pick == Pick::kFirst ? &matches.front() : &matches.back();
}

// Matches in `line` from byte `from` on, with offsets into the whole line.
std::vector<TextMatch> FindFrom(const Line& line, size_t from, const Finder& find) {
  std::vector<TextMatch> matches = find(std::string_view(line.text).substr(from));
  for (TextMatch& m : matches) {
    m.begin += from;
    m.end += from;
  }
  return matches;
}

// The match in a line below the label that sits most directly under it, if any does.
const TextMatch* UnderLabel(const Line& line, const std::vector<TextMatch>& matches,
                            const Box& label) {
  const TextMatch* best = nullptr;
  int best_distance = 0;
  for (const TextMatch& m : matches) {
    const Box b = line.BoxOf(m.begin, m.end);
    if (b.right() < label.x || b.x > label.right() + label.w) continue;
    const int distance = std::abs(b.x - label.x);
    if (best == nullptr || distance < best_distance) {
      best = &m;
      best_distance = distance;
    }
  }
  return best;
}

// Whether the match `m` of a line other than the label's follows a label of its own ("(Incl.
// GST: RM2,90)" under "Grand Total"): then it is that label's value.
bool HasOwnLabel(const Line& line, const TextMatch& m) {
  const size_t colon = line.text.rfind(':', m.begin);
  if (colon == std::string::npos) return false;
  return std::any_of(line.text.begin(), line.text.begin() + static_cast<long>(colon),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

// Whether only spaces and the punctuation printed between a label and its value (":", "#",
// "No.", "n°") stand between bytes `from` and `to` of `text`.
bool Follows(std::string_view text, size_t from, size_t to) {
  const std::vector<Token> between = Tokenize(text.substr(from, to - from));
  return between.empty() ||
         (between.size() == 1 &&
          (between[0].folded == "no" || between[0].folded == "nr" || between[0].folded == "n"));
}

}  // namespace

Candidate MakeCandidate(std::string value, const Line& line, size_t begin, size_t end,
                        double reliability) {
  return Candidate{std::move(value), EvidenceOf(line, begin, end), reliability};
}

Candidate MakeCandidate(const TextMatch& m, const Line& line, double reliability) {
  Candidate c = MakeCandidate(m.value, line, m.begin, m.end, reliability);
  if (!m.repair.empty()) {
    c.repair = m.repair;
    c.reliability *= 0.5;
  }
  return c;
}

std::vector<Candidate> ValuesNearLabels(const Document& doc, const std::vector<LabelHit>& hits,
                                        const Finder& find, Pick pick) {
  std::vector<Candidate> out;
  for (const LabelHit& hit : hits) {
    const Line& line = *hit.line;
    const std::vector<TextMatch> after_label = FindFrom(line, hit.value_begin(), find);
    if (const TextMatch* m = Choose(after_label, pick)) {
      // A bare title word names the value that follows it ("Invoice #123"), not a number
      // further on in a sentence ("this invoice? Call (415) 555-0182").
      if (!hit.same_line_only || Follows(line.text, hit.value_begin(), m->begin)) {
        out.push_back(MakeCandidate(*m, line, hit.weight));
      }
      continue;
    }
    if (hit.same_line_only) continue;
    const Box label = hit.box();
    bool found = false;
    for (const Line* right : doc.LinesRightOf(line, label)) {
      const std::vector<TextMatch> matches = FindFrom(*right, 0, find);
      if (const TextMatch* m = Choose(matches, pick); m != nullptr && !HasOwnLabel(*right, *m)) {
        out.push_back(MakeCandidate(*m, *right, hit.weight * kRightOfFactor));
        found = true;
        break;
      }
    }
    if (found) continue;
    for (const Line* below : doc.LinesBelow(line, label, kBelowGap, 0)) {
      const std::vector<TextMatch> matches = FindFrom(*below, 0, find);
      const TextMatch* m = UnderLabel(*below, matches, label);
      if (m != nullptr && !HasOwnLabel(*below, *m)) {
        out.push_back(MakeCandidate(*m, *below, hit.weight * kBelowFactor));
        break;
      }
    }
  }
  return out;
}

}  // namespace quire::extract
