#include "quire/extract/evaluate.h"

#include <cctype>

#include "normalize.h"
#include "text.h"

namespace quire::extract {
namespace {

// The letters and digits alone, case-folded: case, punctuation and spacing do not count (OCR
// splits and joins words: "C W KHOO" and "CW KHOO" are the same name), accents do ("Müller" is
// not "Muller": a clerk would not accept the umlaut lost).
std::string Canonical(std::string_view text) {
  const std::string folded = FoldCase(text);
  std::string out;
  for (const Token& t : Tokenize(folded)) out += folded.substr(t.begin, t.end - t.begin);
  return out;
}

// The ISO date `text` reads as in `order` when it is a date and nothing more.
std::optional<std::string> WholeDate(std::string_view text, DateOrder order) {
  const std::string_view trimmed = Trim(text);
  const std::vector<TextMatch> dates = FindDates(trimmed, order);
  if (dates.size() != 1 || dates[0].begin != 0 || dates[0].end != trimmed.size()) {
    return std::nullopt;
  }
  return dates[0].value;
}

}  // namespace

double FieldScore::Precision() const {
  return tp + fp == 0 ? 0 : static_cast<double>(tp) / (tp + fp);
}
double FieldScore::Recall() const { return tp + fn == 0 ? 0 : static_cast<double>(tp) / (tp + fn); }
double FieldScore::F1() const {
  const double p = Precision(), r = Recall();
  return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

FieldScore& FieldScore::operator+=(const FieldScore& other) {
  tp += other.tp;
  fp += other.fp;
  fn += other.fn;
  return *this;
}

bool FieldValuesMatch(std::string_view field, std::string_view expected, std::string_view found,
                      DateOrder order) {
  switch (KindOfField(field)) {
    case FieldKind::kAmount: {
      const auto a = ParseAmount(expected), b = ParseAmount(found);
      return a && b && *a == *b;
    }
    case FieldKind::kDate:
      return Trim(expected) == Trim(found);
    case FieldKind::kIban:
    case FieldKind::kBic:
    case FieldKind::kVatId:
      return NormalizeIdentifier(expected) == NormalizeIdentifier(found);
    default:
      if (Canonical(expected) == Canonical(found)) return true;
      return WholeDate(expected, order) == std::optional<std::string>(Trim(found));
  }
}

void Evaluation::Add(const std::string& document, const Extraction& extraction,
                     const std::map<std::string, std::string>& truth) {
  // Extracted fields by canonical name, so "Date" meets the truth's "DATE:".
  std::map<std::string, const std::pair<const std::string, FieldValue>*> found;
  for (const auto& entry : extraction.fields) found[Canonical(entry.first)] = &entry;

  for (const auto& [name, expected] : truth) {
    has_truth_[name] = true;
    FieldScore& score = scores_[name];
    const auto it = found.find(Canonical(name));
    if (it == found.end()) {
      ++score.fn;
      misses_.push_back({document, name, expected, ""});
      continue;
    }
    const std::string& value = it->second->second.value;
    found.erase(it);
    if (FieldValuesMatch(name, expected, value, order_)) {
      ++score.tp;
    } else {
      ++score.fp;
      ++score.fn;
      misses_.push_back({document, name, expected, value});
    }
  }
  for (const auto& [canonical, entry] : found) {
    ++scores_[entry->first].fp;
    has_truth_.try_emplace(entry->first, false);
    misses_.push_back({document, entry->first, "", entry->second.value});
  }
}

std::map<std::string, FieldScore> Evaluation::Scores() const {
  std::map<std::string, FieldScore> out;
  for (const auto& [name, score] : scores_) {
    if (has_truth_.at(name)) out[name] = score;
  }
  return out;
}

FieldScore Evaluation::Overall() const {
  FieldScore total;
  for (const auto& [name, score] : Scores()) total += score;
  return total;
}

std::vector<FieldMiss> Evaluation::Misses() const {
  std::vector<FieldMiss> out;
  for (const FieldMiss& m : misses_) {
    if (has_truth_.at(m.field)) out.push_back(m);
  }
  return out;
}

}  // namespace quire::extract
