// Who sent the document and to whom: the vendor from the top of the first page (its most
// company-like line, then the address lines under it), the customer from a "Bill to" label.
#include <algorithm>
#include <cctype>
#include <regex>

#include "builtin_fields.h"
#include "quire/common/edit_distance.h"

namespace quire::extract {
namespace {

// Legal forms: a line with one is a company name.
constexpr std::string_view kLegalForms[] = {
    "sdn bhd",     "sdn",  "bhd", "berhad", "s b", "ltd", "limited", "llc",  "inc", "corp",
    "corporation", "gmbh", "ag",  "kg",     "ohg", "ug",  "e k",     "sarl", "sas", "sa",
    "eurl",        "plc",  "bv",  "nv",     "srl", "spa", "oy",      "ab",   "as"};
// Trade words: a line with one is probably a shop's name (with the generic business words that
// two or more vendors of sroie-train print in their names, Malay "syarikat" and "perniagaan" too).
constexpr std::string_view kTradeWords[] = {
    "enterprise", "enterprises", "trading",    "company",   "restaurant",  "restoran",
    "mart",       "hardware",    "bakery",     "bakeries",  "supermarket", "pharmacy",
    "farmasi",    "stationery",  "store",      "stores",    "shop",        "cafe",
    "kedai",      "pasar",       "pasaraya",   "bookstore", "bookstores",  "petrol",
    "station",    "syarikat",    "perniagaan", "holdings",  "marketing",   "services",
    "market",     "electrical",  "books"};
// Tokens that may stand beside a legal form without naming anyone: "CO. (M) SDN BHD".
constexpr std::string_view kLegalFiller[] = {"co",   "m",      "s",   "b",       "sdn",
                                             "bhd",  "berhad", "ltd", "limited", "inc",
                                             "gmbh", "ag",     "kg",  "sa",      "sarl"};

// Lines that are neither the vendor's name nor its address: contact details, tax and company
// registration numbers, titles and document details.
constexpr std::string_view kNotAddress[] = {
    "tel",       "telephone",    "phone",        "fax",      "hp",         "email",
    "e mail",    "www",          "http",         "https",    "gst",        "vat",
    "ust",       "reg",          "registration", "roc",      "company no", "co no",
    "date",      "datum",        "invoice",      "rechnung", "facture",    "receipt",
    "cash bill", "tax invoice",  "bill to",      "page",     "cashier",    "mobile",
    "website",   "steuernummer", "siret",        "siren",    "tva",        "hrb"};

// Words that name a street, a building or a floor: a line with one may start an address without
// a number ("3RD FLR, AEON TAMAN MALURI" read "SRO FLR, AEON TAMAN MALURI").
constexpr std::string_view kStreetWords[] = {
    "jalan",  "jln",   "taman",     "tmn",      "lorong",   "persiaran", "lebuh", "kampung",
    "street", "road",  "avenue",    "floor",    "flr",      "level",     "unit",  "blok",
    "blk",    "wisma", "bangunan",  "plaza",    "kompleks", "strasse",   "str",   "platz",
    "weg",    "rue",   "boulevard", "building", "suite"};

// Titles printed above or beside the vendor that are not its name.
constexpr std::string_view kNotName[] = {
    "welcome",   "official",  "copy",     "original", "bill",      "quotation", "order",
    "statement", "delivery",  "sale",     "sales",    "receipt",   "invoice",   "rechnung",
    "facture",   "kassenbon", "quittung", "tax",      "simplified"};

// The share of the first page's height searched for the vendor.
constexpr double kVendorTop = 0.4;
// Lines OCR read with less confidence than this are logos and noise, not a name or an address.
constexpr double kLegibleName = 0.5;
constexpr double kLegibleAddress = 0.3;
// How far apart two lines of a name or an address may be, in text heights.
constexpr double kLineGap = 1.6;
constexpr int kMaxAddressLines = 5;
// Lines of registration and tax numbers that may stand between a name and its address.
constexpr int kMaxSkippedLines = 3;
// How far below the name its address may start (after a slogan), in text heights.
constexpr double kStartGap = 4;

template <size_t N>
bool HasAny(const std::vector<Token>& tokens, const std::string_view (&phrases)[N]) {
  return std::any_of(std::begin(phrases), std::end(phrases), [&](std::string_view phrase) {
    return ContainsPhrase(tokens, FoldedTokens(phrase));
  });
}

template <size_t N>
bool IsOneOf(const std::string& folded, const std::string_view (&words)[N]) {
  return std::find(std::begin(words), std::end(words), folded) != std::end(words);
}

int Letters(std::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80);
  }));
}

int Digits(std::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  }));
}

int NonSpace(std::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) { return c != ' '; }));
}

