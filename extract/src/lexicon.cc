#include "lexicon.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "text.h"

namespace quire::extract {

// The text of extract/model/lexicon.txt, compiled in (lexicon_model.cc, made by CMake).
extern const char* const kLexicon;

struct Lexicon::Entries {
  std::set<std::string> words;  // common words of names and addresses: what is corrected to
  std::set<std::string> known;  // other words seen printed: never corrected away
  std::map<std::string, std::set<std::string>> postcodes;  // postcode -> town words after it
  std::map<std::pair<char, char>, int> confusions;         // (read, printed) -> times seen
};

namespace {

// Words OCR read with at least this confidence are left as read: of the words in the
// annotated lines of sroie-train, 12% of those OCR misread have it, and 73% of those it read
// right.
constexpr double kSureWord = 0.9;

// A word OCR was sure of is corrected only by one substitution it makes most often ("LUNPUR");
// a word of a PDF's text layer (confidence 1) is exact.
constexpr double kSureCost = 0.3;
constexpr double kExactWord = 0.99;

// Address words this long are checked as unsure whatever OCR's confidence (CorrectVendorWords).
constexpr size_t kLongWord = 7;
constexpr double kUnsureWord = kSureWord - 0.01;

// What an edit costs: a substitution OCR makes often is cheap, any other edit costs 1.
double SubstitutionCost(int seen) {
  if (seen >= 20) return 0.3;
  if (seen >= 5) return 0.5;
  if (seen >= 2) return 0.75;
  return 1;
}

// The most a correction may cost, by the word's length: a short word has few letters to tell
// it from others, so only one cheap substitution ("THN" -> "TMN", "Nasai" -> "Masai").
double CostLimit(size_t length) {
  if (length <= 5) return 0.5;
  if (length <= 8) return 1;
  return 1.5;
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '$'; }

bool HasLetter(std::string_view word) {
  return std::any_of(word.begin(), word.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

int DigitCount(std::string_view word) {
  return static_cast<int>(std::count_if(word.begin(), word.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  }));
}

// Whether `word` reads as a whole postcode: five digits.
bool WholePostcode(std::string_view word) { return word.size() == 5 && DigitCount(word) == 5; }

// Whether `word` may be a postcode OCR garbled: four to six characters, all digits but one at
// most.
bool PostcodeLike(std::string_view word) {
  return word.size() >= 4 && word.size() <= 6 &&
         DigitCount(word) + 1 >= static_cast<int>(word.size());
}

// `word` (upper case) in the case `as` is printed in: "Selangor" for "Setangor".
std::string InCaseOf(std::string word, std::string_view as) {
  const bool lower_first = !as.empty() && std::islower(static_cast<unsigned char>(as[0]));
  const bool lower_rest = std::any_of(as.begin() + (as.empty() ? 0 : 1), as.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c));
  });
  for (size_t i = 0; i < word.size(); ++i) {
    if ((i == 0 && lower_first) || (i > 0 && lower_rest)) {
      word[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(word[i])));
    }
  }
  return word;
}

struct Span {
  size_t begin;
  size_t end;
};

// The bytes of `text` that `span` covers.
std::string_view Spanned(std::string_view text, const Span& span) {
  return text.substr(span.begin, span.end - span.begin);
}

std::vector<Span> WordSpans(std::string_view text) {
  std::vector<Span> spans;
  for (size_t i = 0; i < text.size();) {
    if (!IsWordChar(text[i])) {
      ++i;
      continue;
    }
    const size_t begin = i;
    while (i < text.size() && IsWordChar(text[i])) ++i;
    spans.push_back({begin, i});
  }
  return spans;
}

