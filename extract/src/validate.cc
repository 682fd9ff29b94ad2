#include "validate.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

namespace quire::extract {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

// IBAN lengths by country, from the SWIFT IBAN registry (ISO 13616).
const std::map<std::string, int, std::less<>>& IbanLengths() {
  static const auto* lengths = new std::map<std::string, int, std::less<>>{
      {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
      {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
      {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
      {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
      {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
      {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
      {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
      {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
      {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
      {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
      {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
  };
  return *lengths;
}

// Countries whose basic bank account number is digits only, so letters in it are misreads.
bool DigitsOnlyBban(std::string_view country) {
  static constexpr std::string_view kCountries[] = {"AT", "BE", "CZ", "DE", "DK", "EE", "ES", "FI",
                                                    "HR", "NO", "PL", "PT", "RS", "SE", "SI", "SK"};
  for (std::string_view c : kCountries) {
    if (c == country) return true;
  }
  return false;
}

// ISO 7064 mod 97-10 over a string of digits and letters (A=10 ... Z=35).
int Mod97(std::string_view s) {
  int rest = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      rest = (rest * 10 + (c - '0')) % 97;
    } else if (IsUpper(c)) {
      rest = (rest * 100 + (c - 'A' + 10)) % 97;
    } else {
      return -1;
    }
  }
  return rest;
}

// ---- OCR repairs ----------------------------------------------------------------------------

// Characters OCR confuses, letter first.
constexpr std::pair<char, char> kConfusions[] = {{'O', '0'}, {'I', '1'}, {'L', '1'},
                                                 {'S', '5'}, {'B', '8'}, {'Z', '2'}};

char AsDigit(char c) {
  for (auto [letter, digit] : kConfusions) {
    if (c == letter) return digit;
  }
  return c;
}

char AsLetter(char c) {
  for (auto [letter, digit] : kConfusions) {
    if (c == digit) return letter;
  }
  return c;
}

// `value` forced into `shape` ('A' letter, '9' digit, '?' either) where a confusion allows it.
std::string ApplyShape(std::string_view value, std::string_view shape) {
  std::string out(value);
  for (size_t i = 0; i < out.size() && i < shape.size(); ++i) {
    if (shape[i] == '9') out[i] = AsDigit(out[i]);
    if (shape[i] == 'A') out[i] = AsLetter(out[i]);
  }
  return out;
}

// "O->0 at 5, I->1 at 12" (1-based positions).
std::string DescribeRepair(std::string_view from, std::string_view to) {
  std::string note;
  for (size_t i = 0; i < from.size() && i < to.size(); ++i) {
    if (from[i] == to[i]) continue;
    if (!note.empty()) note += ", ";
    note += std::string(1, from[i]) + "->" + to[i] + " at " + std::to_string(i + 1);
  }
  return note;
}

// The unique repair of `value` that passes `ok`: first by forcing the shape, then by swapping one
// confusable character. Nothing when no repair, or more than one, passes.
std::optional<std::string> RepairByChecksum(std::string_view value, std::string_view shape,
                                            const std::function<bool(std::string_view)>& ok) {
  const std::string shaped = ApplyShape(value, shape);
  if (shaped != value && ok(shaped)) return shaped;
  std::optional<std::string> found;
  for (size_t i = 0; i < shaped.size(); ++i) {
    for (auto [letter, digit] : kConfusions) {
      const char c = shaped[i];
      const char swapped = c == letter ? digit : c == digit ? letter : c;
      if (swapped == c) continue;
      std::string candidate = shaped;
      candidate[i] = swapped;
      if (!ok(candidate) || candidate == found) continue;
      if (found) return std::nullopt;  // ambiguous: leave it to a person
      found = std::move(candidate);
    }
  }
  return found;
}

// Checks `value` with `ok`, repairing OCR confusions; `what` names the check in problems.
CheckResult CheckWithRepair(std::string_view value, std::string_view shape,
                            const std::function<bool(std::string_view)>& ok,
                            const std::string& what) {
  CheckResult r{std::string(value), true, {}};
  if (ok(value)) return r;
  if (auto repaired = RepairByChecksum(value, shape, ok)) {
    r.problems.push_back("repaired " + DescribeRepair(value, *repaired) + "; " + what + " passes");
    r.value = *repaired;
    return r;
  }
  r.valid = false;
  r.problems.push_back(what + " fails");
  return r;
}

// ---- VAT ids --------------------------------------------------------------------------------

// ISO 7064 MOD 11,10, as used by the German Bundeszentralamt für Steuern.
bool GermanVatOk(std::string_view d) {
  if (d.size() != 9 || !AllDigits(d)) return false;
  int product = 10;
  for (size_t i = 0; i < 8; ++i) {
    int sum = (d[i] - '0' + product) % 10;
    if (sum == 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const int check = (11 - product) % 10;
  return check == d[8] - '0';
}

int DigitSum(int x) { return x / 10 + x % 10; }

// "U" + 8 digits; the Austrian check digit from the first seven.
bool AustrianVatOk(std::string_view d) {
  if (d.size() != 9 || d[0] != 'U' || !AllDigits(d.substr(1))) return false;
  int sum = 0;
  for (size_t i = 1; i <= 7; ++i) {
    const int c = d[i] - '0';
    sum += (i % 2 == 0) ? DigitSum(2 * c) : c;
  }
  return (10 - (sum + 4) % 10) % 10 == d[8] - '0';
}

bool BelgianVatOk(std::string_view d) {
  std::string digits(d);
  if (digits.size() == 9) digits.insert(digits.begin(), '0');  // the old 9-digit form
  if (digits.size() != 10 || !AllDigits(digits) || digits[0] > '1') return false;
  const long first = std::stol(digits.substr(0, 8));
  return 97 - first % 97 == std::stol(digits.substr(8));
}

// Two key characters and the 9-digit SIREN; a numeric key is (12 + 3 * (SIREN mod 97)) mod 97.
bool FrenchVatOk(std::string_view d) {
  if (d.size() != 11 || !AllDigits(d.substr(2))) return false;
  const std::string_view key = d.substr(0, 2);
  if (!AllDigits(key)) return std::isalnum(key[0]) && std::isalnum(key[1]);
  const long siren = std::stol(std::string(d.substr(2)));
  return (12 + 3 * (siren % 97)) % 97 == std::stol(std::string(key));
}

// Luhn over 11 digits.
bool ItalianVatOk(std::string_view d) {
  if (d.size() != 11 || !AllDigits(d)) return false;
  int sum = 0;
  for (size_t i = 0; i < 11; ++i) {
    const int c = d[i] - '0';
    sum += (i % 2 == 1) ? DigitSum(2 * c) : c;
  }
  return sum % 10 == 0;
}

// 9 digits, "B", 2 digits: the classic mod-11 check, or mod-97 like an IBAN for sole traders'
// numbers issued since 2020.
bool DutchVatOk(std::string_view d) {
  if (d.size() != 12 || d[9] != 'B' || !AllDigits(d.substr(0, 9)) || !AllDigits(d.substr(10))) {
    return false;
  }
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) sum += (d[i] - '0') * static_cast<int>(9 - i);
  if ((sum - (d[8] - '0')) % 11 == 0) return true;
  return Mod97("NL" + std::string(d)) == 1;
}

// NIF/NIE (8 digits and a letter) or CIF (a letter, 7 digits and a control digit or letter).
bool SpanishVatOk(std::string_view d) {
  if (d.size() != 9) return false;
  static constexpr std::string_view kNifLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
  std::string nif(d);
  if (nif[0] == 'X' || nif[0] == 'Y' || nif[0] == 'Z')
    nif[0] = static_cast<char>('0' + nif[0] - 'X');
  if (AllDigits(nif.substr(0, 8))) return kNifLetters[std::stol(nif.substr(0, 8)) % 23] == d[8];
  if (!IsUpper(d[0]) || !AllDigits(d.substr(1, 7))) return false;
  int sum = 0;
  for (size_t i = 1; i <= 7; ++i) {
    const int c = d[i] - '0';
    sum += (i % 2 == 0) ? c : DigitSum(2 * c);
  }
  const int control = (10 - sum % 10) % 10;
  return d[8] == '0' + control || d[8] == "JABCDEFGHI"[control];
}

bool BritishVatOk(std::string_view d) {
  if ((d.size() == 9 || d.size() == 12) && AllDigits(d)) return true;
  return d.size() == 5 && (d.substr(0, 2) == "GD" || d.substr(0, 2) == "HA") &&
         AllDigits(d.substr(2));
}

struct VatRule {
  std::string_view country;
  std::string_view shape;  // of the part after the country code, for repairs
  bool (*ok)(std::string_view);
  bool has_check_digit;
};

constexpr VatRule kVatRules[] = {
    {"DE", "999999999", GermanVatOk, true},    {"AT", "A99999999", AustrianVatOk, true},
    {"BE", "9999999999", BelgianVatOk, true},  {"FR", "??999999999", FrenchVatOk, true},
    {"IT", "99999999999", ItalianVatOk, true}, {"NL", "999999999A99", DutchVatOk, true},
    {"ES", "?9999999?", SpanishVatOk, true},   {"GB", "999999999999", BritishVatOk, false},
};

const VatRule* VatRuleFor(std::string_view vat_id) {
  for (const VatRule& rule : kVatRules) {
    if (vat_id.substr(0, 2) == rule.country) return &rule;
  }
  return nullptr;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<int> IbanLength(std::string_view country) {
  const auto& lengths = IbanLengths();
  const auto it = lengths.find(country);
  if (it == lengths.end()) return std::nullopt;
  return it->second;
}

bool IbanChecksumOk(std::string_view iban) {
  if (iban.size() < 5) return false;
  const std::optional<int> length = IbanLength(iban.substr(0, 2));
  if (!length || static_cast<int>(iban.size()) != *length) return false;
  if (!IsDigit(iban[2]) || !IsDigit(iban[3])) return false;
  const std::string rearranged = std::string(iban.substr(4)) + std::string(iban.substr(0, 4));
  return Mod97(rearranged) == 1;
}

CheckResult CheckIban(std::string_view iban) {
  const std::string country = ApplyShape(iban.substr(0, 2), "AA");
  const std::optional<int> length = IbanLength(country);
  if (!length) return {std::string(iban), false, {"IBAN country '" + country + "' is unknown"}};
  if (static_cast<int>(iban.size()) != *length) {
    return {std::string(iban),
            false,
            {"IBAN has " + std::to_string(iban.size()) + " characters; " + country + " has " +
             std::to_string(*length)}};
  }
  std::string shape = "AA99" + std::string(iban.size() - 4, DigitsOnlyBban(country) ? '9' : '?');
  return CheckWithRepair(iban, shape, IbanChecksumOk, "IBAN checksum (mod-97)");
}

bool VatIdOk(std::string_view vat_id) {
  const VatRule* rule = VatRuleFor(vat_id);
  return rule != nullptr && rule->ok(vat_id.substr(2));
}

CheckResult CheckVatId(std::string_view vat_id) {
  const VatRule* rule = VatRuleFor(ApplyShape(vat_id.substr(0, 2), "AA"));
  // Ids of other countries (or without a country prefix, such as a Malaysian GST number) have no
  // rule here: kept as read.
  if (rule == nullptr) return {std::string(vat_id), true, {}};
  const std::string shape = "AA" + std::string(rule->shape);
  const auto ok = [rule](std::string_view v) {
    return v.substr(0, 2) == rule->country && rule->ok(v.substr(2));
  };
  if (!rule->has_check_digit) {
    const std::string shaped = ApplyShape(vat_id, shape);
    if (ok(shaped)) return {shaped, true, {}};
    return {std::string(vat_id),
            false,
            {std::string(rule->country) + " VAT id does not have the format " + shape}};
  }
  return CheckWithRepair(vat_id, shape, ok, std::string(rule->country) + " VAT id check digit");
}

CheckResult CheckBic(std::string_view bic) {
  bool ok = bic.size() == 8 || bic.size() == 11;
  for (size_t i = 0; ok && i < bic.size(); ++i) {
    ok = i < 6 ? IsUpper(bic[i]) : (IsUpper(bic[i]) || IsDigit(bic[i]));
  }
  if (ok) return {std::string(bic), true, {}};
  return {
      std::string(bic), false, {"BIC must be 4+2 letters and 2 or 5 letters or digits (ISO 9362)"}};
}

std::vector<std::string> DateProblems(std::string_view iso, std::string_view today) {
  const std::optional<Date> d = ParseIsoDate(iso);
  if (!d || d->month < 1 || d->month > 12 || d->day < 1 ||
      d->day > DaysInMonth(d->year, d->month)) {
    return {"date " + std::string(iso) + " does not exist"};
  }
  const std::optional<Date> now = ParseIsoDate(today.empty() ? Today() : today);
  const std::string latest = FormatDate({now->year + 1, now->month, now->day});
  if (iso < "1990-01-01" || iso > latest) {
    return {"date " + std::string(iso) + " is implausible (before 1990 or after " + latest + ")"};
  }
  return {};
}

int LatestPlausibleYear(std::string_view today) {
  const std::optional<Date> now = ParseIsoDate(today.empty() ? Today() : today);
  return now->year + 1;
}

std::optional<std::string> IssuedAheadProblem(std::string_view iso, std::string_view today) {
  const std::string now(today.empty() ? Today() : today);
  const std::optional<Date> t = ParseIsoDate(now);
  if (!t) return std::nullopt;
  Date later{t->year + (t->month == 12 ? 1 : 0), t->month % 12 + 1, t->day};
  later.day = std::min(later.day, DaysInMonth(later.year, later.month));
  if (iso <= FormatDate(later)) return std::nullopt;
  return "issued " + std::string(iso) + ", more than a month after today (" + now + ")";
}

std::optional<std::string> TaxProblem(std::optional<int64_t> subtotal, std::optional<int64_t> tax,
                                      std::optional<int64_t> total) {
  if (!tax || *tax <= 0) return std::nullopt;
  if (total && *tax == *total) {
    return "tax " + FormatAmount(*tax) + " is the total " + FormatAmount(*total);
  }
  if (subtotal && *tax >= *subtotal) {
    return "tax " + FormatAmount(*tax) + " is not less than the subtotal " +
           FormatAmount(*subtotal);
  }
  return std::nullopt;
}

std::optional<std::string> SumProblem(std::optional<int64_t> subtotal, std::optional<int64_t> tax,
                                      std::optional<int64_t> total) {
  if (!subtotal || !tax || !total) return std::nullopt;
  // What was due is the total within a cent, or, with cash rounding to 5 cents (Malaysia,
  // Switzerland, Australia...), a total that is a multiple of 5 cents at most 2 cents from it.
  const auto paid = [&](int64_t due) {
    const int64_t off = std::llabs(due - *total);
    return off <= 1 || (*total % 5 == 0 && off <= 2);
  };
  const int64_t sum = *subtotal + *tax;
  if (paid(sum)) return std::nullopt;
  // Prices that include the tax: the subtotal is what was due, the tax printed as part of it.
  if (*tax < *total && paid(*subtotal)) return std::nullopt;
  return "subtotal " + FormatAmount(*subtotal) + " + tax " + FormatAmount(*tax) + " = " +
         FormatAmount(sum) + ", but total is " + FormatAmount(*total);
}

namespace {

bool ItemAddsUp(int64_t quantity, int64_t unit_price, int64_t amount) {
  const int64_t product = (quantity * unit_price + 50) / 100;
  return std::llabs(product - amount) <= 1 + std::llabs(quantity) / 200;
}

std::string DescribeItem(int64_t quantity, int64_t unit_price) {
  return FormatQuantity(quantity) + " x " + FormatAmount(unit_price) + " = " +
         FormatAmount((quantity * unit_price + 50) / 100);
}

}  // namespace

std::optional<std::string> ItemProblem(size_t number, int64_t quantity, int64_t unit_price,
                                       int64_t amount) {
  if (ItemAddsUp(quantity, unit_price, amount)) return std::nullopt;
  return "line item " + std::to_string(number) + ": " + DescribeItem(quantity, unit_price) +
         ", but its amount is " + FormatAmount(amount);
}

std::optional<std::string> LineItemsProblem(const std::vector<int64_t>& amounts,
                                            std::optional<int64_t> subtotal,
                                            std::optional<int64_t> total) {
  if (amounts.empty() || (!subtotal && !total)) return std::nullopt;
  int64_t sum = 0;
  for (int64_t a : amounts) sum += a;
  for (const auto& expected : {subtotal, total}) {
    if (expected && std::llabs(sum - *expected) <= 1) return std::nullopt;
  }
  std::string problem = "line items add up to " + FormatAmount(sum) + ", but";
  if (subtotal) problem += " subtotal is " + FormatAmount(*subtotal);
  if (subtotal && total) problem += " and";
  if (total) problem += " total is " + FormatAmount(*total);
  return problem;
}

namespace {

void Apply(FieldValue& field, CheckResult result) {
  field.value = std::move(result.value);
  field.valid = field.valid && result.valid;
  field.problems.insert(field.problems.end(), result.problems.begin(), result.problems.end());
}

void Fail(FieldValue& field, const std::string& problem) {
  field.valid = false;
  field.problems.push_back(problem);
}

std::optional<int64_t> AmountOf(const std::map<std::string, FieldValue>& fields,
                                const std::string& name) {
  const auto it = fields.find(name);
  if (it == fields.end()) return std::nullopt;
  return ParseAmount(it->second.value, DecimalMark::kDot);
}

std::optional<int64_t> ItemNumber(const nlohmann::json& item, const char* key) {
  if (!item.contains(key) || !item[key].is_string()) return std::nullopt;
  return ParseAmount(item[key].get<std::string>(), DecimalMark::kDot);
}

// Whether OCR could have printed `read` for `actual` (both as formatted): one digit misread
// ("86.00" for "36.00"), or the decimal mark lost, which leaves the digits as a whole number
// ("35" for "3.5", "795.00" for "7.95", "350" for "3.50").
bool PlausibleMisread(std::string read, std::string actual) {
  if (read.size() == actual.size()) {
    size_t differing = 0;
    for (size_t i = 0; i < read.size(); ++i) differing += read[i] != actual[i];
    return differing == 1;
  }
  if (read.ends_with(".00")) read.resize(read.size() - 3);
  std::erase(actual, '.');
  return read.find('.') == std::string::npos && read.starts_with(actual) &&
         read.find_first_not_of('0', actual.size()) == std::string::npos;
}

struct ItemRepair {
  const char* key;  // "quantity" or "unit_price"
  std::string from;
  std::string to;
  int64_t quantity;  // the item once repaired
  int64_t unit_price;
};

// The one misreading of an item's quantity or unit price that, undone, makes quantity times unit
// price its amount; nothing when none or both do.
std::optional<ItemRepair> RepairItem(int64_t quantity, int64_t unit_price, int64_t amount) {
  std::vector<ItemRepair> repairs;
  if (unit_price != 0) {
    const int64_t q = (amount * 100 + unit_price / 2) / unit_price;
    if (ItemAddsUp(q, unit_price, amount) &&
        PlausibleMisread(FormatQuantity(quantity), FormatQuantity(q))) {
      repairs.push_back({"quantity", FormatQuantity(quantity), FormatQuantity(q), q, unit_price});
    }
  }
  if (quantity != 0) {
    const int64_t u = (amount * 100 + quantity / 2) / quantity;
    if (ItemAddsUp(quantity, u, amount) &&
        PlausibleMisread(FormatAmount(unit_price), FormatAmount(u))) {
      repairs.push_back({"unit_price", FormatAmount(unit_price), FormatAmount(u), quantity, u});
    }
  }
  if (repairs.size() != 1) return std::nullopt;
  return repairs.front();
}

// The line items' sum against the subtotal or total, then each item's quantity times unit price.
// Once the sum confirms the amounts, a quantity or unit price that OCR visibly misread is
// repaired, and the repair reported.
void CheckLineItems(FieldValue& field, std::optional<int64_t> subtotal,
                    std::optional<int64_t> total) {
  nlohmann::json items = nlohmann::json::parse(field.value, nullptr, false);
  if (!items.is_array()) return;
  std::vector<int64_t> amounts;
  for (const nlohmann::json& item : items) {
    if (auto amount = ItemNumber(item, "amount")) amounts.push_back(*amount);
  }
  bool amounts_confirmed = false;
  if (amounts.size() == items.size()) {  // with an item lacking its amount, there is no sum
    const auto problem = LineItemsProblem(amounts, subtotal, total);
    if (problem) Fail(field, *problem);
    amounts_confirmed = !problem && (subtotal || total);
  }
  bool repaired = false;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto quantity = ItemNumber(items[i], "quantity");
    const auto unit_price = ItemNumber(items[i], "unit_price");
    const auto amount = ItemNumber(items[i], "amount");
    if (!quantity || !unit_price || !amount) continue;
    const auto problem = ItemProblem(i + 1, *quantity, *unit_price, *amount);
    if (!problem) continue;
    const auto repair =
        amounts_confirmed ? RepairItem(*quantity, *unit_price, *amount) : std::nullopt;
    if (!repair) {
      Fail(field, *problem);
      continue;
    }
    items[i][repair->key] = repair->to;
    field.problems.push_back("line item " + std::to_string(i + 1) + ": repaired " + repair->key +
                             " " + repair->from + " -> " + repair->to + ", as " +
                             DescribeItem(repair->quantity, repair->unit_price));
    repaired = true;
  }
  if (repaired) field.value = items.dump();
}

void CheckAmounts(std::map<std::string, FieldValue>& fields) {
  const auto subtotal = AmountOf(fields, field_name::kSubtotal);
  const auto total = AmountOf(fields, field_name::kTotal);
  const auto tax = AmountOf(fields, field_name::kTaxAmount);
  if (auto problem = TaxProblem(subtotal, tax, total)) {
    Fail(fields[field_name::kTaxAmount], *problem);  // the tax alone is wrong: no sum to check
  } else if (auto problem = SumProblem(subtotal, tax, total)) {
    for (const char* name : {field_name::kSubtotal, field_name::kTaxAmount, field_name::kTotal})
      Fail(fields[name], *problem);
  }
  const auto items = fields.find(field_name::kLineItems);
  if (items != fields.end()) CheckLineItems(items->second, subtotal, total);
}

}  // namespace

void ValidateFields(std::map<std::string, FieldValue>& fields, std::string_view today) {
  for (auto& [name, field] : fields) {
    switch (KindOfField(name)) {
      case FieldKind::kIban: Apply(field, CheckIban(NormalizeIdentifier(field.value))); break;
      case FieldKind::kVatId: Apply(field, CheckVatId(NormalizeIdentifier(field.value))); break;
      case FieldKind::kBic: Apply(field, CheckBic(NormalizeIdentifier(field.value))); break;
      case FieldKind::kDate:
        for (const std::string& problem : DateProblems(field.value, today)) Fail(field, problem);
        break;
      default: break;
    }
  }
  const auto issued = fields.find(field_name::kInvoiceDate);
  const auto due = fields.find(field_name::kDueDate);
  if (issued != fields.end() && due != fields.end() && due->second.value < issued->second.value) {
    Fail(due->second,
         "due date " + due->second.value + " is before the invoice date " + issued->second.value);
  }
  if (issued != fields.end() && issued->second.valid) {
    if (auto problem = IssuedAheadProblem(issued->second.value, today)) {
      Fail(issued->second, *problem);
    }
  }
  CheckAmounts(fields);
}

std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return FormatDate({tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday});
}

}  // namespace quire::extract