bool IsUpperCase(std::string_view text) {
  const auto lower = std::count_if(
      text.begin(), text.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
  const auto upper = std::count_if(
      text.begin(), text.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  return upper > 3 * lower;
}

// OCR debris at the edge of an upper-case name: a short lower-case word of its own ("oo", "ie"),
// not a letter joined to the text ("U13/x").
bool IsDebris(std::string_view line_text, const Token& t) {
  const std::string_view word = line_text.substr(t.begin, t.end - t.begin);
  const bool alone = (t.begin == 0 || line_text[t.begin - 1] == ' ') &&
                     (t.end == line_text.size() || line_text[t.end] == ' ');
  return alone && word.size() <= 2 && std::all_of(word.begin(), word.end(), [](char c) {
           return std::islower(static_cast<unsigned char>(c));
         });
}

// Whether token `t` of `line` starts with an upper-case letter.
bool Capitalized(const Line& line, size_t t) {
  return std::isupper(static_cast<unsigned char>(line.text[line.tokens[t].begin])) != 0;
}

// Tokens [first, last) of `line` without OCR debris at its end, and at its start where a
// lower-case word stands out (in an upper-case line, or before a capitalised word: a logo read
// as "al Harrington"), as byte offsets; the punctuation that belongs to the text stays ("SDN.
// BHD.", "(M)", "HARDWARE &", "JOHOR,").
std::pair<size_t, size_t> TrimmedSpan(const Line& line, size_t first, size_t last) {
  const bool upper = IsUpperCase(line.text);
  while (first + 1 < last && IsDebris(line.text, line.tokens[first]) &&
         (upper || Capitalized(line, first + 1))) {
    ++first;
  }
  while (last > first && IsDebris(line.text, line.tokens[last - 1])) --last;
  if (first >= last) return {0, 0};
  size_t end = line.tokens[last - 1].end;
  while (end < line.text.size() &&
         (line.text[end] == '.' || line.text[end] == ')' || line.text[end] == '&' ||
          line.text[end] == ',' || line.text[end] == ' ')) {
    ++end;
  }
  while (end > 0 && line.text[end - 1] == ' ') --end;
  return {line.tokens[first].begin, end};
}

// Whether the word of token `t` is much taller than the word of token `t + 1`: a logo beside a
// name is drawn larger than its letters.
bool TallerThanNext(const Line& line, size_t t) {
  const size_t word = line.WordAt(line.tokens[t].begin);
  const size_t next = line.WordAt(line.tokens[t + 1].begin);
  return word != next && line.words[word].box.h > 1.3 * line.words[next].box.h;
}

// The first token after a logo that OCR read as a few letters, cut off from the name by a glyph
// no name has ("a» Cascade", "all | Harrington") or drawn taller than it ("L Boulangerie").
size_t AfterLogo(const Line& line, size_t last) {
  static constexpr std::string_view kLogoGlyphs[] = {"|", ";", ":", "~", "*", "\xC2\xBB"};
  size_t first = 0;
  for (size_t t = 0; t + 1 < last && line.tokens[t].folded.size() <= 3; ++t) {
    const std::string_view gap(line.text.data() + line.tokens[t].end,
                               line.tokens[t + 1].begin - line.tokens[t].end);
    // Whole glyphs, not bytes: "¥" shares its first byte with "»".
    const bool cut =
        std::any_of(std::begin(kLogoGlyphs), std::end(kLogoGlyphs),
                    [&](std::string_view glyph) { return gap.find(glyph) != gap.npos; });
    if (cut || TallerThanNext(line, t)) first = t + 1;
  }
  return first;
}

// The separators of a letterhead or sender line: "ACME GmbH · Hauptstr. 5 · 10115 Berlin".
constexpr std::string_view kPartSeparators[] = {" - ", " \xC2\xB7 ",     " \xE2\x80\xA2 ", " | ",
                                                " : ", " \xE2\x80\x94 ", " \xE2\x80\x93 "};

// The parts of a one-line address, as byte ranges of the line.
std::vector<std::pair<size_t, size_t>> AddressParts(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> parts;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.size();
    size_t next = text.size();
    for (std::string_view sep : kPartSeparators) {
      const size_t at = text.find(sep, begin);
      if (at != std::string::npos && at < end) {
        end = at;
        next = at + sep.size();
      }
    }
    parts.emplace_back(begin, end);
    begin = next;
  }
  return parts;
}

// The byte offset where the first part of a letterhead or sender line ends: the whole text
// when it has a single part.
size_t FirstPartEnd(const std::string& text) {
  const auto parts = AddressParts(text);
  return parts.empty() ? text.size() : parts.front().second;
}

// The name as printed on `line`: without the registration number printed after it ("ACME SDN
// BHD (123456-X)", "KING'S CONFECTIONERY S/B 273500-U"), without the address a sender line
// prints after it ("ACME GmbH · Hauptstr. 5") and without OCR debris and logos around it.
std::pair<size_t, size_t> NameSpan(const Line& line) {
  const size_t part_end = FirstPartEnd(line.text);
  size_t last = line.tokens.size();  // one past
  for (size_t t = 0; t < line.tokens.size(); ++t) {
    if (Digits(line.tokens[t].folded) >= 4 || line.tokens[t].begin > part_end) {
      last = t;
      break;
    }
  }
  for (size_t open = line.text.find('('); open != std::string::npos;
       open = line.text.find('(', open + 1)) {
    const size_t close = std::min(line.text.find(')', open), line.text.size());
    // A registration number has digits; one or two characters are a code ("(M)", read "(4)").
    const std::string_view inside = std::string_view(line.text).substr(open, close - open);
    if (Digits(inside) == 0 || NonSpace(inside) <= 3) continue;
    while (last > 0 && line.tokens[last - 1].end > open) --last;
    break;
  }
  return TrimmedSpan(line, AfterLogo(line, last), last);
}

// The legal forms OCR tends to garble, with the spellings to restore. A token is taken for a
// legal-form token when it is one character off it ("SON BHD"), two where its first and last
// letters stand ("SDN BIED"), or reads as it once OCR's digit-for-letter confusions are undone
// ("5/B"); every token of the form must match, the last of several by its end (EndsLike).
constexpr std::string_view kFragileLegalForms[] = {"SDN BHD", "S/B"};

char DigitAsLetter(char c) {
  switch (c) {
    case '0': return 'O';
    case '1': return 'I';
    case '5': return 'S';
    case '8': return 'B';
    case '2': return 'Z';
    default: return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
}

bool LooksLike(std::string_view token, std::string_view form_token) {
  std::string letters(token);
  for (char& c : letters) c = DigitAsLetter(c);
  if (letters == form_token) return true;
  if (form_token.size() < 3) return false;
  // Two errors where the first and last letters stand ("BIED", "BILD" for "BHD").
  const bool ends = letters.size() + 1 >= form_token.size() &&
                    letters.size() <= form_token.size() + 1 &&
                    letters.front() == form_token.front() && letters.back() == form_token.back();
  return EditDistance(letters, form_token) <= (ends ? 2 : 1);
}

// Whether `token` may be the last token `form_token` of a legal form whose other tokens OCR
// read: it ends as the form does and is about as long ("SDN GtHiD", "SON aD", "Sdn. kbd" are
// "SDN BHD").
bool EndsLike(std::string_view token, std::string_view form_token) {
  return form_token.size() >= 3 && token.size() >= 2 && token.size() <= form_token.size() + 2 &&
         DigitAsLetter(token.back()) == form_token.back();
}

// `name` with garbled legal forms restored token by token; notes what was restored.
std::string RestoreLegalForms(const std::string& name, std::vector<std::string>* notes) {
  const std::vector<Token> tokens = Tokenize(name);
  std::string out = name;
  for (std::string_view form : kFragileLegalForms) {
    const std::vector<Token> form_tokens = Tokenize(form);
    const auto form_token = [&](size_t k) {
      return form.substr(form_tokens[k].begin, form_tokens[k].end - form_tokens[k].begin);
    };
    // Right to left, so that a replacement does not move the tokens still to be looked at.
    for (size_t i = tokens.size() + 1; i-- > form_tokens.size();) {
      const size_t first = i - form_tokens.size();
      bool match = true;
      for (size_t k = 0; k < form_tokens.size() && match; ++k) {
        const Token& t = tokens[first + k];
        const std::string_view read = std::string_view(name).substr(t.begin, t.end - t.begin);
        match = LooksLike(read, form_token(k)) ||
                (k > 0 && k + 1 == form_tokens.size() && EndsLike(read, form_token(k)));
      }
      if (!match) continue;
      const std::string printed =
          name.substr(tokens[first].begin, tokens[i - 1].end - tokens[first].begin);
      bool changed = false;
      for (size_t k = form_tokens.size(); k-- > 0;) {
        const Token& t = tokens[first + k];
        if (AsciiUpper(name.substr(t.begin, t.end - t.begin)) == form_token(k)) continue;
        out.replace(t.begin, t.end - t.begin, form_token(k));
        changed = true;
      }
      if (changed) {
        notes->push_back("read '" + printed + "' as the legal form '" + std::string(form) + "'");
      }
    }
  }
  return out;
}

// Currency signs OCR reads for the letters they look like; a name holds no currency.
constexpr std::pair<std::string_view, std::string_view> kSignsForLetters[] = {{"$", "S"},
                                                                              {"\xC2\xA5", "Y"}};

// `name` with digits read for the letters of its initials undone: a run of dotted initials
// with a letter among them holds no digit ("MR. D.1.Y." is "MR. D.I.Y."); notes what was
// restored.
std::string RestoreInitials(const std::string& name, std::vector<std::string>* notes) {
  static const std::regex kInitials(R"(\b(?:[A-Za-z0-9]\.){2,})");
  std::string out = name;
  for (std::sregex_iterator it(name.begin(), name.end(), kInitials), end; it != end; ++it) {
    const std::string printed = it->str();
    if (Letters(printed) == 0 || Digits(printed) == 0) continue;
    std::string restored = printed;
    for (char& c : restored) c = DigitAsLetter(c);
    out.replace(static_cast<size_t>(it->position()), printed.size(), restored);
    notes->push_back("read the initials '" + printed + "' as '" + restored + "'");
  }
  return out;
}

// `name` with OCR's misreadings undone: signs read for letters ("KING'S CONFECTIONERY $/B",
// "MR. D.I.¥."), digits for initials ("D.1.Y."), then garbled legal forms; notes what was
// restored.
std::string RestoreName(const std::string& name, std::vector<std::string>* notes) {
  std::string out = RestoreInitials(name, notes);
  for (const auto& [sign, letter] : kSignsForLetters) {
    size_t at = out.find(sign);
    if (at == std::string::npos) continue;
    notes->push_back("read '" + std::string(sign) + "' as '" + std::string(letter) + "'");
    for (; at != std::string::npos; at = out.find(sign, at + letter.size())) {
      out.replace(at, sign.size(), letter);
    }
  }
  return RestoreLegalForms(out, notes);
}

// Whether every token of the line is a title word ("TAX INVOICE", "OFFICIAL RECEIPT").
bool IsTitle(const Line& line) {
  return std::all_of(line.tokens.begin(), line.tokens.end(),
                     [](const Token& t) { return IsOneOf(t.folded, kNotName); });
}

// Whether a name holds only a legal form ("SDN BHD", "CO. (M) SDN BHD"): the rest of the name
// is on the line above.
bool OnlyLegalForm(const std::string& name) {
  const std::vector<Token> tokens = Tokenize(name);
  return !tokens.empty() && std::all_of(tokens.begin(), tokens.end(), [](const Token& t) {
    return IsOneOf(t.folded, kLegalFiller);
  });
}

// Whether a name closes a bracket it did not open: "ALAM) SDN BHD" under "AIK HUAT HARDWARE
// ENTERPRISE (SETIA".
bool ClosesBracket(std::string_view name) {
  const size_t close = name.find(')');
  return close != std::string_view::npos && name.rfind('(', close) == std::string_view::npos;
}

// Whether `line` starts a street address: a number first or second ("30, Jln Kebudayaan 7",
// "NO. 36G JALAN BULAN") and a street word.
bool StartsStreet(const Line& line) {
  const size_t n = std::min<size_t>(2, line.tokens.size());
  const bool number = std::any_of(line.tokens.begin(), line.tokens.begin() + n,
                                  [](const Token& t) { return Digits(t.folded) > 0; });
  return number && HasAny(line.tokens, kStreetWords);
}

// How much a line looks like the vendor's name; 0 for lines that cannot be.
double NameScore(const Line& line, int rank, int text_height) {
  const auto [begin, end] = NameSpan(line);
  const std::string_view name = std::string_view(line.text).substr(begin, end - begin);
  const int letters = Letters(name);
  if (letters < 3 || 2 * letters < NonSpace(name) || Digits(name) > letters) return 0;
  if (HasAny(line.tokens, kNotAddress) || IsTitle(line)) return 0;
  const Evidence printed = EvidenceOf(line, begin, end);
  if (printed.ocr_conf < kLegibleName) return 0;
  std::vector<std::string> ignored;
  const std::vector<Token> tokens = Tokenize(RestoreName(std::string(name), &ignored));
  double score = 1.0 - 0.1 * rank;
  // A trade word names a shop only beside another word: "Store #0421" is a branch.
  const bool distinctive = std::any_of(
      tokens.begin(), tokens.end(), [](const Token& t) { return !IsOneOf(t.folded, kTradeWords); });
  if (HasAny(tokens, kLegalForms)) {
    score += 1.0;
  } else if (HasAny(tokens, kTradeWords) && distinctive) {
    score += 0.5;
  }
  // The name is often printed larger than the rest; a logo beside it does not count.
  if (printed.box.h > 1.3 * text_height) score += 0.3;
  return score;
}

// The nearest line above `line` on its page that could be part of a name, overlapping it
// horizontally and close enough to belong with it.
const Line* NameLineAbove(const Document& doc, const Line& line) {
  const Line* above = nullptr;
  const int gap = static_cast<int>(kLineGap * doc.TextHeight(line.page));
  for (const Line& other : doc.lines()) {
    if (other.page != line.page || other.box.bottom() > line.box.y + line.box.h / 2 ||
        line.box.y - other.box.bottom() > gap || other.box.right() < line.box.x ||
        other.box.x > line.box.right() || NameScore(other, 0, doc.TextHeight(line.page)) <= 0) {
      continue;
    }
    if (above == nullptr || other.box.y > above->box.y) above = &other;
  }
  return above;
}

// Whether the name `name`, printed from line `first` on, goes on from a line above: it starts
// with "&" ("& TEA LEAF (M) SDN BHD"), or names nobody by itself, outside brackets only trade
// words and a legal form ("ENTERPRISE (SETIA ALAM) SDN BHD").
bool ContinuesName(const Line& first, std::string_view name) {
  if (Trim(first.text).substr(0, 1) == "&") return true;
  std::string outside;
  int depth = 0;
  for (char c : name) {
    depth += c == '(' ? 1 : c == ')' && depth > 0 ? -1 : 0;
    if (depth == 0 && c != ')') outside += c;
  }
  const std::vector<Token> tokens = Tokenize(outside);
  return !tokens.empty() && std::all_of(tokens.begin(), tokens.end(), [](const Token& t) {
    return IsOneOf(t.folded, kTradeWords) || IsOneOf(t.folded, kLegalFiller);
  });
}

Evidence NameEvidence(const Line& line) {
  const auto [begin, end] = NameSpan(line);
  return EvidenceOf(line, begin, end);
}

// The name printed on `lines`, top to bottom; a line going on with "&" keeps it.
Evidence NameOfLines(const std::vector<const Line*>& lines) {
  std::vector<Evidence> parts;
  for (const Line* line : lines) {
    parts.push_back(NameEvidence(*line));
    if (parts.size() > 1 && Trim(line->text).substr(0, 1) == "&") {
      parts.back().text = "& " + parts.back().text;
    }
  }
  return JoinEvidence(parts, " ");
}

struct VendorName {
  std::vector<const Line*> lines;  // top to bottom
  Candidate name;
  std::vector<std::string> notes;  // legal forms restored
};

// The most name-like line at the top of the first page, with the line above it when it holds
// only a legal form or closes a bracket opened there, the line above those when they go on from
// it (ContinuesName), and the line below when it ends in "&".
std::optional<VendorName> FindVendorName(const Document& doc) {
  if (doc.page_count() == 0) return std::nullopt;
  const int limit = static_cast<int>(kVendorTop * doc.page(0).height);
  std::vector<const Line*> top;
  for (const Line& line : doc.lines()) {
    if (line.page == 0 && (limit <= 0 || line.box.y <= limit)) top.push_back(&line);
  }
  // Ranked as printed, top down: OCR may read a letter's address window before its letterhead.
  // By their middles, since a tall logo read into a line raises its top above the line before.
  std::stable_sort(top.begin(), top.end(), [](const Line* a, const Line* b) {
    return 2 * a->box.y + a->box.h < 2 * b->box.y + b->box.h;
  });
  const Line* best = nullptr;
  double best_score = 0;
  int rank = 0;
  for (const Line* line : top) {
    const double s = NameScore(*line, rank, doc.TextHeight(0));
    if (s <= 0) continue;
    ++rank;
    // A street line may read like a name, but it is where the address starts.
    if (s > best_score && !StartsStreet(*line)) {
      best_score = s;
      best = line;
    }
  }
  if (best == nullptr) return std::nullopt;
  VendorName vendor{{best}, {}, {}};
  const Line* above = NameLineAbove(doc, *best);
  std::vector<std::string> ignored;
  const std::string printed = NameEvidence(*best).text;
  const bool only_legal_form = OnlyLegalForm(RestoreName(printed, &ignored));
  if ((only_legal_form || ClosesBracket(printed)) && above != nullptr) {
    vendor.lines.insert(vendor.lines.begin(), above);
  }
  // "Sdn. Bhd." under a logo OCR could not read names nobody.
  if (only_legal_form && above == nullptr) return std::nullopt;
  const Line* start = NameLineAbove(doc, *vendor.lines.front());
  if (start != nullptr &&
      ContinuesName(*vendor.lines.front(), RestoreName(NameOfLines(vendor.lines).text, &ignored))) {
    vendor.lines.insert(vendor.lines.begin(), start);
  }
  if (!printed.empty() && printed.back() == '&') {
    const std::vector<const Line*> below = doc.LinesBelow(*best, best->box, kLineGap, 0);
    if (!below.empty()) vendor.lines.push_back(below.front());
  }
  const Evidence joined = NameOfLines(vendor.lines);
  // A line with a legal form is the name; the first plain line only probably.
  vendor.name =
      Candidate{RestoreName(joined.text, &vendor.notes), joined, best_score > 1.5 ? 0.9 : 0.6};
  return vendor;
}

// The longest run of digits in `text` where groups may be split by a separator or two of
// " -.+()/": phone, fax and tax numbers run longer than anything in an address.
int LongestNumber(std::string_view text) {
  static constexpr std::string_view kSeparators = " -.+()/";
  int longest = 0;
  int run = 0;
  int gap = 0;  // separators since the last digit: "(253) 555-0199" runs on, "53 - 55" does not
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      longest = std::max(longest, ++run);
      gap = 0;
    } else if (kSeparators.find(c) == std::string_view::npos || ++gap > 2) {
      run = 0;
    }
  }
  return longest;
}

