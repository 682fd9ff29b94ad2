#include "normalize.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <regex>
#include <tuple>

#include "text.h"

namespace quire::extract {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// ---- dates ----------------------------------------------------------------------------------

// Folded month names and abbreviations: English, German, French, and Malay for receipts.
const std::map<std::string, int, std::less<>>& MonthNames() {
  static const auto* names = new std::map<std::string, int, std::less<>>{
      {"jan", 1},       {"january", 1},   {"januar", 1},    {"janner", 1},    {"janvier", 1},
      {"janv", 1},      {"januari", 1},   {"feb", 2},       {"february", 2},  {"februar", 2},
      {"fevrier", 2},   {"fevr", 2},      {"fev", 2},       {"februari", 2},  {"mar", 3},
      {"march", 3},     {"marz", 3},      {"maerz", 3},     {"mrz", 3},       {"mars", 3},
      {"mac", 3},       {"apr", 4},       {"april", 4},     {"avril", 4},     {"avr", 4},
      {"may", 5},       {"mai", 5},       {"mei", 5},       {"jun", 6},       {"june", 6},
      {"juni", 6},      {"juin", 6},      {"jul", 7},       {"july", 7},      {"juli", 7},
      {"juillet", 7},   {"juil", 7},      {"julai", 7},     {"aug", 8},       {"august", 8},
      {"aout", 8},      {"ogos", 8},      {"sep", 9},       {"sept", 9},      {"september", 9},
      {"septembre", 9}, {"oct", 10},      {"october", 10},  {"oktober", 10},  {"okt", 10},
      {"octobre", 10},  {"nov", 11},      {"november", 11}, {"novembre", 11}, {"dec", 12},
      {"december", 12}, {"dezember", 12}, {"dez", 12},      {"decembre", 12}, {"disember", 12},
  };
  return *names;
}

std::optional<int> MonthNumber(std::string_view folded) {
  const auto& names = MonthNames();
  const auto it = names.find(folded);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

int ExpandYear(std::string_view digits) {
  const int y = std::stoi(std::string(digits));
  if (digits.size() == 4) return y;
  return y <= 69 ? 2000 + y : 1900 + y;
}

// A day printed as "14", "14th", "1st", "1er".
std::optional<int> DayNumber(std::string_view folded) {
  size_t n = 0;
  while (n < folded.size() && IsDigit(folded[n])) ++n;
  if (n == 0 || n > 2) return std::nullopt;
  const std::string_view suffix = folded.substr(n);
  if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th" &&
      suffix != "er") {
    return std::nullopt;
  }
  const int day = std::stoi(std::string(folded.substr(0, n)));
  if (day < 1 || day > 31) return std::nullopt;
  return day;
}

bool IsYear(std::string_view s) { return AllDigits(s) && (s.size() == 2 || s.size() == 4); }

// The text between two tokens of one date: a little punctuation and space.
std::string_view Gap(std::string_view text, const Token& a, const Token& b) {
  return text.substr(a.end, b.begin - a.end);
}

bool IsNamedDateGap(std::string_view gap) {
  if (gap.size() > 3) return false;
  for (char c : gap) {
    if (c != ' ' && c != '.' && c != ',' && c != '-' && c != '/' && c != '\'') return false;
  }
  return true;
}

// The single separator of a numeric date ("/", ".", "-"), allowing a space either side.
char NumericDateSeparator(std::string_view gap) {
  const std::string_view s = Trim(gap);
  if (s.size() != 1 || gap.size() > 3) return 0;
  return (s[0] == '/' || s[0] == '.' || s[0] == '-') ? s[0] : 0;
}

// The marks of a separator of a numeric date as OCR garbles it: one or two of "/.-", with spaces
// around or between them, "~" read for "-" and "°" for "/"; empty when `gap` is no such thing.
std::string GarbledMarks(std::string_view gap) {
  if (gap.size() > 5) return "";
  std::string marks;
  for (size_t i = 0; i < gap.size(); ++i) {
    if (gap.compare(i, 2, "\xC2\xB0") == 0) {
      marks += '/';
      ++i;
    } else if (gap[i] == '~') {
      marks += '-';
    } else if (gap[i] == '/' || gap[i] == '.' || gap[i] == '-') {
      marks += gap[i];
    } else if (gap[i] != ' ') {
      return "";
    }
  }
  return marks.size() <= 2 ? marks : "";
}

// Whether a time of day ("18:47", "9:05") follows at the start of `rest`, after a space.
bool TimeFollows(std::string_view rest) {
  static const std::regex kTime(R"(^ +\d{1,2}:\d{2}\b)");
  return std::regex_search(rest.begin(), rest.end(), kTime);
}

// Whether the gaps around the middle part of a numeric date fit: the same separator twice; or,
// before a four-digit year, separators as OCR garbles them and a space for the second (receipts
// print "18-06 2018"; OCR reads "20~-06- 2018", "5°3/2018"); or, before a time of day, one
// separator garbled alike in both gaps ("25- -03-18 18:47", where "30-12.00 18:00" is a range).
bool NumericDateGaps(std::string_view gap1, std::string_view gap2, std::string_view year,
                     std::string_view rest) {
  const char sep = NumericDateSeparator(gap1);
  if (sep != 0 && sep == NumericDateSeparator(gap2)) return true;
  const std::string marks1 = GarbledMarks(gap1);
  const std::string marks2 = GarbledMarks(gap2);
  if (marks1.empty()) return false;
  if (year.size() == 4) return !marks2.empty() || gap2 == " ";
  const std::string marks = marks1 + marks2;
  return !marks2.empty() && marks.find_first_not_of(marks[0]) == std::string::npos &&
         TimeFollows(rest);
}

// The first year a misread one may be: no document bears a year from 2100 on.
constexpr int kImpossibleYear = 2100;
// No document that quire reads bears a year before this one.
constexpr int kFirstPlausibleYear = 1990;

// A year OCR misread as 2100-2999 ("2817", "2618"): its second digit was a 0.
std::optional<std::string> RepairedYear(int year) {
  if (year < kImpossibleYear || year > 2999) return std::nullopt;
  return "read the year " + std::to_string(year) + " as " + std::to_string(2000 + year % 100) +
         " (OCR misreads 0)";
}

std::optional<Date> NumericDate(std::string_view a, std::string_view b, std::string_view c,
                                DateOrder order) {
  if (!AllDigits(a) || !AllDigits(b) || !AllDigits(c) || b.size() > 2) return std::nullopt;
  const int x = std::stoi(std::string(a));
  const int y = std::stoi(std::string(b));
  if (a.size() == 4 || (order == DateOrder::kYMD && a.size() == 2 && c.size() <= 2)) {
    if (c.size() > 2) return std::nullopt;
    return Date{ExpandYear(a), y, std::stoi(std::string(c))};
  }
  if (a.size() > 2 || !IsYear(c)) return std::nullopt;
  const int year = ExpandYear(c);
  // A part above 12 cannot be a month, whatever the document's convention.
  const bool dmy = x > 12 || (order != DateOrder::kMDY && y <= 12);
  return dmy ? Date{year, y, x} : Date{year, x, y};
}

bool Plain(const Date& d) { return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31; }

// The digits OCR reads for others (read, printed), each seen at least ten times in the words of
// sroie-train's receipts (extract/model/lexicon.txt, "confusion" lines).
constexpr std::pair<char, char> kDigitMisreads[] = {
    {'6', '0'}, {'9', '0'}, {'4', '6'}, {'6', '5'}, {'4', '1'}, {'8', '0'}, {'6', '8'},
    {'8', '5'}, {'8', '6'}, {'5', '3'}, {'5', '6'}, {'3', '8'}, {'9', '8'}, {'3', '5'},
    {'7', '1'}, {'9', '5'}, {'3', '9'}, {'2', '1'}, {'1', '7'}};

// A numeric date whose day or month cannot be ("12-62-2018", "40/03/2018") read with one of
// OCR's digit misreads undone, when exactly one such reading is a date; with what was repaired.
std::optional<std::pair<Date, std::string>> RepairedDayMonth(const std::string& a,
                                                             const std::string& b,
                                                             const std::string& c,
                                                             DateOrder order) {
  std::optional<std::pair<Date, std::string>> found;
  for (int part = 0; part < 2; ++part) {
    const std::string& printed = part == 0 ? a : b;
    if (printed.size() > 2) continue;  // a year
    for (size_t i = 0; i < printed.size(); ++i) {
      for (const auto& [read, meant] : kDigitMisreads) {
        if (printed[i] != read) continue;
        std::string repaired = printed;
        repaired[i] = meant;
        const std::optional<Date> date =
            part == 0 ? NumericDate(repaired, b, c, order) : NumericDate(a, repaired, c, order);
        if (!date || !Plain(*date)) continue;
        // Read in the document's order: a repair that only makes sense swapped is no repair.
        if (order == DateOrder::kDMY && a.size() <= 2 &&
            date->day != std::stoi(part == 0 ? repaired : a)) {
          continue;
        }
        if (found && FormatDate(found->first) != FormatDate(*date)) return std::nullopt;
        found = {{*date, "read " + printed + " as " + repaired + " (OCR misreads " + meant + ")"}};
      }
    }
  }
  return found;
}

// A year after `latest_year` (and before 2100, which RepairedYear reads) that no document bears
// yet, with one of OCR's digit misreads undone in its last two digits ("2078": 7 for 1), when
// exactly one such reading is a year from 1990 to `latest_year`; with what was repaired.
std::optional<std::pair<int, std::string>> RepairedFutureYear(int year, int latest_year) {
  if (year <= latest_year || year >= kImpossibleYear) return std::nullopt;
  const std::string printed = std::to_string(year);
  std::optional<std::pair<int, std::string>> found;
  for (size_t i = 2; i < printed.size(); ++i) {
    for (const auto& [read, meant] : kDigitMisreads) {
      if (printed[i] != read) continue;
      std::string repaired = printed;
      repaired[i] = meant;
      const int y = std::stoi(repaired);
      if (y < kFirstPlausibleYear || y > latest_year) continue;
      if (found && found->first != y) return std::nullopt;
      found = {y, "read the year " + printed + " as " + repaired + " (OCR misreads " + meant + ")"};
    }
  }
  return found;
}

}  // namespace

