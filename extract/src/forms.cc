#include "forms.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace quire::extract {
namespace {

// How much a form value is trusted: on the label's line, or found by position elsewhere.
constexpr double kSameLine = 0.85;
constexpr double kElsewhere = 0.7;
// Labels are short; a longer run of words before a colon is a sentence.
constexpr size_t kMaxLabelWords = 8;
// A value wraps onto at most this many lines, set at most this far apart (in text heights).
constexpr int kMaxValueLines = 6;
constexpr double kWrapGap = 1.5;

// How OCR reads a printed box's outline, and the marks in a ticked one.
constexpr std::string_view kOutline = "[]()|_-";
constexpr std::string_view kEmDash = "\xE2\x80\x94";
constexpr std::string_view kTicks[] = {"X", "x", "K", "&X", "\xE2\x9C\x93", "\xE2\x9C\x94"};

// Whether `word` is a checkbox, and if so whether it is ticked: a glyph, or a box as OCR reads it
// ("[ ]" as "[]", "(J", "LJ", "(_]"; ticked as "[X", "K]", "[—X]").
std::optional<bool> ReadCheckbox(std::string_view word) {
  if (const std::optional<bool> glyph = CheckboxGlyph(word)) return glyph;
  if (word.size() > 6) return std::nullopt;
  std::string rest;
  bool outline = false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (word.substr(i, kEmDash.size()) == kEmDash) {
      i += kEmDash.size() - 1;
    } else if (kOutline.find(word[i]) != std::string_view::npos) {
      outline = true;
    } else {
      rest += word[i];
    }
  }
  // "LJ" and "L]" are a box's lower corners.
  if (rest.size() >= 2 && rest.front() == 'L' && (outline || rest.back() == 'J')) rest.erase(0, 1);
  if (!rest.empty() && rest.back() == 'J' && (outline || word.front() == 'L')) rest.pop_back();
  outline = outline || word == "LJ";
  if (!outline) return std::nullopt;
  if (rest.empty()) return false;
  if (std::find(std::begin(kTicks), std::end(kTicks), rest) != std::end(kTicks)) return true;
  return std::nullopt;
}

struct Option {
  std::string label;
  bool ticked;
  size_t begin = 0;  // bytes [begin, end) of the text the label was read from
  size_t end = 0;
};

// The options of checkbox text: each label after its box, up to the next box.
std::vector<Option> Options(std::string_view text) {
  std::vector<Option> options;
  bool after_glyph = false;
  for (size_t begin = 0, end = 0; begin < text.size(); begin = end + 1) {
    end = std::min(text.find(' ', begin), text.size());
    std::string_view word = text.substr(begin, end - begin);
    if (word.empty()) continue;
    // Right after a glyph (a box that capture found on the image and took the outline's letters
    // of), a lone bar is no box but a capital I as Tesseract reads one: "☒ | declare that".
    if (after_glyph && word == "|") word = "I";
    after_glyph = CheckboxGlyph(word).has_value();
    if (const std::optional<bool> box = ReadCheckbox(word)) {
      options.push_back({"", *box});
    } else if (!options.empty()) {
      Option& option = options.back();
      if (option.label.empty()) {
        option.begin = begin;
      } else {
        option.label += ' ';
      }
      option.label += word;
      option.end = end;
    }
  }
  std::erase_if(options, [](const Option& o) { return o.label.empty(); });
  return options;
}

// `text` without the fill-in rule it was written on: the underscores OCR reads around a value
// ("___300___", "_Hong Kong").
std::string_view WithoutFillInRule(std::string_view text) {
  const size_t begin = text.find_first_not_of("_ ");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of("_ ") + 1 - begin);
}

// A value with checkboxes reads as its ticked options; dates in a value read as ISO dates.
std::string ValueOf(std::string_view text, DateOrder order) {
  const std::vector<Option> options = Options(text);
  std::string value;
  if (options.empty()) value = WithoutFillInRule(text);
  for (const Option& o : options) {
    if (!o.ticked) continue;
    if (!value.empty()) value += ", ";
    value += o.label;
  }
  const std::vector<TextMatch> dates = FindDates(value, order);
  for (auto it = dates.rbegin(); it != dates.rend(); ++it) {
    value.replace(it->begin, it->end - it->begin, it->value);
  }
  return value;
}

bool EndsWithColon(const std::string& word) { return word.size() > 0 && word.back() == ':'; }

bool HasLetter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80);
  });
}

bool LineHasKey(const Line& line, size_t from_word) {
  for (size_t w = from_word; w < line.words.size(); ++w) {
    if (EndsWithColon(line.words[w].text)) return true;
  }
  return false;
}

void Add(Fields& fields, std::string name, const Candidate& c) {
  if (!name.empty()) fields.try_emplace(std::move(name), ToFieldValue(c));
}