// Contact details, and tax and registration numbers: labelled, long, or an e-mail address.
bool IsContact(std::string_view text) {
  const std::vector<Token> tokens = Tokenize(text);
  return HasAny(tokens, kNotAddress) || LongestNumber(text) >= 8 ||
         text.find('@') != std::string_view::npos;
}

// A company number: five or more digits, a dash and a letter or two ("795225-A"), or a code
// alone on its line that ends so ("7-W" as OCR read "789417-W").
bool HasCompanyNumber(const Line& line) {
  for (size_t t = 1; t < line.tokens.size(); ++t) {
    const Token& code = line.tokens[t];
    const Token& number = line.tokens[t - 1];
    const bool dashed = code.begin == number.end + 1 && line.text[number.end] == '-';
    if (!dashed || Digits(code.folded) > 0 || code.folded.size() > 3) continue;
    if (Digits(number.folded) >= 5 ||
        Letters(line.text) <= 2 * static_cast<int>(code.folded.size()) + 2) {
      return true;
    }
  }
  return false;
}

// Whether a line belongs in an address: letters, and neither contact details, a registration
// or tax number, a date, a title, a store number ("Store #0421") nor a code in brackets.
bool IsAddressLine(const Line& line) {
  if (Letters(line.text) < 2 || IsContact(line.text) || IsTitle(line)) return false;
  // OCR makes words of smudges and logos; they are no address.
  if (EvidenceOf(line, 0, line.text.size()).ocr_conf < kLegibleAddress) return false;
  const std::string_view text = Trim(line.text);
  if (text.front() == '(' && text.back() == ')') return false;
  const size_t hash = text.find('#');
  if (hash != std::string_view::npos && Digits(text.substr(0, hash)) == 0 &&
      Digits(text) == LongestNumber(text.substr(hash))) {
    return false;
  }
  return !HasCompanyNumber(line) && FindDates(line.text, DateOrder::kDMY).empty();
}