FieldKind KindOfField(std::string_view field) {
  static const auto* kinds = new std::map<std::string_view, FieldKind>{
      {field_name::kInvoiceNumber, FieldKind::kIdentifier},
      {field_name::kPoNumber, FieldKind::kIdentifier},
      {field_name::kInvoiceDate, FieldKind::kDate},
      {field_name::kDueDate, FieldKind::kDate},
      {field_name::kSubtotal, FieldKind::kAmount},
      {field_name::kTaxAmount, FieldKind::kAmount},
      {field_name::kTotal, FieldKind::kAmount},
      {field_name::kCurrency, FieldKind::kCurrency},
      {field_name::kIban, FieldKind::kIban},
      {field_name::kBic, FieldKind::kBic},
      {field_name::kVatId, FieldKind::kVatId},
  };
  const auto it = kinds->find(field);
  return it == kinds->end() ? FieldKind::kText : it->second;
}

std::string FormatDate(const Date& date) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

std::optional<Date> ParseIsoDate(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  const std::string_view y = iso.substr(0, 4), m = iso.substr(5, 2), d = iso.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return std::nullopt;
  return Date{std::stoi(std::string(y)), std::stoi(std::string(m)), std::stoi(std::string(d))};
}

// Tokens, with letters split from digits that follow them: OCR glues a date to its label
// ("Date:11/03/18" read as "Dater11/03/18"); and a year from the label after it
// ("21/05/2018TIME:").
// A day's or month's two characters with a letter OCR read for a digit ("O1" in "25-O1-16"),
// before a date separator: the digits; empty when `t` is none.
std::string LookAlikeDigits(std::string_view text, const Token& t) {
  static constexpr std::pair<char, char> kLookAlikes[] = {
      {'o', '0'}, {'d', '0'}, {'q', '0'}, {'i', '1'}, {'l', '1'}, {'z', '2'}, {'b', '8'}};
  if (t.folded.size() != 2 || t.end - t.begin != 2) return "";
  const auto separator = [&](size_t at) {
    return at < text.size() && (text[at] == '/' || text[at] == '-' || text[at] == '.');
  };
  const bool starts = t.begin == 0 || text[t.begin - 1] == ' ' || separator(t.begin - 1);
  if (!starts || !separator(t.end)) return "";
  std::string digits;
  int letters = 0;
  for (char c : t.folded) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
      continue;
    }
    const auto* it = std::find_if(std::begin(kLookAlikes), std::end(kLookAlikes),
                                  [&](const auto& p) { return p.first == c; });
    if (it == std::end(kLookAlikes)) return "";
    digits += it->second;
    ++letters;
  }
  return letters == 1 ? digits : "";
}