// A floor's ordinal OCR garbled before "FLR" or "FLOOR": its digit read as a letter ("SRD FLR",
// "GRD FLOOR", the suffix telling the digit), or its suffix garbled after the digit ("3RU FLR",
// the digit telling the suffix). `confused(read, printed)` says whether OCR often reads one
// character for the other ("SRO" for "3RD"). A word OCR was sure of is an ordinal only when its
// letter is one OCR often reads for the digit ("S" for "3"; "GND FLR" is the ground floor).
// Empty when `word` is none.
std::string CorrectOrdinal(const std::string& word, const std::string& next, bool unsure,
                           const std::function<bool(char, char)>& confused) {
  static constexpr std::string_view kFloors[] = {"FLR", "FLOOR", "FL"};
  static constexpr std::pair<std::string_view, char> kSuffixes[] = {
      {"ST", '1'}, {"ND", '2'}, {"RD", '3'}};
  if (word.size() != 3 ||
      std::find(std::begin(kFloors), std::end(kFloors), next) == std::end(kFloors)) {
    return "";
  }
  const auto reads_as = [&](std::string_view suffix) {
    return word[1] == suffix[0] && (word[2] == suffix[1] || confused(word[2], suffix[1]));
  };
  const bool digit = std::isdigit(static_cast<unsigned char>(word[0])) != 0;
  for (const auto& [suffix, number] : kSuffixes) {
    if (digit && word[0] == number && word.compare(1, 2, suffix) != 0 &&
        (word[1] == suffix[0] || word[2] == suffix[1])) {
      return word[0] + std::string(suffix);
    }
    if (!digit && (unsure || confused(word[0], number)) && reads_as(suffix)) {
      return number + std::string(suffix);
    }
  }
  return "";
}

// The candidate nearest to a word read, when it is within `limit` and no other is as near: two
// as near leave no telling which was printed.
class Nearest {
 public:
  explicit Nearest(double limit) : limit_(limit), best_cost_(limit + 1), second_cost_(limit + 1) {}

  void Offer(std::string_view candidate, double cost) {
    if (cost < best_cost_) {
      second_cost_ = best_cost_;
      best_cost_ = cost;
      best_ = candidate;
    } else if (cost < second_cost_) {
      second_cost_ = cost;
    }
  }
  // Empty when there is no such candidate.
  std::string Unique() const {
    return best_cost_ <= limit_ && second_cost_ > best_cost_ ? best_ : "";
  }

 private:
  const double limit_;
  std::string best_;
  double best_cost_, second_cost_;
};

}  // namespace

Result<Lexicon> Lexicon::FromText(std::string_view text) {
  auto entries = std::make_shared<Entries>();
  std::istringstream in{std::string(text)};
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string kind, a, b;
    int count = 0;
    fields >> kind >> a;
    bool ok = !a.empty();
    if (kind == "word") {
      entries->words.insert(a);
    } else if (kind == "known") {
      entries->known.insert(a);
    } else if (kind == "postcode") {
      ok = ok && static_cast<bool>(fields >> b);
      if (ok) entries->postcodes[a].insert(b);
    } else if (kind == "confusion") {
      ok = ok && static_cast<bool>(fields >> b >> count) && a.size() == 1 && b.size() == 1;
      if (ok) entries->confusions[{a[0], b[0]}] = count;
    } else {
      ok = false;
    }
    if (!ok) {
      return Status::InvalidArgument("lexicon line " + std::to_string(number) +
                                     " is not an entry: '" + line +
                                     "'; make it again with scripts/train-lexicon.py");
    }
  }
  Lexicon lexicon;
  lexicon.entries_ = std::move(entries);
  return lexicon;
}

const Lexicon& Lexicon::Builtin() {
  static const Lexicon* builtin = [] {
    Result<Lexicon> r = FromText(kLexicon);
    // The built-in lexicon is checked by the tests; a broken one corrects nothing.
    return new Lexicon(r.ok() ? std::move(*r) : Lexicon());
  }();
  return *builtin;
}

bool Lexicon::Knows(const std::string& word) const {
  return entries_ && (entries_->words.count(word) > 0 || entries_->known.count(word) > 0);
}