bool IsNumber(const Token& t, size_t min, size_t max) {
  return Digits(t.folded) == static_cast<int>(t.folded.size()) && t.folded.size() >= min &&
         t.folded.size() <= max;
}

// Whether the line ends an address with its postcode and town: "81100 JOHOR BAHRU", "50667
// Köln" (a postcode of four or five digits and a few words after it), "Austin, TX 78741" (a
// US state and ZIP code last), "Cheltenham GL54 2BY" (a UK postcode last).
bool HasPostcodeAndTown(const std::vector<Token>& t) {
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!IsNumber(t[i], 4, 5) || t.size() - i - 1 > 4) continue;
    if (std::none_of(t.begin() + i + 1, t.end(),
                     [](const Token& w) { return Digits(w.folded) > 0; })) {
      return true;
    }
  }
  const size_t n = t.size();
  if (n >= 2 && IsNumber(t[n - 1], 5, 5) && t[n - 2].folded.size() == 2 &&
      Digits(t[n - 2].folded) == 0) {
    return true;
  }
  // UK: outward code (letters then a digit) and inward code (a digit and two letters).
  if (n >= 2) {
    const std::string& out = t[n - 2].folded;
    const std::string& in = t[n - 1].folded;
    return out.size() >= 2 && out.size() <= 4 && std::isalpha(static_cast<unsigned char>(out[0])) &&
           Digits(out) >= 1 && in.size() == 3 && std::isdigit(static_cast<unsigned char>(in[0])) &&
           Digits(in) == 1;
  }
  return false;
}