std::vector<Token> DateTokens(std::string_view text) {
  std::vector<Token> out;
  for (Token& t : Tokenize(text)) {
    if (std::string digits = LookAlikeDigits(text, t); !digits.empty()) {
      out.push_back({t.begin, t.end, std::move(digits)});
      continue;
    }
    const size_t letter = t.folded.find_first_not_of("0123456789");
    if (letter == 4 && t.end - t.begin == t.folded.size() && t.folded.size() >= 6 &&
        t.folded.find_first_of("0123456789", letter) == std::string::npos) {
      out.push_back({t.begin, t.begin + letter, t.folded.substr(0, letter)});
      out.push_back({t.begin + letter, t.end, t.folded.substr(letter)});
      continue;
    }
    const size_t digit = t.folded.find_first_of("0123456789");
    const bool glued = digit != std::string::npos && digit > 0 &&
                       t.folded.find_first_not_of("0123456789", digit) == std::string::npos &&
                       t.end - t.begin == t.folded.size();
    if (!glued) {
      out.push_back(std::move(t));
      continue;
    }
    out.push_back({t.begin, t.begin + digit, t.folded.substr(0, digit)});
    out.push_back({t.begin + digit, t.end, t.folded.substr(digit)});
  }
  return out;
}

std::vector<TextMatch> FindDates(std::string_view text, DateOrder order) {
  return FindDates(text, order, kImpossibleYear - 1);
}