double Lexicon::Cost(std::string_view read, std::string_view printed) const {
  std::vector<double> row(printed.size() + 1);
  for (size_t j = 0; j <= printed.size(); ++j) row[j] = static_cast<double>(j);
  for (size_t i = 1; i <= read.size(); ++i) {
    double diagonal = row[0];
    row[0] = static_cast<double>(i);
    for (size_t j = 1; j <= printed.size(); ++j) {
      double substitution = 0;
      if (read[i - 1] != printed[j - 1]) {
        const auto seen = entries_->confusions.find({read[i - 1], printed[j - 1]});
        substitution = SubstitutionCost(seen == entries_->confusions.end() ? 0 : seen->second);
      }
      const double here = std::min({row[j] + 1, row[j - 1] + 1, diagonal + substitution});
      diagonal = row[j];
      row[j] = here;
    }
  }
  return row.back();
}

std::string Lexicon::CorrectWord(const std::string& word, double limit) const {
  if (word.size() < 3 || !HasLetter(word) || entries_->words.count(word) ||
      entries_->known.count(word)) {
    return "";
  }
  Nearest nearest(limit);
  for (const std::string& candidate : entries_->words) {
    if (candidate.size() + 1 < word.size() || candidate.size() > word.size() + 1) continue;
    nearest.Offer(candidate, Cost(word, candidate));
  }
  return nearest.Unique();
}

std::string Lexicon::CorrectPostcode(const std::string& number,
                                     const std::vector<std::string>& towns_near,
                                     const std::vector<std::string>& readings) const {
  if (!PostcodeLike(number) || entries_->postcodes.count(number)) return "";
  const auto near = [&](const std::set<std::string>& towns) {
    return std::any_of(towns_near.begin(), towns_near.end(),
                       [&](const std::string& town) { return towns.count(town) > 0; });
  };
  for (const std::string& reading : readings) {
    const auto known = entries_->postcodes.find(reading);
    if (known != entries_->postcodes.end() && near(known->second)) return reading;
  }
  Nearest nearest(1);
  // Five digits read plausibly stand: a region's postcodes share their first two digits, and
  // most end in 0 ("47170 PUCHONG" is not "47100").
  bool region_seen = false;
  for (const auto& [postcode, towns] : entries_->postcodes) {
    if (!near(towns)) continue;
    region_seen = region_seen || postcode.compare(0, 2, number, 0, 2) == 0;
    nearest.Offer(postcode, Cost(number, postcode));
  }
  if (WholePostcode(number) && region_seen && number.back() == '0') return "";
  return nearest.Unique();
}

std::string Lexicon::Unaccent(std::string_view text,
                              const std::function<double(const std::string&)>& confidence,
                              std::vector<std::string>* notes) const {
  std::string out;
  size_t done = 0;
  for (const Token& t : Tokenize(text)) {
    const std::string_view printed = text.substr(t.begin, t.end - t.begin);
    if (std::all_of(printed.begin(), printed.end(), [](char c) { return (c & 0x80) == 0; })) {
      continue;
    }
    const std::string folded = AsciiUpper(t.folded);
    // OCR's confidence is kept by the word's ASCII parts ("Ch", "ras").
    double read = 1;
    for (const Span& s : WordSpans(printed)) {
      read = std::min(read, confidence(AsciiUpper(Spanned(printed, s))));
    }
    if (read >= kExactWord ||
        std::any_of(folded.begin(), folded.end(), [](char c) { return (c & 0x80) != 0; })) {
      continue;
    }
    std::string word = Knows(folded) ? folded : CorrectWord(folded, CostLimit(folded.size()));
    if (word.empty()) continue;
    word = InCaseOf(word, printed);
    out.append(text.substr(done, t.begin - done));
    out += word;
    done = t.end;
    notes->push_back("read '" + std::string(printed) + "' as '" + word + "'");
  }
  out.append(text.substr(done));
  return out;
}