// A line that may close an address after its postcode: a state or country ("JOHOR.",
// "SELANGOR DARUL EHSAN"), a few words without digits.
bool IsRegionLine(const Line& line) { return Digits(line.text) == 0 && line.tokens.size() <= 3; }

// The address in a letterhead or sender line ("Nordlicht GmbH - Am Sandtorkai 42 - 20457
// Hamburg - Tel. 040 555"): its parts after the vendor's name, up to the postcode and town. A
// line without them is the first line of an address, whatever separators it has ("Lot NO : 20,
// Level UG1").
std::optional<Candidate> OneLineAddress(const Line& line, const std::string& vendor_name) {
  const auto parts = AddressParts(line.text);
  if (parts.size() < 2) return std::nullopt;
  std::string value;
  size_t first = std::string::npos;
  for (const auto& [begin, end] : parts) {
    const std::string_view part = Trim(std::string_view(line.text).substr(begin, end - begin));
    if (part.empty() || FoldedTokens(part) == FoldedTokens(vendor_name)) continue;
    if (IsContact(part)) break;
    if (!value.empty()) value += ", ";
    value += part;
    if (first == std::string::npos) first = begin;
    if (HasPostcodeAndTown(Tokenize(part))) {
      return Candidate{value, EvidenceOf(line, first, end), 0.7};
    }
  }
  return std::nullopt;
}