// A value written under its key, from byte `begin` of `line`, with the lines it wraps onto: those
// right under it, starting where it starts, that hold no key and no checkbox. (A value beside
// its key is read from its line alone: on real forms the lines under it are other fields.)
Evidence WrappedValue(const Document& doc, const Line& line, size_t begin) {
  std::vector<Evidence> parts = {EvidenceOf(line, begin, line.text.size())};
  const int height = doc.TextHeight(line.page);
  const Line* previous = &line;
  for (int n = 1; n < kMaxValueLines; ++n) {
    const std::vector<const Line*> below = doc.LinesBelow(*previous, parts.back().box, kWrapGap, 0);
    if (below.empty()) break;
    const Line& next = *below.front();
    if (std::abs(next.box.x - parts.front().box.x) > height || LineHasKey(next, 0) ||
        !Options(next.text).empty()) {
      break;
    }
    parts.push_back(EvidenceOf(next, 0, next.text.size()));
    previous = &next;
  }
  return JoinEvidence(parts, " ");
}

// The value of the key ending at word `colon` of `line`, whose next key starts at `next_key`.
std::optional<Candidate> KeyValue(const Document& doc, const Line& line, size_t colon,
                                  size_t next_key, const Box& key_box, DateOrder order) {
  if (colon + 1 < next_key) {
    // The words after the colon, up to the end of their cell or the next key.
    const size_t begin = line.word_begin[colon + 1];
    size_t end = line.text.size();
    if (next_key < line.words.size()) end = line.word_begin[next_key] - 1;
    const std::string value =
        ValueOf(std::string_view(line.text).substr(begin, end - begin), order);
    if (!value.empty()) return MakeCandidate(value, line, begin, end, kSameLine);
  }
  if (colon + 1 == line.words.size()) {
    for (const Line* right : doc.LinesRightOf(line, key_box)) {
      if (LineHasKey(*right, 0)) break;
      return MakeCandidate(ValueOf(right->text, order), *right, 0, right->text.size(), kElsewhere);
    }
    for (const Line* below : doc.LinesBelow(line, key_box, 1.5, 0)) {
      for (size_t w = 0; w < below->words.size(); ++w) {
        if (below->words[w].box.right() < key_box.x) continue;
        if (LineHasKey(*below, w)) return std::nullopt;
        const Evidence wrapped = WrappedValue(doc, *below, below->word_begin[w]);
        return Candidate{ValueOf(wrapped.text, order), wrapped, kElsewhere};
      }
    }
  }
  return std::nullopt;
}

// Where the key ending at each colon word starts: at the start of the line, or right at the
// colon word when an earlier key shares the line ("Group: Licensee To: Wigand"), since the
// previous value cannot be told from a longer key.
std::vector<size_t> KeyStarts(const std::vector<size_t>& colons) {
  std::vector<size_t> starts;
  for (size_t k = 0; k < colons.size(); ++k) starts.push_back(k == 0 ? 0 : colons[k]);
  return starts;
}

void KeysOfLine(const Document& doc, const Line& line, DateOrder order, Fields& fields) {
  std::vector<size_t> colons;
  for (size_t w = 0; w < line.words.size(); ++w) {
    if (EndsWithColon(line.words[w].text)) colons.push_back(w);
  }
  const std::vector<size_t> starts = KeyStarts(colons);
  for (size_t k = 0; k < colons.size(); ++k) {
    const size_t colon = colons[k];
    if (colon - starts[k] + 1 > kMaxLabelWords) continue;
    const size_t begin = line.word_begin[starts[k]];
    const size_t end = line.word_begin[colon] + line.words[colon].text.size() - 1;
    const std::string key(Trim(std::string_view(line.text).substr(begin, end - begin)));
    if (!HasLetter(key)) continue;
    const size_t next_key = k + 1 < colons.size() ? starts[k + 1] : line.words.size();
    // A key with nothing filled in is still a field of the form, with an empty value.
    Add(fields, key,
        KeyValue(doc, line, colon, next_key, line.BoxOf(begin, end + 1), order)
            .value_or(MakeCandidate("", line, begin, end + 1, kSameLine)));
  }
}

// Checkboxes without a "Label:" on their line: each option is a field, "X" when ticked, else
// empty.
void StandaloneCheckboxes(const Line& line, Fields& fields) {
  for (const Option& o : Options(line.text)) {
    Add(fields, o.label, MakeCandidate(o.ticked ? "X" : "", line, o.begin, o.end, kSameLine));
  }
}

}  // namespace

Fields ExtractFormFields(const Document& doc, DateOrder order) {
  Fields fields;
  for (const Line& line : doc.lines()) {
    if (LineHasKey(line, 0)) {
      KeysOfLine(doc, line, order, fields);
    } else {
      StandaloneCheckboxes(line, fields);
    }
  }
  return fields;
}

}  // namespace quire::extract
