#include "candidates.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "validate.h"

namespace quire::extract {
namespace {

// Features every candidate has, first in its vector:
//   0 rule_pick   the rules chose this value
//   1 rule_conf   the confidence of the rules' choice (0 when they chose nothing)
//   2 rel_y       the middle's height on the document, 0 (top of the first page) to 1 (bottom of
//                 the last)
//   3 rel_x       the right edge's share of the page's width
//   4 rel_h       the box's height in text heights
//   5 ocr_conf    the words' mean OCR confidence, 0..1
//   6 order       the candidate's place among the field's candidates top down, 0..1
//   7 count       how many of the field's candidates (capped at 5) read the same value
constexpr size_t kCommonFeatures = 8;

// Features of amounts, after the common ones:
//   total, subtotal, tax, cash, change labels on the row (weights), other words that say an
//   amount is no total on the row, a total label on the line above, rank among the distinct
//   amounts (0 the largest, capped at 10), share of the largest amount, equals cash minus
//   change, equals subtotal plus tax, last amount of its line, share of amounts below it, a
//   larger amount below, "round"/"rounding" on the row, a currency on the row, number of
//   distinct amounts, a multiple of 5 cents, another amount within 4 cents below it, another
//   amount within 4 cents above it (a total before and after rounding).
constexpr size_t kAmountFeatures = kCommonFeatures + 20;
// Features of dates, after the common ones: an issue-date label on the row (weight), a due-date
// label on the row, a word naming another date on the line, the first date, plausible, a time on
// the line, read with a repair, number of dates (capped at 10).
constexpr size_t kDateFeatures = kCommonFeatures + 8;
// Features of a vendor name, after the common ones, for its first line: name score, place among
// the top lines (capped at 15), legal form, trade word, upper case, letters, digits, a title,
// contact details, address-like, share of the page's width; then whether it spans two lines, and
// the second line's name score, legal form and height; the next line's digits and postcode.
constexpr size_t kNameFeatures = kCommonFeatures + 17;
// Features of a vendor address, after the common ones: lines, lines skipped between the name and
// the address, the first line starts with a digit, ends with a postcode and town, the line after
// it is address-like, contact details or a postcode, letters, digits, a comma at its end.
constexpr size_t kAddressFeatures = kCommonFeatures + 10;

// The share of the first page's height searched for the vendor's name and address.
constexpr double kVendorTop = 0.5;
// How far apart two lines of a name or an address may be, in text heights.
constexpr double kLineGap = 1.8;
constexpr int kMaxAddressLines = 6;

float Bool(bool b) { return b ? 1.0f : 0.0f; }

// A candidate before its common features are known.
struct Partial {
  Candidate candidate;
  std::vector<float> own;  // the field's own features
};

// Whether two lines of one page share a printed row: their middles are within half the taller.
bool SameRow(const Line& a, const Line& b) {
  if (a.page != b.page) return false;
  const int ma = 2 * a.box.y + a.box.h;
  const int mb = 2 * b.box.y + b.box.h;
  return std::abs(ma - mb) <= std::max(a.box.h, b.box.h);
}

// The strongest label weight of each line for one field's phrases.
std::map<const Line*, double> LabelWeights(const Document& doc, std::string_view field) {
  std::map<const Line*, double> weights;
  for (const LabelHit& hit : FindLabels(doc, FieldLabels(field), ExcludedLabels(field))) {
    double& w = weights[hit.line];
    w = std::max(w, hit.weight);
  }
  return weights;
}

// The strongest label on `line`, or on a line of its row that starts left of `value`.
double RowLabel(const Document& doc, const std::map<const Line*, double>& weights, const Line& line,
                const Box& value) {
  double best = 0;
  for (const auto& [other, w] : weights) {
    if (other == &line || (SameRow(*other, line) && other->box.x < value.x)) {
      best = std::max(best, w);
    }
  }
  (void)doc;
  return best;
}

bool LineHasAny(const Line& line, const std::vector<std::string_view>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(), [&](std::string_view phrase) {
    return ContainsPhrase(line.tokens, FoldedTokens(phrase));
  });
}

// Whether a line of `line`'s row left of `value` (or `line` itself) holds any of `phrases`.
bool RowHasAny(const Document& doc, const Line& line, const Box& value,
               const std::vector<std::string_view>& phrases) {
  for (const Line& other : doc.lines()) {
    if ((&other == &line || (SameRow(other, line) && other.box.x < value.x)) &&
        LineHasAny(other, phrases)) {
      return true;
    }
  }
  return false;
}

// The line printed just above `line` on its page, overlapping it horizontally.
const Line* LineAbove(const Document& doc, const Line& line) {
  const Line* above = nullptr;
  for (const Line& other : doc.lines()) {
    if (other.page != line.page || other.box.bottom() > line.box.y + line.box.h / 2 ||
        other.box.right() < line.box.x || other.box.x > line.box.right()) {
      continue;
    }
    if (above == nullptr || other.box.y > above->box.y) above = &other;
  }
  return above;
}

double Middle(const Document& doc, const Evidence& e) {
  const PageText& page = doc.page(e.page);
  const double y = page.height > 0 ? (e.box.y + e.box.h / 2.0) / page.height : 0;
  return (e.page + std::clamp(y, 0.0, 1.0)) / std::max(1, doc.page_count());
}

// The common features, then each candidate's own.
std::vector<RankedCandidate> Finish(const Document& doc, std::vector<Partial> partials,
                                    std::string_view field, const Fields& rules) {
  std::stable_sort(partials.begin(), partials.end(), [&](const Partial& a, const Partial& b) {
    return Middle(doc, a.candidate.evidence) < Middle(doc, b.candidate.evidence);
  });
  const auto rule = rules.find(std::string(field));
  std::map<std::string, int> counts;
  for (const Partial& p : partials) ++counts[FoldCase(p.candidate.value)];
  std::vector<RankedCandidate> out;
  for (size_t i = 0; i < partials.size(); ++i) {
    const Candidate& c = partials[i].candidate;
    const Evidence& e = c.evidence;
    const PageText& page = doc.page(e.page);
    const bool picked =
        rule != rules.end() && FoldedTokens(rule->second.value) == FoldedTokens(c.value);
    RankedCandidate r{c, {}};
    r.features = {Bool(picked),
                  static_cast<float>(rule != rules.end() ? rule->second.confidence : 0),
                  static_cast<float>(Middle(doc, e)),
                  static_cast<float>(page.width > 0 ? e.box.right() / double(page.width) : 0),
                  static_cast<float>(e.box.h / double(std::max(1, doc.TextHeight(e.page)))),
                  static_cast<float>(e.ocr_conf),
                  static_cast<float>(partials.size() > 1 ? i / double(partials.size() - 1) : 0),
                  static_cast<float>(std::min(5, counts[FoldCase(c.value)]))};
    r.features.insert(r.features.end(), partials[i].own.begin(), partials[i].own.end());
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<Partial> AmountPartials(const Document& doc, const Conventions& conventions,
                                    const Fields& rules) {
  struct Found {
    const Line* line;
    AmountMatch match;
    bool last_on_line;
  };
  std::vector<Found> found;
  for (const Line& line : doc.lines()) {
    const std::vector<AmountMatch> amounts = FindAmounts(line.text, conventions.decimal);
    for (size_t i = 0; i < amounts.size(); ++i) {
      if (amounts[i].decimal && amounts[i].cents > 0) {
        found.push_back({&line, amounts[i], i + 1 == amounts.size()});
      }
    }
  }
  std::set<int64_t, std::greater<>> distinct;
  for (const Found& f : found) distinct.insert(f.match.cents);
  const int64_t largest = distinct.empty() ? 1 : *distinct.begin();

  auto amount_of = [&](const char* name) -> std::optional<int64_t> {
    auto it = rules.find(name);
    if (it == rules.end()) return std::nullopt;
    return ParseAmount(it->second.value);
  };
  const auto subtotal = amount_of(field_name::kSubtotal);
  const auto tax = amount_of(field_name::kTaxAmount);
  // -1 for a sum or payment the document does not show: amounts here are positive.
  const int64_t sum = subtotal && tax ? *subtotal + *tax : -1;

  const auto total_labels = LabelWeights(doc, field_name::kTotal);
  const auto subtotal_labels = LabelWeights(doc, field_name::kSubtotal);
  const auto tax_labels = LabelWeights(doc, field_name::kTaxAmount);
  const auto cash_labels = LabelWeights(doc, "cash");
  const auto change_labels = LabelWeights(doc, "change");

  // Cash minus change: the last amount on a cash row less the last on a change row.
  std::optional<int64_t> cash, change;
  for (const Found& f : found) {
    const Box box = f.line->BoxOf(f.match.begin, f.match.end);
    if (RowLabel(doc, cash_labels, *f.line, box) > 0) cash = f.match.cents;
    if (RowLabel(doc, change_labels, *f.line, box) > 0) change = f.match.cents;
  }
  const int64_t paid = cash ? *cash - change.value_or(0) : -1;

  static const std::vector<std::string_view> kRounding = {"round", "rounding", "rounded"};
  std::vector<Partial> out;
  for (size_t i = 0; i < found.size(); ++i) {
    const Found& f = found[i];
    const Box box = f.line->BoxOf(f.match.begin, f.match.end);
    const int64_t cents = f.match.cents;
    const int rank = static_cast<int>(std::distance(distinct.begin(), distinct.find(cents)));
    int below = 0;
    bool larger_below = false, near_below = false, near_above = false;
    for (size_t j = 0; j < found.size(); ++j) {
      const int64_t other = found[j].match.cents;
      const bool near = other != cents && std::abs(other - cents) <= 4;
      const bool lower = found[j].line->page > f.line->page ||
                         (found[j].line->page == f.line->page &&
                          found[j].line->box.y > f.line->box.y + f.line->box.h / 2);
      if (!lower) {
        near_above = near_above || near;
        continue;
      }
      ++below;
      larger_below = larger_below || other > cents;
      near_below = near_below || near;
    }
    const Line* above = LineAbove(doc, *f.line);
    const bool has_currency = !FindCurrencies(f.line->text).empty();
    Partial p;
    p.candidate = MakeCandidate(FormatAmount(cents), *f.line, f.match.begin, f.match.end, 1.0);
    p.own = {static_cast<float>(RowLabel(doc, total_labels, *f.line, box)),
             static_cast<float>(RowLabel(doc, subtotal_labels, *f.line, box)),
             static_cast<float>(RowLabel(doc, tax_labels, *f.line, box)),
             static_cast<float>(RowLabel(doc, cash_labels, *f.line, box)),
             static_cast<float>(RowLabel(doc, change_labels, *f.line, box)),
             Bool(RowHasAny(doc, *f.line, box, ExcludedLabels(field_name::kTotal))),
             static_cast<float>(above && total_labels.count(above) ? total_labels.at(above) : 0),
             static_cast<float>(std::min(rank, 10)),
             static_cast<float>(static_cast<double>(cents) / static_cast<double>(largest)),
             Bool(paid == cents),
             Bool(sum == cents),
             Bool(f.last_on_line),
             static_cast<float>(found.size() > 1 ? below / double(found.size() - 1) : 0),
             Bool(larger_below),
             Bool(RowHasAny(doc, *f.line, box, kRounding)),
             Bool(has_currency),
             static_cast<float>(std::min<size_t>(distinct.size(), 30)),
             Bool(cents % 5 == 0),
             Bool(near_below),
             Bool(near_above)};
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Partial> DatePartials(const Document& doc, const Conventions& conventions,
                                  std::string_view today) {
  static const std::regex kTime(R"(\b\d{1,2}:\d{2}\b)");
  const auto date_labels = LabelWeights(doc, field_name::kInvoiceDate);
  const auto due_labels = LabelWeights(doc, field_name::kDueDate);
  const int latest_year = LatestPlausibleYear(today);
  std::vector<Partial> out;
  for (const Line& line : doc.lines()) {
    const bool other_date = LineHasAny(line, ExcludedLabels(field_name::kInvoiceDate));
    const bool time = std::regex_search(line.text, kTime);
    for (const TextMatch& m : FindDates(line.text, conventions.date_order, latest_year)) {
      const Box box = line.BoxOf(m.begin, m.end);
      Partial p;
      p.candidate = MakeCandidate(m, line, 1.0);
      p.own = {static_cast<float>(RowLabel(doc, date_labels, line, box)),
               static_cast<float>(RowLabel(doc, due_labels, line, box)),
               Bool(other_date),
               Bool(out.empty()),
               Bool(DateProblems(m.value, today).empty()),
               Bool(time),
               Bool(!m.repair.empty()),
               0};
      out.push_back(std::move(p));
    }
  }
  for (Partial& p : out) p.own.back() = static_cast<float>(std::min<size_t>(out.size(), 10));
  return out;
}

// The lines of the first page's top, as printed top down (by their middles).
std::vector<const Line*> TopLines(const Document& doc) {
  std::vector<const Line*> top;
  if (doc.page_count() == 0) return top;
  const int limit = static_cast<int>(kVendorTop * doc.page(0).height);
  for (const Line& line : doc.lines()) {
    if (line.page == 0 && (limit <= 0 || line.box.y <= limit) && !line.tokens.empty()) {
      top.push_back(&line);
    }
  }
  std::stable_sort(top.begin(), top.end(), [](const Line* a, const Line* b) {
    return 2 * a->box.y + a->box.h < 2 * b->box.y + b->box.h;
  });
  return top;
}

// The line under `line` in `top` that continues its block: close below, overlapping it.
const Line* NextInBlock(const Document& doc, const std::vector<const Line*>& top, size_t i) {
  const Line& line = *top[i];
  const int gap = static_cast<int>(kLineGap * doc.TextHeight(line.page));
  for (size_t j = i + 1; j < top.size(); ++j) {
    const Line& next = *top[j];
    if (next.box.y + next.box.h / 2 <= line.box.bottom()) continue;  // same row
    if (next.box.y - line.box.bottom() > gap) return nullptr;
    if (next.box.x < line.box.right() && line.box.x < next.box.right()) return &next;
  }
  return nullptr;
}

std::vector<Partial> NamePartials(const Document& doc) {
  std::vector<Partial> out;
  const std::vector<const Line*> top = TopLines(doc);
  if (top.empty()) return out;
  const int height = doc.TextHeight(0);
  const PageText& page = doc.page(0);
  for (size_t i = 0; i < top.size(); ++i) {
    const NameLine first = ReadNameLine(*top[i], height);
    if (first.letters < 2 || first.name.empty()) continue;
    const Line* next = NextInBlock(doc, top, i);
    const NameLine after = next ? ReadNameLine(*next, height) : NameLine{};
    auto features = [&](bool pair) {
      const NameLine& second = pair ? after : NameLine{};
      return std::vector<float>{
          static_cast<float>(first.score),
          static_cast<float>(std::min<size_t>(i, 15)),
          Bool(first.legal_form),
          Bool(first.trade_word),
          Bool(first.upper),
          static_cast<float>(first.letters),
          static_cast<float>(first.digits),
          Bool(first.title),
          Bool(first.contact),
          Bool(first.address_like),
          static_cast<float>(page.width > 0 ? top[i]->box.w / double(page.width) : 0),
          Bool(pair),
          static_cast<float>(second.score),
          Bool(second.legal_form),
          static_cast<float>(pair ? next->box.h / double(std::max(1, height)) : 0),
          static_cast<float>(next && !pair ? after.digits : 0),
          Bool(next && !pair && after.postcode)};
    };
    out.push_back({Candidate{first.name, first.evidence, 1.0}, features(false)});
    if (next != nullptr && after.letters >= 2 && !after.name.empty()) {
      const Evidence joined = JoinEvidence({first.evidence, after.evidence}, " ");
      out.push_back({Candidate{first.name + " " + after.name, joined, 1.0}, features(true)});
    }
  }
  return out;
}

// Address blocks under the vendor's name: runs of up to kMaxAddressLines lines, starting at one
// of the few lines below the name.
std::vector<Partial> AddressPartials(const Document& doc, const Fields& rules) {
  std::vector<Partial> out;
  const std::vector<const Line*> top = TopLines(doc);
  const auto name = rules.find(field_name::kVendorName);
  size_t first = 0;
  if (name != rules.end()) {
    for (size_t i = 0; i < top.size(); ++i) {
      if (top[i]->box.y + top[i]->box.h / 2 < name->second.box.bottom()) first = i + 1;
    }
  }
  const int height = top.empty() ? 1 : doc.TextHeight(0);
  for (size_t start = first; start < top.size() && start < first + 4; ++start) {
    std::vector<const Line*> block = {top[start]};
    std::vector<NameLine> reads = {ReadNameLine(*top[start], height)};
    for (size_t i = start; block.size() < kMaxAddressLines;) {
      size_t j = i + 1;
      while (j < top.size() && top[j] != NextInBlock(doc, top, i)) ++j;
      if (j >= top.size()) break;
      block.push_back(top[j]);
      reads.push_back(ReadNameLine(*top[j], height));
      i = j;
    }
    for (size_t n = 1; n <= block.size(); ++n) {
      std::vector<Evidence> parts;
      int letters = 0, digits = 0;
      bool contact = false;
      for (size_t k = 0; k < n; ++k) {
        parts.push_back(EvidenceOf(*block[k], 0, block[k]->text.size()));
        letters += reads[k].letters;
        digits += reads[k].digits;
        contact = contact || reads[k].contact;
      }
      const Evidence joined = JoinEvidence(parts, " ");
      const NameLine* following = n < block.size() ? &reads[n] : nullptr;
      const std::string& last = block[n - 1]->text;
      Partial p;
      p.candidate = Candidate{joined.text, joined, 1.0};
      p.own = {static_cast<float>(n),
               static_cast<float>(start - first),
               Bool(!block[0]->text.empty() &&
                    std::isdigit(static_cast<unsigned char>(block[0]->text[0]))),
               Bool(reads[n - 1].postcode),
               Bool(following && following->address_like),
               Bool(following && following->contact),
               Bool(following && following->postcode),
               static_cast<float>(letters),
               static_cast<float>(digits),
               Bool(contact || (!last.empty() && last.back() == ','))};
      out.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace

std::optional<Choice> ChooseCandidate(std::string_view field,
                                      const std::vector<RankedCandidate>& candidates,
                                      const std::function<double(const RankedCandidate&)>& score,
                                      const Fields& rules, std::string_view today) {
  const auto rule = rules.find(std::string(field));
  const bool rule_found = rule != rules.end() && !rule->second.value.empty();
  if (rule_found) {
    const std::vector<std::string> value = FoldedTokens(rule->second.value);
    const bool scored = std::any_of(candidates.begin(), candidates.end(), [&](const auto& c) {
      return FoldedTokens(c.candidate.value) == value;
    });
    if (!scored) return std::nullopt;
  }
  std::optional<Choice> best;
  for (const RankedCandidate& c : candidates) {
    if (field == field_name::kInvoiceDate && !DateProblems(c.candidate.value, today).empty())
      continue;
    const double s = score(c);
    if (!best || s > best->score) best = Choice{&c, s};
  }
  if (best && !rule_found && best->score < kAddScore) return std::nullopt;
  return best;
}

size_t FeatureCount(std::string_view field) {
  if (field == field_name::kTotal) return kAmountFeatures;
  if (field == field_name::kInvoiceDate) return kDateFeatures;
  if (field == field_name::kVendorName) return kNameFeatures;
  return kAddressFeatures;
}

std::vector<RankedCandidate> CandidatesFor(std::string_view field, const Document& doc,
                                           const Conventions& conventions, std::string_view today,
                                           const Fields& rules) {
  std::vector<Partial> partials;
  if (field == field_name::kTotal) {
    partials = AmountPartials(doc, conventions, rules);
  } else if (field == field_name::kInvoiceDate) {
    partials = DatePartials(doc, conventions, today);
  } else if (field == field_name::kVendorName) {
    partials = NamePartials(doc);
  } else {
    partials = AddressPartials(doc, rules);
  }
  return Finish(doc, std::move(partials), field, rules);
}

}  // namespace quire::extract