std::vector<TextMatch> FindDates(std::string_view text, DateOrder order, int latest_year) {
  const std::vector<Token> t = DateTokens(text);
  std::vector<TextMatch> out;
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    const std::string& a = t[i].folded;
    const std::string& b = t[i + 1].folded;
    const std::string& c = t[i + 2].folded;
    const std::string_view gap1 = Gap(text, t[i], t[i + 1]);
    const std::string_view gap2 = Gap(text, t[i + 1], t[i + 2]);
    const std::string_view rest = text.substr(t[i + 2].end);
    std::optional<Date> date;
    std::string repair;
    if (NumericDateGaps(gap1, gap2, c, rest)) {
      date = NumericDate(a, b, c, order);
      if (date && !Plain(*date)) {
        const auto repaired = RepairedDayMonth(a, b, c, order);
        if (repaired) std::tie(date, repair) = *repaired;
      }
    }
    if (!date && IsNamedDateGap(gap1) && IsNamedDateGap(gap2) && IsYear(c)) {
      const auto day_month = DayNumber(a);    // 14 Mar 2024
      const auto month_day = MonthNumber(a);  // March 14, 2024
      if (day_month && MonthNumber(b)) date = Date{ExpandYear(c), *MonthNumber(b), *day_month};
      if (month_day && DayNumber(b)) date = Date{ExpandYear(c), *month_day, *DayNumber(b)};
    }
    if (!date || !Plain(*date)) continue;
    if (const std::optional<std::string> year = RepairedYear(date->year)) {
      repair += (repair.empty() ? "" : "; ") + *year;
      date->year = 2000 + date->year % 100;
    } else if (const auto year = RepairedFutureYear(date->year, latest_year)) {
      repair += (repair.empty() ? "" : "; ") + year->second;
      date->year = year->first;
    }
    out.push_back({t[i].begin, t[i + 2].end, FormatDate(*date), std::move(repair)});
    i += 2;
  }
  return out;
}