std::string Lexicon::Correct(
    std::string_view accented, const std::function<double(const std::string&)>& confidence,
    std::vector<std::string>* notes,
    const std::function<std::vector<std::string>(const std::string&)>& alternatives) const {
  if (!entries_) return std::string(accented);
  const std::string unaccented = Unaccent(accented, confidence, notes);
  const std::string_view text = unaccented;
  const std::vector<Span> spans = WordSpans(text);
  std::vector<std::string> upper;
  for (const Span& s : spans) upper.push_back(AsciiUpper(Spanned(text, s)));
  // Words first, so that a postcode is checked against its town as corrected.
  std::vector<std::string> corrected(spans.size());
  std::vector<bool> unsure(spans.size()), resigned(spans.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    const double read = confidence(upper[i]);
    unsure[i] = read < kSureWord;
    if (read >= kExactWord) continue;
    // A name or an address holds no currency: "$" glued to a word is an "S" ("$$21", "LOT $25").
    if (upper[i].size() > 1 && upper[i].find('$') != std::string::npos) {
      std::replace(upper[i].begin(), upper[i].end(), '$', 'S');
      resigned[i] = true;
    }
    if (alternatives && upper[i].size() >= 3 && HasLetter(upper[i]) && !Knows(upper[i])) {
      const std::vector<std::string> readings = alternatives(upper[i]);
      const auto known = std::find_if(readings.begin(), readings.end(),
                                      [&](const std::string& reading) { return Knows(reading); });
      if (known != readings.end()) {
        corrected[i] = *known;
        continue;
      }
    }
    corrected[i] = CorrectWord(upper[i], unsure[i] ? CostLimit(upper[i].size()) : kSureCost);
  }
  const auto word = [&](size_t i) { return corrected[i].empty() ? upper[i] : corrected[i]; };
  for (size_t i = 0; i < spans.size(); ++i) {
    if (!corrected[i].empty()) continue;
    const std::string next = i + 1 < spans.size() ? word(i + 1) : "";
    // A postcode is printed before its town or, last in the address, after it.
    std::vector<std::string> towns = {next};
    for (size_t back = 1; back <= 2 && back <= i; ++back) towns.push_back(word(i - back));
    if (unsure[i] || WholePostcode(upper[i])) {
      corrected[i] = CorrectPostcode(
          upper[i], towns, alternatives ? alternatives(upper[i]) : std::vector<std::string>());
    }
    if (corrected[i].empty()) {
      corrected[i] = CorrectOrdinal(upper[i], next, unsure[i], [&](char read, char printed) {
        const auto seen = entries_->confusions.find({read, printed});
        return seen != entries_->confusions.end() && SubstitutionCost(seen->second) <= 0.5;
      });
    }
    if (resigned[i] && corrected[i].empty()) corrected[i] = upper[i];
  }
  std::string out;
  size_t done = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    if (corrected[i].empty()) continue;
    const std::string_view printed = Spanned(text, spans[i]);
    const std::string word = InCaseOf(corrected[i], printed);
    out.append(text.substr(done, spans[i].begin - done));
    out += word;
    done = spans[i].end;
    notes->push_back("read '" + std::string(printed) + "' as '" + word + "'");
  }
  out.append(text.substr(done));
  return out;
}

std::string Lexicon::CorrectAddressStart(
    std::string_view address, const std::function<double(const std::string&)>& confidence,
    std::vector<std::string>* notes) const {
  // The labels that start 212 of the 312 addresses of sroie-train ("NO. 12, JALAN ...", "LOT
  // 1851-A, ..."); "UNIT" and "LEVEL" follow far behind.
  static constexpr std::string_view kLabels[] = {"NO", "LOT"};
  const std::vector<Span> spans = WordSpans(address);
  if (!entries_ || spans.size() < 2) return std::string(address);
  const std::string_view first = Spanned(address, spans[0]);
  const std::string word = AsciiUpper(first);
  if (word.size() < 2 || word.size() > 4 || DigitCount(word) > 0 ||
      DigitCount(Spanned(address, spans[1])) == 0 || confidence(word) >= kExactWord) {
    return std::string(address);
  }
  Nearest nearest(1);
  for (std::string_view label : kLabels) {
    if (word == label) return std::string(address);
    nearest.Offer(label, Cost(word, label));
  }
  const std::string best = nearest.Unique();
  // A word of two letters is one letter from many: "HQ: 7" is no "NO".
  if (best.empty() || (word.size() == 2 && EditDistance(word, best) > 1)) {
    return std::string(address);
  }
  const std::string label = InCaseOf(best, first);
  notes->push_back("read '" + std::string(first) + "' as '" + label + "'");
  return std::string(address.substr(0, spans[0].begin)) + label +
         std::string(address.substr(spans[0].end));
}

