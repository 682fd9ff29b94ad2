#include "forms.h"

#include <algorithm>
#include <array>

namespace quire::extract {
namespace {

// How much a form value is trusted: on the label's line, or found by position elsewhere.
constexpr double kSameLine = 0.85;
constexpr double kElsewhere = 0.7;
// Labels are short; a longer run of words before a colon is a sentence.
constexpr size_t kMaxLabelWords = 8;

struct Checkbox {
  std::string_view glyph;
  bool checked;
};

constexpr std::array<Checkbox, 8> kCheckboxes = {{{"\xE2\x98\x90", false},  // ☐
                                                  {"\xE2\x96\xA1", false},  // □
                                                  {"[ ]", false},
                                                  {"\xE2\x98\x91", true},  // ☑
                                                  {"\xE2\x98\x92", true},  // ☒
                                                  {"\xE2\x96\xA0", true},  // ■
                                                  {"[x]", true},
                                                  {"[X]", true}}};

struct BoxMark {
  size_t begin;
  size_t end;
  bool checked;
};

std::vector<BoxMark> FindCheckboxes(std::string_view text) {
  std::vector<BoxMark> marks;
  for (const Checkbox& c : kCheckboxes) {
    for (size_t pos = text.find(c.glyph); pos != std::string_view::npos;
         pos = text.find(c.glyph, pos + 1)) {
      marks.push_back({pos, pos + c.glyph.size(), c.checked});
    }
  }
  std::sort(marks.begin(), marks.end(),
            [](const BoxMark& a, const BoxMark& b) { return a.begin < b.begin; });
  return marks;
}

// The options of checkbox text: each label after its box, up to the next box.
std::vector<std::pair<std::string, bool>> Options(std::string_view text) {
  const std::vector<BoxMark> marks = FindCheckboxes(text);
  std::vector<std::pair<std::string, bool>> options;
  for (size_t i = 0; i < marks.size(); ++i) {
    const size_t end = i + 1 < marks.size() ? marks[i + 1].begin : text.size();
    const std::string_view label = Trim(text.substr(marks[i].end, end - marks[i].end));
    if (!label.empty()) options.emplace_back(std::string(label), marks[i].checked);
  }
  return options;
}

// A value with checkboxes reads as its checked options.
std::string ValueOf(std::string_view text) {
  const auto options = Options(text);
  if (options.empty()) return std::string(Trim(text));
  std::string checked;
  for (const auto& [label, on] : options) {
    if (!on) continue;
    if (!checked.empty()) checked += ", ";
    checked += label;
  }
  return checked;
}

bool EndsWithColon(const std::string& word) { return word.size() > 0 && word.back() == ':'; }

bool HasLetter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80); });
}

bool LineHasKey(const Line& line, size_t from_word) {
  for (size_t w = from_word; w < line.words.size(); ++w) {
    if (EndsWithColon(line.words[w].text)) return true;
  }
  return false;
}

void Add(Fields& fields, std::string name, const Candidate& c) {
  if (name.empty() || c.value.empty()) return;
  fields.try_emplace(std::move(name), ToFieldValue(c));
}

// The value of the key ending at word `colon` of `line`, whose next key starts at `next_key`.
std::optional<Candidate> KeyValue(const Document& doc, const Line& line, size_t colon,
                                  size_t next_key, const Box& key_box) {
  if (colon + 1 < next_key) {
    // The words after the colon, up to the end of their cell or the next key.
    const size_t begin = line.word_begin[colon + 1];
    size_t end = line.text.size();
    if (next_key < line.words.size()) end = line.word_begin[next_key] - 1;
    const std::string value = ValueOf(std::string_view(line.text).substr(begin, end - begin));
    if (!value.empty()) return MakeCandidate(value, line, begin, end, kSameLine);
  }
  if (colon + 1 == line.words.size()) {
    for (const Line* right : doc.LinesRightOf(line, key_box)) {
      if (LineHasKey(*right, 0)) break;
      return MakeCandidate(ValueOf(right->text), *right, 0, right->text.size(), kElsewhere);
    }
    for (const Line* below : doc.LinesBelow(line, key_box, 1.5, 0)) {
      for (size_t w = 0; w < below->words.size(); ++w) {
        if (below->words[w].box.right() < key_box.x) continue;
        if (LineHasKey(*below, w)) return std::nullopt;
        const size_t begin = below->word_begin[w];
        return MakeCandidate(ValueOf(std::string_view(below->text).substr(begin)), *below, begin,
                             below->text.size(), kElsewhere);
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

void KeysOfLine(const Document& doc, const Line& line, Fields& fields) {
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
    if (auto value = KeyValue(doc, line, colon, next_key, line.BoxOf(begin, end + 1))) {
      Add(fields, key, *value);
    }
  }
}

// Checkboxes without a "Label:" on their line: each option is a field, "checked" or not.
void StandaloneCheckboxes(const Line& line, Fields& fields) {
  for (const auto& [label, checked] : Options(line.text)) {
    const size_t begin = line.text.find(label);
    Add(fields, label,
        MakeCandidate(checked ? "checked" : "unchecked", line, begin, begin + label.size(),
                      kSameLine));
  }
}

}  // namespace

Fields ExtractFormFields(const Document& doc) {
  Fields fields;
  for (const Line& line : doc.lines()) {
    if (LineHasKey(line, 0)) {
      KeysOfLine(doc, line, fields);
    } else {
      StandaloneCheckboxes(line, fields);
    }
  }
  return fields;
}

}  // namespace quire::extract