std::optional<std::string> NormalizeDate(std::string_view text, DateOrder order) {
  std::vector<TextMatch> dates = FindDates(text, order);
  if (dates.empty()) return std::nullopt;
  return dates.front().value;
}

std::optional<DateOrder> SettledDateOrder(const std::vector<std::string_view>& texts) {
  bool dmy = false;
  bool mdy = false;
  for (std::string_view text : texts) {
    const std::vector<Token> t = Tokenize(text);
    for (size_t i = 0; i + 2 < t.size(); ++i) {
      const char sep = NumericDateSeparator(Gap(text, t[i], t[i + 1]));
      if (sep == 0 || sep != NumericDateSeparator(Gap(text, t[i + 1], t[i + 2]))) continue;
      const std::string& a = t[i].folded;
      const std::string& b = t[i + 1].folded;
      if (!AllDigits(a) || !AllDigits(b) || a.size() > 2 || b.size() > 2 ||
          !IsYear(t[i + 2].folded)) {
        continue;
      }
      const int x = std::stoi(a), y = std::stoi(b);
      if (x > 12 && x <= 31 && y >= 1 && y <= 12) dmy = true;
      if (y > 12 && y <= 31 && x >= 1 && x <= 12) mdy = true;
    }
  }
  if (dmy == mdy) return std::nullopt;
  return dmy ? DateOrder::kDMY : DateOrder::kMDY;
}

// ---- amounts --------------------------------------------------------------------------------