// Countries that end an address: "56000 KUALA LUMPUR, MALAYSIA" needs no state after it.
constexpr std::string_view kCountries[] = {
    "malaysia", "singapore",   "indonesia",   "thailand", "germany", "deutschland",
    "austria",  "osterreich",  "switzerland", "schweiz",  "france",  "belgium",
    "belgique", "netherlands", "nederland",   "usa",      "uk"};

// Where an address stands after the line last taken into it.
enum class AddressState {
  kOpen,      // more lines may follow
  kPostcode,  // after its postcode and town: a state or country may follow, or the real
              // postcode line when a street number looked like one ("3120 El Camino Real")
  kRegion,    // after a state or country: only the real postcode line may follow
  kClosed,
};

// The state after taking `line`, whose address text ends at byte `end`, into an address.
AddressState AfterAddressLine(const Line& line, size_t end, AddressState state) {
  if (!HasPostcodeAndTown(line.tokens)) {
    return state == AddressState::kOpen ? state : AddressState::kRegion;
  }
  // "81100 JOHOR BAHRU," goes on to its state.
  if (line.text[end - 1] == ',') return AddressState::kOpen;
  return IsOneOf(line.tokens.back().folded, kCountries) ? AddressState::kClosed
                                                        : AddressState::kPostcode;
}

// Whether `line` may continue an address in `state`.
bool AcceptsAddressLine(const Line& line, AddressState state) {
  switch (state) {
    case AddressState::kOpen: return true;
    case AddressState::kPostcode: return IsRegionLine(line) || HasPostcodeAndTown(line.tokens);
    case AddressState::kRegion: return HasPostcodeAndTown(line.tokens);
    case AddressState::kClosed: break;
  }
  return false;
}

