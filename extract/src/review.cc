#include "review.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "normalize.h"
#include "quire/extract/extract.h"
#include "text.h"
#include "validate.h"

namespace quire::extract {

std::vector<std::string> RequiredFields(DocumentType type) {
  switch (type) {
    case DocumentType::kInvoice:
      return {field_name::kInvoiceNumber, field_name::kInvoiceDate, field_name::kTotal};
    case DocumentType::kReceipt: return {field_name::kTotal, field_name::kInvoiceDate};
    default: return {};
  }
}

namespace {

constexpr std::string_view kMissing = " is missing";

bool HasExactCheck(FieldKind kind) {
  return kind == FieldKind::kIban || kind == FieldKind::kVatId || kind == FieldKind::kBic ||
         kind == FieldKind::kDate;
}

bool Counts(const std::vector<std::string>& required, const std::string& name,
            const FieldValue& field) {
  return required.empty() || std::find(required.begin(), required.end(), name) != required.end() ||
         (!field.valid && HasExactCheck(KindOfField(name)));
}

}  // namespace

void DecideReview(const std::vector<std::string>& required, double threshold,
                  Extraction& extraction) {
  std::vector<std::string>& reasons = extraction.review_reasons;
  for (const std::string& name : required) {
    if (!extraction.fields.count(name)) reasons.push_back(name + std::string(kMissing));
  }
  for (const auto& [name, field] : extraction.fields) {
    if (!field.set_by.empty()) continue;  // a person set it or vouched for it
    if (!Counts(required, name, field)) continue;
    if (!field.valid) {
      std::string reason = name + " failed a check";
      for (const std::string& problem : field.problems) reason += "; " + problem;
      reasons.push_back(reason);
    } else if (field.confidence < threshold) {
      char confidence[16];
      std::snprintf(confidence, sizeof(confidence), "%.2f", field.confidence);
      reasons.push_back(name + " is uncertain (confidence " + confidence + ")");
    }
  }
  extraction.needs_review = !reasons.empty();
}

// ---- A person's corrections ------------------------------------------------------------------

namespace {

const char* DateOrderName(DateOrder order) {
  switch (order) {
    case DateOrder::kDMY: return "day/month/year";
    case DateOrder::kMDY: return "month/day/year";
    case DateOrder::kYMD: return "year/month/day";
  }
  return "";
}

// What a valid value of `kind` looks like, for messages.
std::string ValidExample(FieldKind kind, DateOrder order) {
  switch (kind) {
    case FieldKind::kDate:
      return std::string(
                 "a date that exists, such as 2024-03-14, 14 March 2024 or a numeric date "
                 "read as ") +
             DateOrderName(order) + " (--date-order)";
    case FieldKind::kAmount: return "an amount such as 1658.31, 1,658.31, $1,658.31 or 1.658,31 €";
    case FieldKind::kCurrency: return "a currency such as EUR, USD, GBP, €, $ or £";
    case FieldKind::kIban:
      return "an IBAN whose mod-97 check passes, such as DE89 3704 0044 0532 0130 00";
    case FieldKind::kBic:
      return "a BIC of 8 or 11 letters and digits, such as COBADEFF or COBADEFFXXX";
    case FieldKind::kVatId:
      return "a VAT id with its country and check digits, such as DE136695976";
    case FieldKind::kText:
    case FieldKind::kIdentifier: break;
  }
  return "a value that is not empty";
}

std::string Quoted(std::string_view text) {
  std::string out = "'";
  out.append(text);
  return out + "'";
}

Status Refused(const std::string& field, std::string_view value, const std::string& why) {
  return Status::InvalidArgument(field + " " + Quoted(value) + " is refused: " + why);
}

bool IsStandard(std::string_view field) {
  return std::find(std::begin(field_name::kAll), std::end(field_name::kAll), field) !=
         std::end(field_name::kAll);
}

// The names a person may correct on this document, for the message about an unknown one.
std::string CorrectableNames(const Extraction& extraction) {
  std::set<std::string> names(std::begin(field_name::kAll), std::end(field_name::kAll));
  for (const auto& [name, field] : extraction.fields) {
    if (name != field_name::kLineItems) names.insert(name);
  }
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

Status CheckCorrectable(const std::string& field, const Extraction& extraction) {
  if (field == field_name::kLineItems) {
    return Status::InvalidArgument(
        "line_items is a table and cannot be set as one value; accept it as it is with "
        "--accept, or correct subtotal and total");
  }
  if (IsStandard(field) || extraction.fields.count(field)) return Status::Ok();
  return Status::InvalidArgument(
      "there is no field " + Quoted(field) +
      " to correct on this document; the fields are: " + CorrectableNames(extraction));
}

// Whether `text` holds nothing besides the spans [begin, end) but spaces and `filler`.
bool OnlyFiller(std::string_view text, std::vector<std::pair<size_t, size_t>> spans,
                std::string_view filler) {
  std::sort(spans.begin(), spans.end());
  size_t at = 0;
  for (const auto& [begin, end] : spans) {
    if (begin > at &&
        Trim(text.substr(at, begin - at)).find_first_not_of(filler) != std::string_view::npos) {
      return false;
    }
    at = std::max(at, end);
  }
  return at >= text.size() ||
         Trim(text.substr(at)).find_first_not_of(filler) == std::string_view::npos;
}

// A typed value read as a field's kind: the normalised value, and the currency an amount named.
struct TypedValue {
  std::string value;
  std::string currency;  // ISO 4217, empty when the amount named none
};

Result<TypedValue> ReadDate(const std::string& field, std::string_view text, DateOrder order) {
  const std::vector<TextMatch> dates = FindDates(text, order);
  const std::string valid = "give " + ValidExample(FieldKind::kDate, order);
  if (dates.size() != 1 || !OnlyFiller(text, {{dates[0].begin, dates[0].end}}, "")) {
    return Refused(field, text, "not a date; " + valid);
  }
  if (!dates[0].repair.empty()) {
    return Refused(field, text, "the year cannot be right (" + dates[0].repair + "); " + valid);
  }
  return TypedValue{dates[0].value, ""};
}

Result<TypedValue> ReadAmount(const std::string& field, std::string_view text) {
  const std::vector<AmountMatch> amounts = FindAmounts(text, DecimalMark::kAuto);
  const std::vector<TextMatch> currencies = FindCurrencies(text);
  std::vector<std::pair<size_t, size_t>> spans;
  for (const AmountMatch& a : amounts) spans.emplace_back(a.begin, a.end);
  for (const TextMatch& c : currencies) spans.emplace_back(c.begin, c.end);
  if (amounts.size() != 1 || currencies.size() > 1 || !OnlyFiller(text, spans, "-+")) {
    return Refused(field, text,
                   "not one amount; give " + ValidExample(FieldKind::kAmount, DateOrder::kDMY));
  }
  return TypedValue{FormatAmount(amounts[0].cents), currencies.empty() ? "" : currencies[0].value};
}

// The value as `field`'s kind would be extracted, before the checks of validate.h.
Result<TypedValue> ReadValue(const std::string& field, std::string_view text, DateOrder order) {
  const FieldKind kind = KindOfField(field);
  switch (kind) {
    case FieldKind::kDate: return ReadDate(field, text, order);
    case FieldKind::kAmount: return ReadAmount(field, text);
    default: break;
  }
  const std::optional<std::string> value = NormalizeValue(kind, text, order, DecimalMark::kAuto);
  if (!value) return Refused(field, text, "give " + ValidExample(kind, order));
  return TypedValue{*value, ""};
}

// The fields as validate.h judges them now, from their current values alone: what extraction
// found wrong and still is, and what a correction made wrong or right. A value that no longer
// reads as its kind (a template's unreadable value) stays a failure.
std::map<std::string, FieldValue> JudgedAgain(const std::map<std::string, FieldValue>& fields,
                                              const ExtractOptions& options) {
  std::map<std::string, FieldValue> judged = fields;
  for (auto& [name, field] : judged) {
    field.valid = true;
    field.problems.clear();
  }
  ValidateFields(judged, options.today);
  for (auto& [name, field] : judged) {
    const FieldKind kind = KindOfField(name);
    const bool typed =
        kind == FieldKind::kDate || kind == FieldKind::kAmount || kind == FieldKind::kCurrency;
    if (typed && !NormalizeValue(kind, field.value, DateOrder::kYMD, DecimalMark::kDot)) {
      field.valid = false;
      field.problems = fields.at(name).problems;
    }
  }
  return judged;
}

bool HasProblem(const FieldValue& field, const std::string& problem) {
  return std::find(field.problems.begin(), field.problems.end(), problem) != field.problems.end();
}

// Judges the document's fields again after a person set `changed`. Refuses a changed value that
// fails its own check or contradicts only fields a person set (a contradiction with an extracted
// field flags that field instead). The other fields take the new verdict: a failure the
// correction cured is cleared, a contradiction it caused is added; but a field a person set
// keeps its value's standing, only losing a failure they had accepted.
Status JudgeAgain(std::vector<FieldChange>& changed, const ExtractOptions& options,
                  Extraction& extraction) {
  const std::map<std::string, FieldValue> judged = JudgedAgain(extraction.fields, options);
  for (FieldChange& change : changed) {
    const FieldValue& verdict = judged.at(change.field);
    const FieldKind kind = KindOfField(change.field);
    if (verdict.value != change.after) {
      // A check that repairs OCR confusions (O/0, S/5) found the value one character off.
      if (!verdict.problems.empty()) {
        return Refused(change.field, change.after,
                       verdict.problems.front() + "; did you mean " + verdict.value + "?");
      }
      change.after = verdict.value;  // only shaped, as a format without check digits is
      extraction.fields[change.field].value = verdict.value;
    }
    if (verdict.valid) continue;
    for (const std::string& problem : verdict.problems) {
      const bool flags_another = std::any_of(judged.begin(), judged.end(), [&](const auto& f) {
        return f.first != change.field && extraction.fields.at(f.first).set_by.empty() &&
               HasProblem(f.second, problem);
      });
      if (flags_another) continue;
      // A problem of the value alone asks for another value; one with another field may be
      // that field's fault.
      const std::map<std::string, FieldValue> alone = {
          {change.field, extraction.fields.at(change.field)}};
      const bool own = HasProblem(JudgedAgain(alone, options).at(change.field), problem);
      return Refused(change.field, change.after,
                     problem + (own ? "; give " + ValidExample(kind, options.date_order)
                                    : "; if the other field is the wrong one, correct it first"));
    }
  }
  for (auto& [name, field] : extraction.fields) {
    const FieldValue& verdict = judged.at(name);
    // A person's value stays as they left it, except that a failure they accepted may be cured.
    if (!field.set_by.empty() && !(verdict.valid && !field.valid)) continue;
    if (field.valid && verdict.valid) continue;
    if (field.valid) {
      field.problems.insert(field.problems.end(), verdict.problems.begin(), verdict.problems.end());
    } else {
      field.problems = verdict.problems;
    }
    field.valid = verdict.valid;
  }
  return Status::Ok();
}

// The fields a decision must find: the type's, and those a template required, which only the
// earlier decision's reasons still name.
std::vector<std::string> StillRequired(const Extraction& extraction) {
  std::vector<std::string> required = RequiredFields(extraction.type);
  for (const std::string& reason : extraction.review_reasons) {
    if (!reason.ends_with(kMissing)) continue;
    std::string name = reason.substr(0, reason.size() - kMissing.size());
    if (std::find(required.begin(), required.end(), name) == required.end()) {
      required.push_back(std::move(name));
    }
  }
  return required;
}

void DecideAgain(const ExtractOptions& options, Extraction& extraction) {
  const std::vector<std::string> required = StillRequired(extraction);
  extraction.review_reasons.clear();
  DecideReview(required, options.review_threshold, extraction);
}

Status CheckPerson(const std::string& by) {
  if (!Trim(by).empty()) return Status::Ok();
  return Status::InvalidArgument("say who makes the change (--by NAME); it goes into the history");
}

}  // namespace

Result<std::vector<FieldChange>> ApplyCorrections(const std::map<std::string, std::string>& values,
                                                  const std::string& by,
                                                  const ExtractOptions& options,
                                                  Extraction& extraction) {
  QUIRE_RETURN_IF_ERROR(CheckPerson(by));
  if (values.empty()) return Status::InvalidArgument("no field to correct was given");
  Extraction next = extraction;
  std::vector<FieldChange> changes;
  const auto set = [&](const std::string& name, const std::string& after) {
    FieldValue& f = next.fields[name];
    changes.push_back({name, f.value, after});
    f.value = after;
    f.source_text.clear();
    f.confidence = 1.0;
    f.valid = true;
    f.problems.clear();
    f.set_by = by;
  };
  // By name, so a currency given with amounts ("currency" sorts first) is the one they must name.
  for (const auto& [field, value] : values) {
    QUIRE_RETURN_IF_ERROR(CheckCorrectable(field, extraction));
    QUIRE_ASSIGN_OR_RETURN(TypedValue typed, ReadValue(field, value, options.date_order));
    set(field, typed.value);
    if (typed.currency.empty()) continue;
    const auto currency = next.fields.find(field_name::kCurrency);
    if (currency == next.fields.end()) {
      set(field_name::kCurrency, typed.currency);
    } else if (currency->second.value != typed.currency) {
      return Refused(field, value,
                     "it is in " + typed.currency + " but the document's currency is " +
                         currency->second.value +
                         "; give the amount without a currency, or correct currency first");
    }
  }
  QUIRE_RETURN_IF_ERROR(JudgeAgain(changes, options, next));
  DecideAgain(options, next);
  extraction = std::move(next);
  std::erase_if(changes, [](const FieldChange& c) { return c.before == c.after; });
  return changes;
}

Result<std::vector<FieldChange>> ApplyCorrection(const std::string& field, const std::string& value,
                                                 const std::string& by,
                                                 const ExtractOptions& options,
                                                 Extraction& extraction) {
  return ApplyCorrections({{field, value}}, by, options, extraction);
}

Status AcceptField(const std::string& field, const std::string& by, const ExtractOptions& options,
                   Extraction& extraction) {
  QUIRE_RETURN_IF_ERROR(CheckPerson(by));
  const auto it = extraction.fields.find(field);
  if (it == extraction.fields.end()) {
    std::string names;
    for (const auto& [name, f] : extraction.fields) names += (names.empty() ? "" : ", ") + name;
    return Status::InvalidArgument(
        "there is no field " + Quoted(field) +
        " to accept on this document; its fields are: " + (names.empty() ? "(none)" : names));
  }
  it->second.set_by = by;
  DecideAgain(options, extraction);
  return Status::Ok();
}

}  // namespace quire::extract