namespace {

// Three-letter or local codes and what they stand for; matched as folded tokens.
const std::map<std::string, std::string, std::less<>>& CurrencyCodes() {
  static const auto* codes = new std::map<std::string, std::string, std::less<>>{
      {"eur", "EUR"}, {"euro", "EUR"}, {"euros", "EUR"}, {"usd", "USD"}, {"gbp", "GBP"},
      {"myr", "MYR"}, {"rm", "MYR"},   {"chf", "CHF"},   {"sgd", "SGD"}, {"jpy", "JPY"},
      {"aud", "AUD"}, {"cad", "CAD"},  {"sek", "SEK"},   {"dkk", "DKK"}, {"nok", "NOK"},
      {"pln", "PLN"}, {"czk", "CZK"},  {"inr", "INR"},   {"cny", "CNY"},
  };
  return *codes;
}

struct CurrencySymbol {
  std::string_view symbol;
  std::string_view code;
};
constexpr std::array<CurrencySymbol, 4> kCurrencySymbols = {{
    {"\xE2\x82\xAC", "EUR"},  // €
    {"\xC2\xA3", "GBP"},      // £
    {"\xC2\xA5", "JPY"},      // ¥
    {"$", "USD"},
}};

// The code of a currency token: "eur", or a code glued to an amount ("rm12").
std::optional<std::string> CurrencyOfToken(std::string_view folded) {
  size_t letters = 0;
  while (letters < folded.size() && !IsDigit(folded[letters])) ++letters;
  const auto& codes = CurrencyCodes();
  const auto it = codes.find(folded.substr(0, letters));
  if (it == codes.end()) return std::nullopt;
  return it->second;
}

// A run of digits and separators as printed: "1 234,56" is groups {1, 234, 56} and seps " ,".
struct NumberRun {
  size_t begin = 0;
  size_t end = 0;
  std::vector<std::string_view> groups;
  std::string seps;
};

bool IsGroupSeparator(char c) { return c == '.' || c == ',' || c == '\'' || c == ' '; }

// OCR often reads a space after a decimal mark ("73. 00"): a mark, one space and exactly two
// digits are read as decimals.
bool OcrSpacedDecimals(std::string_view text, size_t i) {
  if (i + 3 >= text.size() || (text[i] != '.' && text[i] != ',') || text[i + 1] != ' ') {
    return false;
  }
  return IsDigit(text[i + 2]) && IsDigit(text[i + 3]) &&
         (i + 4 == text.size() || !IsDigit(text[i + 4]));
}

NumberRun ScanNumber(std::string_view text, size_t begin) {
  NumberRun run;
  run.begin = begin;
  size_t i = begin;
  while (true) {
    const size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    run.groups.push_back(text.substr(start, i - start));
    run.end = i;
    if (OcrSpacedDecimals(text, i)) {
      run.seps += text[i];
      i += 2;
      continue;
    }
    if (i + 1 >= text.size() || !IsGroupSeparator(text[i]) || !IsDigit(text[i + 1])) break;
    if (text[i] == ' ') {
      // A space groups thousands only before exactly three digits, and never after the
      // decimals ("95,00 380,00" is two amounts).
      if (run.seps.find_first_of(".,") != std::string::npos) break;
      size_t k = i + 1;
      while (k < text.size() && IsDigit(text[k])) ++k;
      if (k - (i + 1) != 3) break;
    }
    run.seps += text[i];
    ++i;
  }
  return run;
}

// Cents of a run whose decimal mark is `mark` (0: none), or nullopt when the grouping does not fit.
std::optional<AmountMatch> Interpret(const NumberRun& run, char mark) {
  const size_t n = run.groups.size();
  const bool has_decimals = mark != 0 && !run.seps.empty() && run.seps.back() == mark;
  const size_t integer_groups = has_decimals ? n - 1 : n;
  std::string integer;
  for (size_t g = 0; g < integer_groups; ++g) {
    if (g > 0) {
      if (run.groups[g].size() != 3 || run.seps[g - 1] == mark) return std::nullopt;
      if (g > 1 && run.seps[g - 1] != run.seps[0]) return std::nullopt;
    }
    integer += run.groups[g];
  }
  if (integer_groups > 1 && run.groups[0].size() > 3) return std::nullopt;
  if (integer.size() > 12) return std::nullopt;
  AmountMatch m{run.begin, run.end, std::stoll(integer) * 100, 0};
  if (has_decimals) {
    std::string_view decimals = run.groups[n - 1];
    if (decimals.size() > 3) return std::nullopt;
    int cents = 0;
    for (size_t d = 0; d < 3; ++d) {
      cents = cents * 10 + (d < decimals.size() ? decimals[d] - '0' : 0);
    }
    m.cents += (cents + 5) / 10;  // a third decimal rounds half up
    m.decimal = mark;
  }
  return m;
}

// The decimal mark of a run when the document does not say: the last separator, unless it
// is the only one and three digits follow it ("1.234" groups thousands).
char GuessMark(const NumberRun& run) {
  if (run.seps.empty()) return 0;
  const char last = run.seps.back();
  if (last == ' ' || last == '\'') return 0;
  const bool single_kind = run.seps.find_first_not_of(last) == std::string::npos;
  if (single_kind && (run.seps.size() > 1 || run.groups.back().size() == 3)) return 0;
  return last;
}

std::optional<AmountMatch> InterpretRun(const NumberRun& run, DecimalMark mark) {
  if (mark != DecimalMark::kAuto) {
    auto m = Interpret(run, mark == DecimalMark::kDot ? '.' : ',');
    if (m) return m;
  }
  return Interpret(run, GuessMark(run));
}

// Whether the letters right before `pos` are a currency code ("RM12.00", "EUR12").
bool CurrencyBefore(std::string_view text, size_t pos) {
  size_t start = pos;
  while (start > 0 && IsAlpha(text[start - 1])) --start;
  if (start == pos) return false;
  return CurrencyOfToken(FoldCaseAndAccents(text.substr(start, pos - start))).has_value();
}

// Whether the run at [begin, end) is part of a date, a time, an identifier or a percentage.
bool PartOfSomethingElse(std::string_view text, size_t begin, size_t end) {
  if (begin > 0) {
    const char before = text[begin - 1];
    // A currency code abbreviated with a dot: "RM.34.80".
    if (before == '.' && CurrencyBefore(text, begin - 1)) return false;
    if (IsDigit(before) || before == '/' || before == ':' || before == '.' || before == ',') {
      return true;
    }
    if (IsAlpha(before) && !CurrencyBefore(text, begin)) return true;
    if (before == '-' && begin > 1 && (IsDigit(text[begin - 2]) || IsAlpha(text[begin - 2]))) {
      return true;
    }
  }
  size_t after = end;
  if (after < text.size() && (text[after] == '/' || text[after] == ':')) return true;
  if (after + 1 < text.size() && (text[after] == '.' || text[after] == ',' || text[after] == '-') &&
      IsDigit(text[after + 1])) {
    return true;
  }
  while (after < text.size() && text[after] == ' ' && after < end + 1) ++after;
  return after < text.size() && text[after] == '%';
}

// OCR misses the decimal point of an amount that ends a line ("Total Incl GST 6 00"): a
// number of up to four digits, one space and two digits there read as an amount with decimals
// in the dot convention, on a line that shows no decimal point otherwise.
std::optional<AmountMatch> PointMissed(std::string_view text, const NumberRun& run,
                                       DecimalMark mark) {
  const size_t end = run.end + 3;
  if (mark == DecimalMark::kComma || !run.seps.empty() || run.groups[0].size() > 4 ||
      end > text.size() || text[run.end] != ' ' || !IsDigit(text[run.end + 1]) ||
      !IsDigit(text[run.end + 2]) || !Trim(text.substr(end)).empty() ||
      text.find('.') != std::string_view::npos || PartOfSomethingElse(text, run.begin, run.end)) {
    return std::nullopt;
  }
  const int64_t cents = std::stoll(std::string(run.groups[0])) * 100 +
                        std::stoll(std::string(text.substr(run.end + 1, 2)));
  return AmountMatch{run.begin, end, cents, '.'};
}

}  // namespace