std::string Lexicon::SpellAsPrinted(std::string_view name,
                                    const std::map<std::string, int>& printed,
                                    const std::function<double(const std::string&)>& confidence,
                                    std::vector<std::string>* notes) const {
  const auto one_letter_apart = [](const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    int differ = 0;
    for (size_t i = 0; i < a.size(); ++i) differ += a[i] != b[i] ? 1 : 0;
    return differ == 1;
  };
  std::string out(name);
  const std::vector<Span> spans = WordSpans(name);
  // Right to left, so that a replacement does not move the spans still to be looked at.
  for (auto s = spans.rbegin(); s != spans.rend(); ++s) {
    const std::string_view as_read = name.substr(s->begin, s->end - s->begin);
    const std::string word = AsciiUpper(as_read);
    if (word.size() < 4 ||
        !std::all_of(word.begin(), word.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }) ||
        (entries_ && entries_->words.count(word)) || confidence(word) >= kExactWord) {
      continue;
    }
    const auto seen = printed.find(word);
    int best_count = std::max(1, seen == printed.end() ? 0 : seen->second);
    std::string best;
    bool tie = false;
    for (const auto& [other, count] : printed) {
      if (count < best_count || !HasLetter(other) || !one_letter_apart(word, other)) continue;
      tie = count == best_count && !best.empty();
      if (count > best_count) {
        best_count = count;
        best = other;
        tie = false;
      }
    }
    if (best.empty() || tie) continue;
    const std::string spelled = InCaseOf(best, as_read);
    out.replace(s->begin, s->end - s->begin, spelled);
    notes->push_back("read '" + std::string(as_read) + "' as '" + spelled +
                     "', as the document prints it elsewhere");
  }
  return out;
}

