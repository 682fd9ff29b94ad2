#include "quire/extract/evaluate.h"

#include <algorithm>
#include <cctype>

#include "document.h"
#include "form_pairs.h"
#include "normalize.h"
#include "text.h"

namespace quire::extract {
namespace {

// Case, punctuation and spacing do not count (OCR splits and joins words: "C W KHOO" and
// "CW KHOO" are the same name), accents do ("Müller" is not "Muller": a clerk would not accept
// the umlaut lost).
std::string Canonical(std::string_view text) { return LettersAndDigits(text); }

// The ISO date `text` reads as in `order` when it is a date and nothing more.
std::optional<std::string> WholeDate(std::string_view text, DateOrder order) {
  const std::string_view trimmed = Trim(text);
  const std::vector<TextMatch> dates = FindDates(trimmed, order);
  if (dates.size() != 1 || dates[0].begin != 0 || dates[0].end != trimmed.size()) {
    return std::nullopt;
  }
  return dates[0].value;
}

int ConfidenceTenth(double confidence) {
  return std::clamp(static_cast<int>(confidence * 10), 0, 9);
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
    case FieldKind::kDate: return Trim(expected) == Trim(found);
    case FieldKind::kIban:
    case FieldKind::kBic:
    case FieldKind::kVatId: return NormalizeIdentifier(expected) == NormalizeIdentifier(found);
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

  static constexpr std::string_view kKeyFields[] = {field_name::kInvoiceNumber,
                                                    field_name::kInvoiceDate, field_name::kTotal};
  bool wrong = false;
  for (const auto& [name, expected] : truth) {
    has_truth_[name] = true;
    FieldScore& score = scores_[name];
    const bool key =
        std::find(std::begin(kKeyFields), std::end(kKeyFields), name) != std::end(kKeyFields);
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
    FieldScore& tenth = review_.by_confidence[ConfidenceTenth(field.confidence)];
    ++(right ? tenth.tp : tenth.fp);
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

const char* ValuePositionName(ValuePosition position) {
  switch (position) {
    case ValuePosition::kSameLine: return "same_line";
    case ValuePosition::kBelow: return "below";
    case ValuePosition::kTable: return "table";
    case ValuePosition::kEmpty: return "empty";
    case ValuePosition::kUnplaced: return "unplaced";
  }
  return "unplaced";
}

bool TextsMatchWithOcrErrors(std::string_view expected, std::string_view found) {
  const std::string e = Canonical(expected), f = Canonical(found);
  if (e == f) return true;
  // One error in five letters; a short text must be read exactly.
  return e.size() >= 5 && EditDistance(e, f) * 5 <= std::max(e.size(), f.size());
}

namespace {

// How many values each key has (by its letters and digits): a key with several is a column
// header or a repeated label, its values a table.
template <typename Pair>
std::map<std::string, int> ValuesPerKey(const std::vector<Pair>& pairs) {
  std::map<std::string, int> count;
  for (const Pair& p : pairs) {
    if (!Trim(p.value).empty()) ++count[Canonical(p.key)];
  }
  return count;
}

}  // namespace

void PairEvaluation::Add(const std::string& document, const std::vector<PageText>& pages,
                         const std::vector<FormPair>& found, const std::vector<TruthPair>& truth) {
  const Document doc(pages);
  const std::map<std::string, int> truth_values = ValuesPerKey(truth);
  const std::map<std::string, int> found_values = ValuesPerKey(found);
  auto truth_position = [&](const TruthPair& t) {
    if (Trim(t.value).empty()) return ValuePosition::kEmpty;
    if (truth_values.at(Canonical(t.key)) > 1) return ValuePosition::kTable;
    const std::optional<Placement> key = LocateText(doc, t.key);
    const std::optional<Placement> value = LocateText(doc, t.value);
    if (!key || !value || key->page != value->page) return ValuePosition::kUnplaced;
    return PositionOf(key->box, value->box);
  };
  auto found_position = [&](const FormPair& p) {
    if (Trim(p.value).empty()) return ValuePosition::kEmpty;
    if (found_values.at(Canonical(p.key)) > 1) return ValuePosition::kTable;
    return PositionOf(p.key_box, p.value_box);
  };
  auto value_matches = [&](const TruthPair& t, const FormPair& p) {
    return TextsMatchWithOcrErrors(t.value, p.value) ||
           WholeDate(t.value, order_) == std::optional<std::string>(Trim(p.value));
  };
  std::vector<bool> used(found.size(), false);
  for (const TruthPair& t : truth) {
    ValuePosition position = truth_position(t);
    size_t match = found.size();
    for (size_t j = 0; j < found.size() && match == found.size(); ++j) {
      if (!used[j] && TextsMatchWithOcrErrors(t.key, found[j].key) && value_matches(t, found[j])) {
        match = j;
      }
    }
    if (match < found.size()) {
      used[match] = true;
      if (position == ValuePosition::kUnplaced) position = found_position(found[match]);
      ++by_confidence_[ConfidenceTenth(found[match].confidence)].tp;
      ++overall_.tp;
      ++by_position_[position].tp;
    } else {
      ++overall_.fn;
      ++by_position_[position].fn;
      // What was found for the key, if anything, shows what went wrong.
      std::string instead;
      for (size_t j = 0; j < found.size(); ++j) {
        if (!used[j] && TextsMatchWithOcrErrors(t.key, found[j].key)) {
          instead = found[j].value;
          break;
        }
      }
      misses_.push_back({document, t.key, t.value, instead});
    }
  }
  for (size_t j = 0; j < found.size(); ++j) {
    if (used[j]) continue;
    const bool keyed = std::any_of(truth.begin(), truth.end(), [&](const TruthPair& t) {
      return TextsMatchWithOcrErrors(t.key, found[j].key);
    });
    if (Trim(found[j].value).empty() && !keyed) {
      ++unclaimed_empty_;
      continue;
    }
    ++overall_.fp;
    ++by_position_[found_position(found[j])].fp;
    ++by_confidence_[ConfidenceTenth(found[j].confidence)].fp;
    if (!keyed) misses_.push_back({document, found[j].key, "", found[j].value});
  }
}

}  // namespace quire::extract