std::vector<AmountMatch> FindAmounts(std::string_view text, DecimalMark mark) {
  std::vector<AmountMatch> out;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    NumberRun run = ScanNumber(text, i);
    if (const std::optional<AmountMatch> m = PointMissed(text, run, mark)) {
      out.push_back(*m);
      i = m->end;
      continue;
    }
    // A space groups thousands only in the comma-decimal convention ("1 234,56").
    const size_t space = run.seps.find(' ');
    if (space != std::string::npos && !(run.seps.back() == ',' && mark != DecimalMark::kDot)) {
      run.groups.resize(space + 1);
      run.seps.resize(space);
      run.end =
          static_cast<size_t>(run.groups.back().data() + run.groups.back().size() - text.data());
    }
    i = run.end;
    if (PartOfSomethingElse(text, run.begin, run.end)) continue;
    std::optional<AmountMatch> m = InterpretRun(run, mark);
    if (!m) continue;
    if (run.begin > 0 && text[run.begin - 1] == '-') {
      m->begin = run.begin - 1;
      m->cents = -m->cents;
    }
    out.push_back(*m);
  }
  return out;
}

std::optional<int64_t> ParseAmount(std::string_view text, DecimalMark mark) {
  const std::vector<AmountMatch> amounts = FindAmounts(text, mark);
  if (amounts.empty()) return std::nullopt;
  return amounts.front().cents;
}