namespace {

// What OCR read of each word (upper case) of the lines that overlap a field's box.
struct FieldWords {
  // The OCR confidence (0..1); the highest where a word is printed twice.
  std::map<std::string, double> confidences;
  // The other readings OCR found likely, word by word: an OCR word "BAHRII," read also "BAHRU,"
  // gives "BAHRII" the reading "BAHRU".
  std::map<std::string, std::vector<std::string>> alternatives;
};

// Adds to `alternatives` what each of OCR's other readings of `word` says of its words (`spans`).
void AddAlternatives(const OcrWord& word, const std::vector<Span>& spans,
                     std::map<std::string, std::vector<std::string>>& alternatives) {
  for (const std::string& reading : word.alternatives) {
    // Read word for word: an alternative that joins or splits words ("SS4/4" read "SS/4") says
    // nothing of one of them.
    const std::vector<Span> reading_spans = WordSpans(reading);
    const bool aligned =
        reading_spans.size() == spans.size() &&
        std::equal(spans.begin(), spans.end(), reading_spans.begin(),
                   [](const Span& a, const Span& b) { return a.begin == b.begin; });
    if (!aligned) continue;
    for (size_t k = 0; k < spans.size(); ++k) {
      const std::string read = AsciiUpper(Spanned(word.text, spans[k]));
      const std::string other = AsciiUpper(Spanned(reading, reading_spans[k]));
      if (other == read) continue;
      auto& readings = alternatives[read];
      if (std::find(readings.begin(), readings.end(), other) == readings.end()) {
        readings.push_back(other);
      }
    }
  }
}

FieldWords ReadFieldWords(const Document& doc, const FieldValue& field) {
  FieldWords words;
  for (const OcrWord* word : doc.WordsOver(field.page, field.box)) {
    const std::vector<Span> spans = WordSpans(word->text);
    for (const Span& s : spans) {
      double& c = words.confidences[AsciiUpper(Spanned(word->text, s))];
      c = std::max(c, word->conf / 100.0);
    }
    AddAlternatives(*word, spans, words.alternatives);
  }
  return words;
}

// Whether `word` holds a mark beyond ASCII ("«", "§", "£", "©"): the names and addresses of
// sroie-train's 312 receipts print none, so OCR made it of a letter or digit.
bool HasForeignMark(std::string_view word) {
  const auto size = static_cast<int32_t>(word.size());
  for (int32_t i = 0; i < size;) {
    UChar32 c;
    U8_NEXT(word.data(), i, size, c);
    if (c >= 0x80 && !u_isalnum(c)) return true;
  }
  return false;
}

// `field`'s value with each OCR word in its box that holds a foreign mark read as OCR's first
// other reading that holds none ("(«L)" -> "(KL)"), noting each in the field's problems.
void ReadMarksAsAlternatives(const Document& doc, FieldValue& field) {
  for (const OcrWord* word : doc.WordsOver(field.page, field.box)) {
    if (!HasForeignMark(word->text)) continue;
    const auto reading = std::find_if(word->alternatives.begin(), word->alternatives.end(),
                                      [](const std::string& r) { return !HasForeignMark(r); });
    const size_t at = field.value.find(word->text);
    if (reading == word->alternatives.end() || at == std::string::npos) continue;
    field.value.replace(at, word->text.size(), *reading);
    field.problems.push_back("read '" + word->text + "' as '" + *reading + "'");
  }
}

// How often the document prints each word (upper case).
std::map<std::string, int> PrintedWords(const Document& doc) {
  std::map<std::string, int> counts;
  for (const Line& line : doc.lines()) {
    for (const Span& s : WordSpans(line.text)) {
      ++counts[AsciiUpper(Spanned(line.text, s))];
    }
  }
  return counts;
}

}  // namespace

void CorrectVendorWords(const Lexicon& lexicon, const Document& doc, Fields& fields) {
  for (const char* name : {field_name::kVendorName, field_name::kVendorAddress}) {
    const auto it = fields.find(name);
    if (it == fields.end()) continue;
    FieldValue& field = it->second;
    ReadMarksAsAlternatives(doc, field);
    const FieldWords ocr = ReadFieldWords(doc, field);
    // A word the rules cut from an OCR word ("1750" of "$1750") has that word's confidence; one
    // no OCR word holds was restored by the rules ("D.I.Y."): it stays.
    const auto confidence = [&](const std::string& word) {
      const auto c = ocr.confidences.find(word);
      if (c != ocr.confidences.end()) return c->second;
      for (const auto& [read, conf] : ocr.confidences) {
        if (read.find(word) != std::string::npos) return conf;
      }
      return 1.0;
    };
    if (name == std::string_view(field_name::kVendorName)) {
      field.value =
          lexicon.SpellAsPrinted(field.value, PrintedWords(doc), confidence, &field.problems);
    }
    // An address holds few words of its own: a long one OCR was sure of is still checked as
    // one it was not ("SETANGOR" read with 0.92); a name's own words ("STATIONERS") are not.
    const bool address = name == std::string_view(field_name::kVendorAddress);
    const auto checked = [&](const std::string& word) {
      const double c = confidence(word);
      return address && word.size() >= kLongWord && c < kExactWord ? std::min(c, kUnsureWord) : c;
    };
    if (address) {
      field.value = lexicon.CorrectAddressStart(field.value, confidence, &field.problems);
    }
    const auto alternatives = [&](const std::string& word) {
      const auto found = ocr.alternatives.find(word);
      return found == ocr.alternatives.end() ? std::vector<std::string>() : found->second;
    };
    field.value = lexicon.Correct(field.value, checked, &field.problems, alternatives);
  }
}

}  // namespace quire::extract