bool OverlapHorizontally(const Box& a, const Box& b) { return a.x < b.right() && b.x < a.right(); }

// The address: the lines under the name, after any slogan, registration and tax numbers printed
// between them. It starts with a line holding a number (a street number, a unit, a postcode) and
// ends at contact details or a gap, or after the postcode and town (and the state or country on
// the next line, if any), unless that line ends in a comma. Lines beside the address (an invoice's
// details in another column) are passed over. A letterhead line that holds the whole address is
// read part by part.
std::optional<Candidate> VendorAddress(const Document& doc, const Line& name,
                                       const std::string& vendor_name) {
  std::vector<Evidence> parts;
  const Line* previous = &name;
  const int height = doc.TextHeight(name.page);
  // Receipt lines are set close and OCR boxes overlap: what lies below the name's middle is below.
  const Box anchor{name.box.x, name.box.y, name.box.w, name.box.h * 3 / 4};
  int skipped = 0;
  AddressState state = AddressState::kOpen;
  for (const Line* line : doc.LinesBelow(name, anchor, 3 * kMaxAddressLines, 0)) {
    if (!parts.empty() && !OverlapHorizontally(line->box, previous->box)) continue;
    const double gap = parts.empty() ? kStartGap : kLineGap;
    if (line->box.y - previous->box.bottom() > gap * height) break;
    const bool starts =
        !parts.empty() || Digits(line->text) > 0 || HasAny(line->tokens, kStreetWords);
    if (parts.empty() && starts) {
      if (auto one_line = OneLineAddress(*line, vendor_name)) return one_line;
    }
    if (!IsAddressLine(*line) || !starts || !AcceptsAddressLine(*line, state)) {
      if (!parts.empty() || ++skipped > kMaxSkippedLines) break;
      previous = line;
      continue;
    }
    const auto [begin, end] = TrimmedSpan(*line, 0, line->tokens.size());
    parts.push_back(EvidenceOf(*line, begin, end));
    previous = line;
    state = AfterAddressLine(*line, end, state);
    if (parts.size() == kMaxAddressLines || state == AddressState::kClosed) break;
  }
  if (parts.empty()) return std::nullopt;
  Evidence joined = JoinEvidence(parts, " ");
  return Candidate{joined.text, joined, 0.7};
}

// Whether `line` is a sender line: the vendor's name, then more parts ("Müller & Söhne GmbH ·
// Industriestraße 14 · 50667 Köln").
bool IsSenderLine(const Line& line, const std::string& vendor_name) {
  const size_t end = FirstPartEnd(line.text);
  return end < line.text.size() &&
         FoldedTokens(std::string_view(line.text).substr(0, end)) == FoldedTokens(vendor_name);
}

// The address in a sender line that repeats the vendor's name anywhere on the first page ("Müller
// & Söhne GmbH · Industriestraße 14 · 50667 Köln" over a letter's address window), for a
// letterhead whose address is not printed under its name.
std::optional<Candidate> SenderLineAddress(const Document& doc, const std::string& vendor_name) {
  for (const Line& line : doc.lines()) {
    if (line.page != 0 || !IsSenderLine(line, vendor_name)) continue;
    if (auto address = OneLineAddress(line, vendor_name)) return address;
  }
  return std::nullopt;
}

// The block of lines at the left of the first page, below the vendor's name and address
// (starting at `top`) and in the top half, that ends in a postcode and town: the recipient's
// address window of a letter or invoice. Its first line names the customer; a sender line printed
// on top of the window (a whole address, or the vendor's name and more) is skipped.
std::optional<Candidate> RecipientName(const Document& doc, int top,
                                       const std::string& vendor_name) {
  if (doc.page_count() == 0) return std::nullopt;
  const int height = doc.TextHeight(0);
  std::vector<const Line*> left;
  for (const Line& line : doc.lines()) {
    // Table rules, boxes and speckle OCR read as empty words or a stray letter ("x . . .") are
    // no part of a block.
    if (line.page == 0 && line.box.x < doc.page(0).width / 2 && Letters(line.text) >= 2) {
      left.push_back(&line);
    }
  }
  std::sort(left.begin(), left.end(),
            [](const Line* a, const Line* b) { return a->box.y < b->box.y; });
  std::vector<const Line*> block;
  for (size_t i = 0; i <= left.size(); ++i) {
    const bool continues = i < left.size() && !block.empty() &&
                           left[i]->box.y - block.back()->box.bottom() <= kLineGap * height &&
                           std::abs(left[i]->box.x - block.front()->box.x) <= 2 * height;
    if (i < left.size() && (block.empty() || continues)) {
      block.push_back(left[i]);
      continue;
    }
    // A sender line whose postcode OCR misread still starts with the vendor's name.
    const bool sender = block.size() > 1 && (HasPostcodeAndTown(block.front()->tokens) ||
                                             IsSenderLine(*block.front(), vendor_name));
    const size_t first = sender ? 1 : 0;
    const bool vendors = !block.empty() && block[first]->box.y < top;
    // An address window or bill-to block sits in the top half; lower down, a footer's address
    // block is the vendor's.
    const bool footer = !block.empty() && block[first]->box.y > doc.page(0).height / 2;
    if (!vendors && !footer && block.size() - first >= 2 && block.size() - first <= 6 &&
        HasPostcodeAndTown(block.back()->tokens) && Letters(block[first]->text) >= 3) {
      const Line& name = *block[first];
      return MakeCandidate(name.text, name, 0, name.text.size(), 0.7);
    }
    block.clear();
    if (i < left.size()) block.push_back(left[i]);
  }
  return std::nullopt;
}

