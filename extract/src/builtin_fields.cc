#include "builtin_fields.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <regex>

#include "validate.h"

namespace quire::extract {
namespace {

// A field found by its label: the phrases that announce it (weight = how reliably), and phrases
// that disqualify a line ("Sub total" is no total, "VAT no" is no tax amount).
struct LabelRule {
  std::string_view field;
  std::vector<LabelPhrase> labels;
  std::vector<std::string_view> excluded;
};

// Labels as printed in English, German and French invoices and on receipts; matched on folded
// tokens, so "Fälligkeitsdatum", "FALLIGKEITSDATUM" and "Fälligkeits-Datum:" differ only in the
// last one's tokens.
const std::vector<LabelRule>& LabelRules() {
  static const auto* rules = new std::vector<LabelRule>{
      {field_name::kInvoiceNumber,
       {{"invoice number", 1},  {"invoice no", 1},       {"invoice nr", 1},
        {"invoice id", 1},      {"inv no", 0.9},         {"invoice", 0.6, true},
        {"rechnungsnummer", 1}, {"rechnungsnr", 1},      {"rechnung nr", 1},
        {"rechnungs nr", 1},    {"rechnung", 0.6, true}, {"belegnummer", 0.9},
        {"beleg nr", 0.9},      {"facture n", 1},        {"facture no", 1},
        {"n de facture", 1},    {"no de facture", 1},    {"numero de facture", 1},
        {"facture", 0.6, true}, {"receipt no", 0.9},     {"receipt number", 0.9},
        {"bill no", 0.9},       {"document no", 0.8},    {"doc no", 0.8},
        {"receipt", 0.6, true}, {"ticket n", 0.9},       {"ticket no", 0.9},
        {"ticket", 0.6, true},  {"bon nr", 0.9},         {"bon", 0.6, true},
        {"order", 0.6, true}},
       {}},
      {field_name::kInvoiceDate,
       {{"invoice date", 1},
        {"date of invoice", 1},
        {"date of issue", 1},
        {"issue date", 1},
        {"date", 0.85},
        {"dated", 0.8},
        {"rechnungsdatum", 1},
        {"datum", 0.85},
        {"belegdatum", 0.9},
        {"ausstellungsdatum", 0.9},
        {"date de facture", 1},
        {"date de facturation", 1},
        {"date d emission", 1},
        {"receipt date", 1},
        {"transaction date", 0.9},
        {"tarikh", 0.85}},
       {"due", "payable", "falligkeitsdatum", "fallig", "zahlbar", "echeance", "delivery",
        "lieferdatum", "leistungsdatum", "order date", "bestelldatum", "livraison", "expiry",
        "payer avant"}},
      {field_name::kDueDate,
       {{"due date", 1},
        {"payment due", 1},
        {"due", 0.8},
        {"due by", 1},
        {"pay by", 0.9},
        {"payable by", 1},
        {"falligkeitsdatum", 1},
        {"fallig am", 1},
        {"fallig bis", 1},
        {"zahlbar bis", 1},
        {"zahlungsziel", 0.8},
        {"echeance", 1},
        {"date d echeance", 1},
        {"date limite de paiement", 1},
        {"a payer avant le", 1},
        {"payable avant le", 1},
        {"bis zum", 0.8},
        {"ohne abzug bis", 0.9},
        {"a regler avant le", 1}},
       {}},
      {field_name::kPoNumber,
       {{"po number", 1},
        {"po no", 1},
        {"po", 0.7},
        {"p o", 0.8},
        {"purchase order", 1},
        {"order no", 0.8},
        {"order number", 0.8},
        {"your order", 0.8},
        {"your ref", 0.8},
        {"your reference", 0.8},
        {"bestellnummer", 1},
        {"bestell nr", 1},
        {"ihre bestellung", 0.9},
        {"auftragsnummer", 0.8},
        {"bon de commande", 1},
        {"commande", 0.8},
        {"n de commande", 0.9},
        {"numero de commande", 0.9},
        {"votre commande", 0.9}},
       {}},
      {field_name::kSubtotal,
       {{"subtotal", 1},
        {"sub total", 1},
        {"net amount", 0.9},
        {"total excl", 0.9},
        {"total excluding", 0.9},
        {"excluding gst", 0.9},
        {"excl gst", 0.9},
        {"excl vat", 0.9},
        {"excl tax", 0.9},
        {"before tax", 0.9},
        {"zwischensumme", 1},
        {"nettobetrag", 1},
        {"summe netto", 1},
        {"gesamt netto", 1},
        {"netto", 0.8},
        {"total ht", 1},
        {"montant ht", 1},
        {"sous total", 1},
        {"net", 0.8}},
       {"net total", "nett total", "net a payer", "net 30", "net 14"}},
      {field_name::kTaxAmount,
       {{"tax", 0.8},
        {"tax amount", 1},
        {"total tax", 1},
        {"sales tax", 1},
        {"vat", 0.85},
        {"vat amount", 1},
        {"total vat", 1},
        {"gst", 0.8},
        {"total gst", 1},
        {"gst amount", 1},
        {"mwst", 0.9},
        {"ust", 0.9},
        {"mehrwertsteuer", 1},
        {"umsatzsteuer", 1},
        {"tva", 0.9},
        {"total tva", 1},
        {"montant tva", 1}},
       {"tax invoice", "vat no",        "vat reg",      "vat id",
        "vat number",  "gst id",        "gst reg",      "gst no",
        "ust idnr",    "ust id",        "steuernummer", "intracommunautaire",
        "n tva",       "numero de tva", "tax id",       "incl",
        "inkl",        "including",     "inclusive",    "excl",
        "excluding",   "exclusive",     "before tax",   "summary",
        "ttc"}},
      {field_name::kTotal,
       {{"total", 0.85},           {"grand total", 1},    {"total due", 1},
        {"amount due", 1},         {"balance due", 0.95}, {"total amount", 0.95},
        {"total payable", 1},      {"amount payable", 1}, {"rounded total", 1},
        {"total rounded", 1},      {"total incl", 0.95},  {"total including", 0.95},
        {"total inclusive", 0.95}, {"nett total", 0.95},  {"net total", 0.9},
        {"gesamtbetrag", 1},       {"gesamtsumme", 1},    {"rechnungsbetrag", 1},
        {"endbetrag", 1},          {"summe", 0.8},        {"gesamt", 0.8},
        {"bruttobetrag", 1},       {"zu zahlen", 0.95},   {"total ttc", 1},
        {"net a payer", 1},        {"montant ttc", 1},    {"total a payer", 1},
        {"montant total", 0.95}},
       {"sub",        "subtotal", "excl",  "excluding",     "exclusive",
        "before tax", "ht",       "netto", "nettobetrag",   "qty",
        "quantity",   "items",    "item",  "discount",      "savings",
        "saving",     "included", "sous",  "zwischensumme", "points"}},
      {field_name::kBic,
       {{"bic", 1}, {"swift", 1}, {"swift code", 1}, {"bic swift", 1}, {"swift bic", 1}},
       {}},
      {field_name::kVatId,
       {{"vat", 0.8},
        {"vat no", 1},
        {"vat number", 1},
        {"vat reg no", 1},
        {"vat id", 1},
        {"vat registration", 1},
        {"ust idnr", 1},
        {"ust id", 1},
        {"ust id nr", 1},
        {"ustidnr", 1},
        {"umsatzsteuer id", 1},
        {"uid", 0.9},
        {"tva intracommunautaire", 1},
        {"n tva", 1},
        {"numero de tva", 1},
        {"tva", 0.7},
        {"partita iva", 1},
        {"btw", 0.9},
        {"btw nummer", 1},
        {"nif", 0.8},
        {"cif", 0.8},
        {"gst id", 0.9},
        {"gst reg no", 0.9},
        {"gst no", 0.9},
        {"gst reg", 0.9},
        {"tax id", 0.8}},
       {}},
  };
  return *rules;
}

// How much an IBAN or VAT id found by its pattern alone is trusted, without a label.
constexpr double kPatternReliability = 0.85;
// How much the first date of a document is trusted as its date when no label names it.
constexpr double kUnlabelledDateReliability = 0.6;
// Words OCR read with less confidence than this are noise, not an unlabelled date. Above it, a
// word that reads as a plausible date is one; its low confidence sends it to review.
constexpr double kLegible = 0.2;

// A whitespace-separated chunk of a text with its offsets.
struct Chunk {
  size_t begin;
  size_t end;
};

std::vector<Chunk> Chunks(std::string_view text) {
  std::vector<Chunk> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) out.push_back({start, i});
  }
  return out;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Invoice and order numbers: the first chunk with a digit that is not a date or a time, without
// the punctuation printed around it ("#", ":", a final "."), and with a short upper-case prefix
// printed apart from it ("BC 2024/77").
std::vector<TextMatch> FindIdentifiers(std::string_view text) {
  // Punctuation around a number, and the rule of a form's blank OCR reads as '_' or '|'.
  static constexpr std::string_view kAround = ":#.,;()[]_|";
  std::optional<size_t> prefix;
  for (const Chunk& c : Chunks(text)) {
    size_t begin = c.begin;
    size_t end = c.end;
    while (begin < end && kAround.find(text[begin]) != std::string_view::npos) ++begin;
    while (end > begin && kAround.find(text[end - 1]) != std::string_view::npos) --end;
    const std::string_view id = text.substr(begin, end - begin);
    if (!HasDigit(id)) {
      const bool upper =
          !id.empty() && id.size() <= 3 &&
          std::all_of(id.begin(), id.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
      prefix = upper ? std::optional<size_t>(begin) : std::nullopt;
      continue;
    }
    if (id.size() > 30 || id.find(':') != std::string_view::npos) continue;
    if (!FindDates(id, DateOrder::kDMY).empty()) continue;
    const size_t from = prefix.value_or(begin);
    return {{from, end, std::string(text.substr(from, end - from))}};
  }
  return {};
}

// Amounts printed with decimals: a whole number next to a total label is a count ("Total 3
// items 45.00") far more often than a sum.
std::vector<TextMatch> FindAmountValues(std::string_view text, DecimalMark mark) {
  std::vector<TextMatch> out;
  for (const AmountMatch& a : FindAmounts(text, mark)) {
    if (a.decimal) out.push_back({a.begin, a.end, FormatAmount(a.cents)});
  }
  return out;
}

// BICs: 8 or 11 letters and digits, most of them letters.
std::vector<TextMatch> FindBics(std::string_view text) {
  for (const Chunk& c : Chunks(text)) {
    const std::string id = NormalizeIdentifier(text.substr(c.begin, c.end - c.begin));
    const auto letters = std::count_if(id.begin(), id.end(), [](char ch) { return ch > '9'; });
    if ((id.size() == 8 || id.size() == 11) && letters >= 6) return {{c.begin, c.end, id}};
  }
  return {};
}

// Identifiers printed in groups ("DE 123 456 789", "DE89 3704 0044 ..."): the longest run of
// chunks from the first that reads as one id of `min`..`max` characters, mostly digits.
std::vector<TextMatch> FindGroupedIds(std::string_view text, size_t min, size_t max) {
  const std::vector<Chunk> chunks = Chunks(text);
  for (size_t i = 0; i < chunks.size(); ++i) {
    std::optional<TextMatch> best;
    for (size_t j = i; j < chunks.size(); ++j) {
      const std::string id =
          NormalizeIdentifier(text.substr(chunks[i].begin, chunks[j].end - chunks[i].begin));
      if (id.size() > max) break;
      const auto digits = std::count_if(id.begin(), id.end(), [](char c) { return c <= '9'; });
      if (id.size() >= min && 2 * digits >= static_cast<long>(id.size())) {
        best = TextMatch{chunks[i].begin, chunks[j].end, id};
      }
    }
    if (best) return {*best};
  }
  return {};
}

// The most reliable candidate; among equally reliable amounts, the largest ("the largest amount
// near total": totals include what the lines above them add up).
std::optional<Candidate> Best(const std::vector<Candidate>& candidates, bool larger_amount_wins) {
  const Candidate* best = nullptr;
  for (const Candidate& c : candidates) {
    if (best == nullptr || c.reliability > best->reliability + 1e-9) {
      best = &c;
    } else if (larger_amount_wins && c.reliability > best->reliability - 1e-9 &&
               ParseAmount(c.value).value_or(0) > ParseAmount(best->value).value_or(0)) {
      best = &c;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

// Labels of what a customer handed over and got back on a receipt.
const std::vector<LabelPhrase>& CashLabels() {
  static const auto* labels = new std::vector<LabelPhrase>{
      {"cash", 1},  {"cash received", 1}, {"tendered", 1},    {"cash tendered", 1},
      {"tunai", 1}, {"bar", 1},           {"bar gegeben", 1}, {"especes", 1}};
  return *labels;
}
const std::vector<LabelPhrase>& ChangeLabels() {
  static const auto* labels = new std::vector<LabelPhrase>{
      {"change", 1},   {"change due", 1}, {"balance", 0.8},     {"kembalian", 1},
      {"ruckgeld", 1}, {"rendu", 1},      {"monnaie rendue", 1}};
  return *labels;
}

// How much a total read from cash minus change is trusted, where no total label is legible.
constexpr double kPaidReliability = 0.5;

// Cash tendered minus change: what the customer paid, a cross-check for the total.
std::optional<Candidate> PaidAmount(const Document& doc, const Conventions& conventions) {
  const Finder amounts = [&](std::string_view t) {
    return FindAmountValues(t, conventions.decimal);
  };
  const std::vector<Candidate> cash = ValuesNearLabels(
      doc, FindLabels(doc, CashLabels(), {"cash bill", "cash sales", "cash receipt", "cash sale"}),
      amounts, Pick::kLast);
  if (cash.empty()) return std::nullopt;
  const std::vector<Candidate> change =
      ValuesNearLabels(doc, FindLabels(doc, ChangeLabels()), amounts, Pick::kLast);
  Candidate paid = cash.front();
  const int64_t change_cents = change.empty() ? 0 : *ParseAmount(change.front().value);
  paid.value = FormatAmount(*ParseAmount(paid.value) - change_cents);
  paid.reliability = kPaidReliability;
  return paid;
}

// Whether the amount `value` is printed anywhere in the document.
bool Printed(const Document& doc, const Conventions& conventions, const std::string& value) {
  return std::any_of(doc.lines().begin(), doc.lines().end(), [&](const Line& line) {
    const std::vector<TextMatch> amounts = FindAmountValues(line.text, conventions.decimal);
    return std::any_of(amounts.begin(), amounts.end(),
                       [&](const TextMatch& m) { return m.value == value; });
  });
}

// The total: among the amounts next to total labels, the best-labelled one that other figures
// agree with (the same amount under another total label, cash minus change, subtotal plus tax),
// the larger on a tie; else cash minus change; else subtotal plus tax where that sum is printed
// (under a total label OCR garbled); else the subtotal.
std::optional<Candidate> ChooseTotal(const Document& doc, const Conventions& conventions,
                                     const std::vector<Candidate>& candidates,
                                     const std::optional<Candidate>& paid, const Fields& fields) {
  std::vector<std::string> agreeing;
  if (paid) agreeing.push_back(paid->value);
  const auto subtotal = fields.find(field_name::kSubtotal);
  const auto tax = fields.find(field_name::kTaxAmount);
  std::optional<std::string> sum;
  if (subtotal != fields.end() && tax != fields.end()) {
    sum = FormatAmount(*ParseAmount(subtotal->second.value) + *ParseAmount(tax->second.value));
    agreeing.push_back(*sum);
  }
  for (const Candidate& c : candidates) agreeing.push_back(c.value);
  std::vector<Candidate> scored = candidates;
  for (Candidate& c : scored) {
    // Each agreeing figure but the candidate itself adds a little.
    const auto support = std::count(agreeing.begin(), agreeing.end(), c.value) - 1;
    c.reliability = std::min(1.0, c.reliability + 0.05 * static_cast<double>(support));
  }
  if (auto best = Best(scored, true)) return best;
  if (paid) return paid;
  if (subtotal != fields.end()) {
    const bool sum_printed = sum && Printed(doc, conventions, *sum);
    return Candidate{
        sum_printed ? *sum : subtotal->second.value,
        Evidence{subtotal->second.source_text, subtotal->second.page, subtotal->second.box, 1.0},
        subtotal->second.confidence * kPaidReliability};
  }
  return std::nullopt;
}

void Put(Fields& fields, const std::string& name, const std::optional<Candidate>& c) {
  if (c && !c->value.empty()) fields[name] = ToFieldValue(*c);
}

// Whether `line` names a date other than the issue date ("Card Expiry: 31/05/18").
bool NamesOtherDate(const Line& line) {
  const auto rule = std::find_if(LabelRules().begin(), LabelRules().end(), [](const LabelRule& r) {
    return r.field == field_name::kInvoiceDate;
  });
  return std::any_of(rule->excluded.begin(), rule->excluded.end(), [&](std::string_view phrase) {
    return ContainsPhrase(line.tokens, FoldedTokens(phrase));
  });
}

// The first plausible, legible date of the document that is not its due date nor named as
// another date.
std::optional<Candidate> FirstDate(const Document& doc, const Conventions& conventions,
                                   const Fields& fields, std::string_view today) {
  const auto due = fields.find(field_name::kDueDate);
  const int latest_year = LatestPlausibleYear(today);
  for (const Line& line : doc.lines()) {
    if (NamesOtherDate(line)) continue;
    for (const TextMatch& m : FindDates(line.text, conventions.date_order, latest_year)) {
      if (due != fields.end() && due->second.value == m.value) continue;
      Candidate c = MakeCandidate(m, line, kUnlabelledDateReliability);
      if (c.evidence.ocr_conf < kLegible || !DateProblems(m.value, today).empty()) continue;
      return c;
    }
  }
  return std::nullopt;
}

// Dates that cannot be right (see DateProblems) lose to any that can.
void DistrustImplausibleDates(std::vector<Candidate>& candidates, std::string_view today) {
  for (Candidate& c : candidates) {
    if (!DateProblems(c.value, today).empty()) c.reliability *= 0.5;
  }
}

// IBANs by their shape, cut to their country's length (OCR may run the next word on). Letters
// OCR mistakes for digits count as digits, but most of an IBAN must read as digits, which
// keeps out words such as "GLOBEXCORPORATION".
std::optional<Candidate> FindIban(const Document& doc) {
  static const std::regex kIban(R"(\b[A-Z]{2}[0-9OILSBZ]{2}(?: ?[A-Z0-9]){10,34})");
  const std::vector<std::string> iban_label = FoldedTokens("iban");
  for (const Line& line : doc.lines()) {
    const std::string upper = AsciiUpper(line.text);
    for (std::sregex_iterator it(upper.begin(), upper.end(), kIban), end; it != end; ++it) {
      const size_t begin = static_cast<size_t>(it->position());
      const std::optional<int> length = IbanLength(upper.substr(begin, 2));
      if (!length) continue;
      size_t stop = begin;
      int kept = 0;
      while (stop < begin + it->length() && kept < *length) {
        if (upper[stop] != ' ') ++kept;
        ++stop;
      }
      const std::string iban = NormalizeIdentifier(upper.substr(begin, stop - begin));
      const auto digits = std::count_if(iban.begin(), iban.end(), [](char c) { return c <= '9'; });
      if (2 * digits < static_cast<long>(iban.size())) continue;
      // Without a label, a match short of its country's length is another number that happens
      // to start with a country code (a receipt's "MT161201805120055"), not an IBAN.
      const bool labelled = ContainsPhrase(line.tokens, iban_label);
      if (!labelled && kept < *length) continue;
      return MakeCandidate(iban, line, begin, stop, labelled ? 1 : kPatternReliability);
    }
  }
  return std::nullopt;
}

// EU VAT ids by their shape, where no label announces one.
std::optional<Candidate> FindVatIdByPattern(const Document& doc) {
  static const std::regex kVat(
      R"(\b(?:DE ?\d{3} ?\d{3} ?\d{3}|ATU ?\d{8}|FR ?[0-9A-Z]{2} ?\d{3} ?\d{3} ?\d{3}|IT ?\d{11})"
      R"(|NL ?\d{9} ?B ?\d{2}|BE ?0?\d{3}[ .]?\d{3}[ .]?\d{3}|ES ?[0-9A-Z]\d{7}[0-9A-Z])"
      R"(|GB ?\d{3} ?\d{4} ?\d{2}(?: ?\d{3})?)\b)");
  for (const Line& line : doc.lines()) {
    std::smatch m;
    const std::string upper = AsciiUpper(line.text);
    if (!std::regex_search(upper, m, kVat)) continue;
    const size_t begin = static_cast<size_t>(m.position());
    return MakeCandidate(NormalizeIdentifier(m.str()), line, begin, begin + m.length(),
                         kPatternReliability);
  }
  return std::nullopt;
}

// The currency the document names most often (symbols and codes).
std::optional<Candidate> DocumentCurrency(const Document& doc) {
  std::map<std::string, int> counts;
  std::map<std::string, Candidate> first;
  for (const Line& line : doc.lines()) {
    for (const TextMatch& m : FindCurrencies(line.text)) {
      ++counts[m.value];
      // "$" is shared by many currencies; a code says which.
      const double reliability = line.text.compare(m.begin, 1, "$") == 0 ? 0.7 : 0.9;
      first.try_emplace(m.value, MakeCandidate(m.value, line, m.begin, m.end, reliability));
    }
  }
  const auto most =
      std::max_element(counts.begin(), counts.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  if (most == counts.end()) return std::nullopt;
  return first.at(most->first);
}

// Whether the document names GST, a tax that bills in US dollars from the US do not charge.
bool MentionsGst(const Document& doc) {
  const std::vector<std::string> gst = FoldedTokens("gst");
  return std::any_of(doc.lines().begin(), doc.lines().end(),
                     [&](const Line& line) { return ContainsPhrase(line.tokens, gst); });
}

// The finder for values of `kind` next to their labels.
Finder FinderFor(FieldKind kind, const Conventions& conventions, std::string_view today) {
  switch (kind) {
    case FieldKind::kDate:
      return [order = conventions.date_order, latest = LatestPlausibleYear(today)](
                 std::string_view t) { return FindDates(t, order, latest); };
    case FieldKind::kAmount:
      return [mark = conventions.decimal](std::string_view t) { return FindAmountValues(t, mark); };
    case FieldKind::kCurrency: return FindCurrencies;
    case FieldKind::kBic: return FindBics;
    case FieldKind::kVatId: return [](std::string_view t) { return FindGroupedIds(t, 8, 14); };
    case FieldKind::kIban: return [](std::string_view t) { return FindGroupedIds(t, 15, 34); };
    case FieldKind::kIdentifier:
    case FieldKind::kText: break;
  }
  return FindIdentifiers;
}

}  // namespace

const std::vector<LabelPhrase>& FieldLabels(std::string_view field) {
  static const std::vector<LabelPhrase> kNone;
  if (field == "cash") return CashLabels();
  if (field == "change") return ChangeLabels();
  for (const LabelRule& rule : LabelRules()) {
    if (rule.field == field) return rule.labels;
  }
  return kNone;
}

const std::vector<std::string_view>& ExcludedLabels(std::string_view field) {
  static const std::vector<std::string_view> kNone;
  for (const LabelRule& rule : LabelRules()) {
    if (rule.field == field) return rule.excluded;
  }
  return kNone;
}

Conventions GuessConventions(const Document& doc, DateOrder date_order) {
  std::vector<std::string_view> texts;
  for (const Line& line : doc.lines()) texts.push_back(line.text);
  // Where no date settles the order, a bill in US dollars writes dates the US way; one that
  // charges GST does not (Singapore, Australia, or a Malaysian receipt with "S" read as "$").
  const std::optional<Candidate> currency = DocumentCurrency(doc);
  const bool us = currency && currency->value == "USD" && !MentionsGst(doc);
  const DateOrder fallback = us ? DateOrder::kMDY : date_order;
  return Conventions{SettledDateOrder(texts).value_or(fallback), SettledDecimalMark(texts)};
}

FieldValue ToFieldValue(const Candidate& candidate) {
  FieldValue f;
  f.value = candidate.value;
  f.source_text = candidate.evidence.text;
  f.page = candidate.evidence.page;
  f.box = candidate.evidence.box;
  f.confidence = std::clamp(candidate.evidence.ocr_conf * candidate.reliability, 0.0, 1.0);
  if (!candidate.repair.empty()) f.problems.push_back(candidate.repair);
  return f;
}

Fields ExtractInvoiceFields(const Document& doc, const Conventions& conventions,
                            std::string_view today) {
  Fields fields;
  // Due dates first, so that the invoice date fallback does not take the due date.
  std::vector<const LabelRule*> rules;
  for (const LabelRule& rule : LabelRules()) rules.push_back(&rule);
  std::stable_partition(rules.begin(), rules.end(),
                        [](const LabelRule* r) { return r->field == field_name::kDueDate; });
  for (const LabelRule* rule : rules) {
    const FieldKind kind = KindOfField(rule->field);
    const Pick pick = kind == FieldKind::kAmount ? Pick::kLast : Pick::kFirst;
    const std::vector<LabelHit> hits = FindLabels(doc, rule->labels, rule->excluded);
    std::vector<Candidate> candidates =
        ValuesNearLabels(doc, hits, FinderFor(kind, conventions, today), pick);
    if (kind == FieldKind::kDate) DistrustImplausibleDates(candidates, today);
    const std::string field(rule->field);
    if (field == field_name::kTotal) {
      Put(fields, field,
          ChooseTotal(doc, conventions, candidates, PaidAmount(doc, conventions), fields));
    } else {
      Put(fields, field, Best(candidates, kind == FieldKind::kAmount));
    }
  }
  if (!fields.count(field_name::kInvoiceDate))
    Put(fields, field_name::kInvoiceDate, FirstDate(doc, conventions, fields, today));
  if (!fields.count(field_name::kVatId)) Put(fields, field_name::kVatId, FindVatIdByPattern(doc));
  Put(fields, field_name::kIban, FindIban(doc));
  Put(fields, field_name::kCurrency, DocumentCurrency(doc));
  ExtractParties(doc, fields);
  ExtractLineItems(doc, conventions, fields);
  return fields;
}

namespace {

// The amounts printed beside `field`'s labels, as ExtractInvoiceFields finds them.
std::vector<Candidate> LabelledAmounts(const Document& doc, const Conventions& conventions,
                                       std::string_view field) {
  const auto rule = std::find_if(LabelRules().begin(), LabelRules().end(),
                                 [&](const LabelRule& r) { return r.field == field; });
  if (rule == LabelRules().end()) return {};
  return ValuesNearLabels(doc, FindLabels(doc, rule->labels, rule->excluded),
                          FinderFor(FieldKind::kAmount, conventions, /*today=*/""), Pick::kLast);
}

// The amount of the field `name`, or nullopt when there is none.
std::optional<int64_t> AmountOf(const Fields& fields, const char* name) {
  const auto it = fields.find(name);
  return it == fields.end() ? std::nullopt : ParseAmount(it->second.value);
}

// Whether a receipt's other figures agree with `total`: cash minus change (`paid`), subtotal plus
// tax (with SumProblem's cash rounding, or a subtotal that already holds the tax), or, where no
// tax was read, the subtotal.
bool FiguresAgree(int64_t total, std::optional<int64_t> paid, std::optional<int64_t> subtotal,
                  std::optional<int64_t> tax) {
  if (paid == total) return true;
  if (!subtotal) return false;
  return tax ? !SumProblem(subtotal, tax, total) : *subtotal == total;
}

// The first amount other than `field`'s that `agrees` with, among OCR's other readings of the
// words in `field`'s box.
std::optional<std::string> AgreeingReading(const Document& doc, const Conventions& conventions,
                                           const FieldValue& field,
                                           const std::function<bool(int64_t)>& agrees) {
  for (const OcrWord* word : doc.WordsOver(field.page, field.box)) {
    if (!word->box.Overlaps(field.box)) continue;
    for (const std::string& reading : word->alternatives) {
      for (const TextMatch& amount : FindAmountValues(reading, conventions.decimal)) {
        const std::optional<int64_t> cents = ParseAmount(amount.value);
        if (amount.value != field.value && cents && agrees(*cents)) return amount.value;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

void FitSumToTotal(const Document& doc, const Conventions& conventions, Fields& fields) {
  const std::optional<int64_t> total = AmountOf(fields, field_name::kTotal);
  if (!total || !SumProblem(AmountOf(fields, field_name::kSubtotal),
                            AmountOf(fields, field_name::kTaxAmount), total)) {
    return;
  }
  const std::vector<Candidate> subtotals = LabelledAmounts(doc, conventions, field_name::kSubtotal);
  const std::vector<Candidate> taxes = LabelledAmounts(doc, conventions, field_name::kTaxAmount);
  const Candidate* fit_subtotal = nullptr;
  const Candidate* fit_tax = nullptr;
  double surest = 0;
  for (const Candidate& subtotal : subtotals) {
    for (const Candidate& tax : taxes) {
      const std::optional<int64_t> s = ParseAmount(subtotal.value), t = ParseAmount(tax.value);
      // A tax of nothing adds up with any subtotal that is the total: no evidence of either.
      if (!s || !t || *t <= 0 || TaxProblem(s, t, total) || SumProblem(s, t, total)) continue;
      if (subtotal.reliability * tax.reliability > surest) {
        surest = subtotal.reliability * tax.reliability;
        fit_subtotal = &subtotal;
        fit_tax = &tax;
      }
    }
  }
  if (fit_subtotal == nullptr) return;
  fields[field_name::kSubtotal] = ToFieldValue(*fit_subtotal);
  fields[field_name::kTaxAmount] = ToFieldValue(*fit_tax);
}

void ReadTotalAsFiguresAgree(const Document& doc, const Conventions& conventions, Fields& fields) {
  const auto total = fields.find(field_name::kTotal);
  if (total == fields.end()) return;
  FieldValue& field = total->second;
  const std::optional<Candidate> paid = PaidAmount(doc, conventions);
  const std::optional<int64_t> paid_cents = paid ? ParseAmount(paid->value) : std::nullopt;
  const std::optional<int64_t> subtotal = AmountOf(fields, field_name::kSubtotal);
  const std::optional<int64_t> tax = AmountOf(fields, field_name::kTaxAmount);
  const auto agrees = [&](int64_t cents) { return FiguresAgree(cents, paid_cents, subtotal, tax); };
  const std::optional<int64_t> read = ParseAmount(field.value);
  if (!read || agrees(*read)) return;
  const std::optional<std::string> reading = AgreeingReading(doc, conventions, field, agrees);
  if (!reading) return;
  field.problems.push_back("read " + *reading + ", OCR's other reading, which other figures " +
                           "agree with; OCR read " + field.value);
  field.value = *reading;
  // OCR's second choice, however well it adds up, is for a person to confirm.
  field.confidence *= 0.5;
}

Fields ExtractLetterFields(const Document& doc, const Conventions& conventions,
                           std::string_view today) {
  static constexpr std::string_view kLetterFields[] = {
      field_name::kVendorName, field_name::kVendorAddress, field_name::kCustomerName,
      field_name::kIban,       field_name::kBic,           field_name::kVatId};
  Fields all = ExtractInvoiceFields(doc, conventions, today);
  Fields letter;
  for (std::string_view name : kLetterFields) {
    auto it = all.find(std::string(name));
    if (it != all.end()) letter.insert(std::move(*it));
  }
  return letter;
}

}  // namespace quire::extract