std::string FormatAmount(int64_t cents) {
  const int64_t magnitude = cents < 0 ? -cents : cents;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s%lld.%02lld", cents < 0 ? "-" : "",
                static_cast<long long>(magnitude / 100), static_cast<long long>(magnitude % 100));
  return buf;
}

std::string FormatQuantity(int64_t hundredths) {
  if (hundredths % 100 == 0) return std::to_string(hundredths / 100);
  std::string s = FormatAmount(hundredths);
  if (s.back() == '0') s.pop_back();
  return s;
}

std::optional<std::string> NormalizeAmount(std::string_view text, DecimalMark mark) {
  const auto cents = ParseAmount(text, mark);
  if (!cents) return std::nullopt;
  return FormatAmount(*cents);
}

DecimalMark SettledDecimalMark(const std::vector<std::string_view>& texts) {
  int dot = 0;
  int comma = 0;
  for (std::string_view text : texts) {
    for (const AmountMatch& m : FindAmounts(text, DecimalMark::kAuto)) {
      if (m.end - m.begin < 3 || text[m.end - 3] != m.decimal) continue;  // two decimals only
      (m.decimal == '.' ? dot : comma)++;
    }
  }
  if (dot > 2 * comma) return DecimalMark::kDot;
  if (comma > 2 * dot) return DecimalMark::kComma;
  return DecimalMark::kAuto;
}

// ---- currencies and identifiers -------------------------------------------------------------

std::vector<TextMatch> FindCurrencies(std::string_view text) {
  std::vector<TextMatch> out;
  for (const Token& t : Tokenize(text)) {
    if (auto code = CurrencyOfToken(t.folded)) {
      const size_t letters = t.folded.find_first_of("0123456789");
      const size_t end = letters == std::string::npos ? t.end : t.begin + letters;
      out.push_back({t.begin, end, *code});
    }
  }
  for (const CurrencySymbol& s : kCurrencySymbols) {
    for (size_t pos = text.find(s.symbol); pos != std::string_view::npos;
         pos = text.find(s.symbol, pos + 1)) {
      // OCR reads "$" into many things ("S$" for "SR"); it names a currency only before an amount.
      const size_t next = text.find_first_not_of(' ', pos + s.symbol.size());
      if (s.symbol == "$" && (next == std::string_view::npos || !IsDigit(text[next]))) continue;
      out.push_back({pos, pos + s.symbol.size(), std::string(s.code)});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const TextMatch& a, const TextMatch& b) { return a.begin < b.begin; });
  return out;
}

std::optional<std::string> NormalizeCurrency(std::string_view text) {
  std::vector<TextMatch> found = FindCurrencies(text);
  if (found.empty()) return std::nullopt;
  return found.front().value;
}

std::string NormalizeIdentifier(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::optional<std::string> NormalizeValue(FieldKind kind, std::string_view text, DateOrder order,
                                          DecimalMark mark) {
  switch (kind) {
    case FieldKind::kDate: return NormalizeDate(text, order);
    case FieldKind::kAmount: return NormalizeAmount(text, mark);
    case FieldKind::kCurrency: return NormalizeCurrency(text);
    case FieldKind::kIban:
    case FieldKind::kBic:
    case FieldKind::kVatId: {
      std::string id = NormalizeIdentifier(text);
      if (id.empty()) return std::nullopt;
      return id;
    }
    case FieldKind::kText:
    case FieldKind::kIdentifier: break;
  }
  const std::string_view trimmed = Trim(text);
  if (trimmed.empty()) return std::nullopt;
  return std::string(trimmed);
}

}  // namespace quire::extract