// Customer labels; the name follows on the label's line or sits under it.
const std::vector<LabelPhrase>& CustomerLabels() {
  static const auto* labels = new std::vector<LabelPhrase>{
      {"bill to", 1},           {"billed to", 1},     {"invoice to", 1}, {"sold to", 0.9},
      {"customer", 0.8},        {"customer name", 1}, {"client", 0.8},   {"rechnungsempfanger", 1},
      {"kunde", 0.8},           {"rechnung an", 1},   {"facture a", 1},  {"facturer a", 1},
      {"facture au nom de", 1}, {"destinataire", 0.9}};
  return *labels;
}

constexpr std::string_view kNotCustomer[] = {"customer no",   "customer number", "customer id",
                                             "kunden nr",     "client no",       "n client",
                                             "numero client", "numero de client"};

std::optional<Candidate> CustomerName(const Document& doc) {
  const std::vector<std::string_view> excluded(std::begin(kNotCustomer), std::end(kNotCustomer));
  for (const LabelHit& hit : FindLabels(doc, CustomerLabels(), excluded)) {
    const Line& line = *hit.line;
    const size_t after = line.text.find_first_not_of(":-# ", hit.value_begin());
    if (after != std::string::npos && Letters(std::string_view(line.text).substr(after)) >= 2) {
      return MakeCandidate(line.text.substr(after), line, after, line.text.size(), hit.weight);
    }
    // Under the label: the first line below that starts at or right of its left edge, passing
    // over table rules OCR read as empty words.
    const Box label = hit.box();
    for (const Line* below : doc.LinesBelow(line, label, 2.5, 1)) {
      if (below->box.x >= label.x - doc.TextHeight(line.page) && Letters(below->text) >= 2) {
        return MakeCandidate(below->text, *below, 0, below->text.size(), hit.weight * 0.9);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

NameLine ReadNameLine(const Line& line, int text_height) {
  NameLine read;
  const auto [begin, end] = NameSpan(line);
  read.evidence = EvidenceOf(line, begin, end);
  std::vector<std::string> ignored;
  read.name = RestoreName(read.evidence.text, &ignored);
  const std::vector<Token> tokens = Tokenize(read.name);
  read.score = NameScore(line, 0, text_height);
  read.legal_form = HasAny(tokens, kLegalForms);
  read.trade_word = HasAny(tokens, kTradeWords);
  read.title = IsTitle(line);
  read.contact = IsContact(line.text);
  read.address_like = IsAddressLine(line);
  read.postcode = HasPostcodeAndTown(line.tokens);
  read.upper = IsUpperCase(line.text);
  read.letters = Letters(line.text);
  read.digits = Digits(line.text);
  return read;
}

std::optional<FieldValue> VendorAddressUnder(const Document& doc, const FieldValue& name) {
  const Line* last = nullptr;
  for (const Line& line : doc.lines()) {
    const int middle = line.box.y + line.box.h / 2;
    if (line.page != name.page || middle < name.box.y || middle > name.box.bottom() ||
        line.box.right() <= name.box.x || line.box.x >= name.box.right()) {
      continue;
    }
    if (last == nullptr || line.box.y > last->box.y) last = &line;
  }
  if (last == nullptr) return std::nullopt;
  std::optional<Candidate> address = VendorAddress(doc, *last, name.value);
  if (!address) address = SenderLineAddress(doc, name.value);
  if (!address) return std::nullopt;
  return ToFieldValue(*address);
}

void ExtractParties(const Document& doc, Fields& fields) {
  // Where the vendor's block ends: a recipient's address lies below it.
  int vendor_bottom = 0;
  std::string vendor_name;
  if (std::optional<VendorName> vendor = FindVendorName(doc)) {
    vendor_name = vendor->name.value;
    FieldValue& name = fields[field_name::kVendorName] = ToFieldValue(vendor->name);
    name.problems = vendor->notes;
    vendor_bottom = vendor->lines.back()->box.bottom();
    std::optional<Candidate> address = VendorAddress(doc, *vendor->lines.back(), vendor_name);
    if (!address) address = SenderLineAddress(doc, vendor_name);
    if (address) {
      fields[field_name::kVendorAddress] = ToFieldValue(*address);
      vendor_bottom = address->evidence.box.bottom();
    }
  }
  std::optional<Candidate> customer = CustomerName(doc);
  if (!customer) customer = RecipientName(doc, vendor_bottom, vendor_name);
  if (customer) fields[field_name::kCustomerName] = ToFieldValue(*customer);
}

}  // namespace quire::extract
