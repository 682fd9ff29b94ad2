#include "quire/extract/evaluate.h"

#include <algorithm>
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

  static constexpr std::string_view kKeyFields[] = {"invoice_number", "invoice_date", "total"};
  bool wrong = false;
  for (const auto& [name, expected] : truth) {
    has_truth_[name] = true;
    FieldScore& score = scores_[name];
    const bool key = std::find(std::begin(kKeyFields), std::end(kKeyFields), name) !=
                     std::end(kKeyFields);
    const auto it = found.find(Canonical(name));
    if (it == found.end()) {
      ++score.fn;
      wrong = wrong || key;
      misses_.push_back({document, name, expected, ""});
      continue;
    }
    const FieldValue& field = it->second->second;
    found.erase(it);
    const bool right = FieldValuesMatch(name, expected, field.value, order_);
    if (field.confidence >= ReviewScore::kConfident) {
      ++review_.confident;
      review_.confident_right += right ? 1 : 0;
    }
    if (right) {
      ++score.tp;
    } else {
      ++score.fp;
      ++score.fn;
      wrong = wrong || key;
      misses_.push_back({document, name, expected, field.value});
    }
  }
  ++review_.documents;
  review_.wrong += wrong ? 1 : 0;
  review_.reviewed += extraction.needs_review ? 1 : 0;
  review_.reviewed_wrong += extraction.needs_review && wrong ? 1 : 0;
  for (const auto& [canonical, entry] : found) {
    ++scores_[entry->first].fp;
    has_truth_.try_emplace(entry->first, false);
    misses_.push_back({document, entry->first, "", entry->second.value});
  }
}

namespace {
double Share(int part, int whole) { return whole > 0 ? static_cast<double>(part) / whole : 0; }
}  // namespace

double ReviewScore::Precision() const { return Share(reviewed_wrong, reviewed); }
double ReviewScore::Recall() const { return Share(reviewed_wrong, wrong); }
double ReviewScore::StraightThrough() const { return Share(documents - reviewed, documents); }
double ReviewScore::StraightWrong() const {
  return Share(wrong - reviewed_wrong, documents - reviewed);
}
double ReviewScore::ConfidentRight() const { return Share(confident_right, confident); }

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
