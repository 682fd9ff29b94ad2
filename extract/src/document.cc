#include "document.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>
#include <set>
#include <span>

#include "lexicon.h"
#include "text.h"

namespace quire::extract {
namespace {

// A horizontal gap wider than this many word heights separates two columns of one OCR line.
constexpr double kCellGap = 1.8;

}  // namespace

Line MakeLine(int page, std::vector<OcrWord> words) {
  Line line;
  line.page = page;
  for (OcrWord& w : words) {
    if (!line.text.empty()) line.text += ' ';
    line.word_begin.push_back(line.text.size());
    line.text += w.text;
    line.box = line.box.Union(w.box);
  }
  line.words = std::move(words);
  line.tokens = Tokenize(line.text);
  return line;
}

namespace {

int MiddleY(const Box& b) { return b.y + b.h / 2; }

// `box` on a page of `width` x `height` pixels once the page is turned `degrees` clockwise.
Box TurnBox(const Box& box, int degrees, int width, int height) {
  switch (degrees) {
    case 90: return {height - box.bottom(), box.x, box.h, box.w};
    case 180: return {width - box.right(), height - box.bottom(), box.w, box.h};
    case 270: return {box.y, width - box.right(), box.h, box.w};
    default: return box;
  }
}

// `box` with its centre turned `degrees` about the centre of a `width` x `height` page, y
// pointing down: turned by a page's skew, a tilted row of words is level again.
Box Untilted(const Box& box, double degrees, int width, int height) {
  if (degrees == 0) return box;
  const double angle = degrees * std::numbers::pi / 180;
  const double dx = box.x + box.w / 2.0 - width / 2.0;
  const double dy = box.y + box.h / 2.0 - height / 2.0;
  const double x = width / 2.0 + dx * std::cos(angle) - dy * std::sin(angle);
  const double y = height / 2.0 + dx * std::sin(angle) + dy * std::cos(angle);
  return {static_cast<int>(std::lround(x - box.w / 2.0)),
          static_cast<int>(std::lround(y - box.h / 2.0)), box.w, box.h};
}

// `page` as a person reads it: turned `rotation` degrees clockwise, then its tilt undone.
PageText Upright(PageText page) {
  const auto [width, height] = page.rotation == 90 || page.rotation == 270
                                   ? std::pair(page.height, page.width)
                                   : std::pair(page.width, page.height);
  for (OcrWord& w : page.words) {
    w.box =
        Untilted(TurnBox(w.box, page.rotation, page.width, page.height), page.skew, width, height);
  }
  page.width = width;
  page.height = height;
  page.rotation = 0;
  page.skew = 0;
  return page;
}

// Whether a column gap separates two neighbouring words of one OCR line whose words are
// `height` tall: the line's median, so that neither a logo read as a tall letter nor a short dash
// changes what counts as a gap.
bool ColumnGap(const OcrWord& left, const OcrWord& right, int height) {
  return right.box.x - left.box.right() > kCellGap * height;
}

}  // namespace

size_t Line::WordAt(size_t pos) const {
  const auto it = std::upper_bound(word_begin.begin(), word_begin.end(), pos);
  return it == word_begin.begin() ? 0 : static_cast<size_t>(it - word_begin.begin()) - 1;
}

Box Line::BoxOf(size_t begin, size_t end) const {
  Box box;
  if (words.empty() || end <= begin) return box;
  for (size_t i = WordAt(begin); i <= WordAt(end - 1); ++i) box = box.Union(words[i].box);
  return box;
}

Evidence EvidenceOf(const Line& line, size_t begin, size_t end) {
  Evidence e;
  e.page = line.page;
  if (line.words.empty() || end <= begin) return e;
  e.text = line.text.substr(begin, end - begin);
  e.box = line.BoxOf(begin, end);
  const size_t first = line.WordAt(begin);
  const size_t last = line.WordAt(end - 1);
  double sum = 0;
  for (size_t i = first; i <= last; ++i) sum += line.words[i].conf;
  e.ocr_conf = std::clamp(sum / 100.0 / static_cast<double>(last - first + 1), 0.0, 1.0);
  return e;
}

Evidence JoinEvidence(const std::vector<Evidence>& parts, std::string_view separator) {
  Evidence joined;
  double conf_sum = 0;
  int count = 0;
  for (const Evidence& part : parts) {
    if (part.text.empty()) continue;
    if (count == 0) {
      joined.page = part.page;
    } else {
      joined.text += separator;
    }
    joined.text += part.text;
    if (part.page == joined.page) joined.box = joined.box.Union(part.box);
    conf_sum += part.ocr_conf;
    ++count;
  }
  if (count > 0) joined.ocr_conf = conf_sum / count;
  return joined;
}

Document::Document(const std::vector<PageText>& pages) {
  for (int p = 0; p < static_cast<int>(pages.size()); ++p) {
    pages_.push_back(Upright(pages[p]));
    rotations_.push_back(pages[p].rotation);
    skews_.push_back(pages[p].skew);
    const std::span<const OcrWord> words = pages_[p].words;
    text_height_.push_back(MedianWordHeight(words));
    for (size_t begin = 0, end = 0; begin < words.size(); begin = end) {
      while (end < words.size() && words[end].block == words[begin].block &&
             words[end].line == words[begin].line) {
        ++end;
      }
      AddOcrLine(p, words.subspan(begin, end - begin));
    }
  }
}

void Document::AddOcrLine(int page, std::span<const OcrWord> words) {
  const int height = MedianWordHeight(words);
  std::vector<OcrWord> current;
  bool options = false;  // whether `current` holds a checkbox
  for (const OcrWord& w : words) {
    const bool checkbox = CheckboxGlyph(w.text).has_value();
    // The options of a checkbox group are set far apart ("Title: ☐ Mr    ☐ Mrs    ☒ Ms"): a
    // box after a gap is the next option, not a new column.
    if (!current.empty() && ColumnGap(current.back(), w, height) && !(options && checkbox)) {
      lines_.push_back(MakeLine(page, std::move(current)));
      current.clear();
      options = false;
    }
    current.push_back(w);
    options = options || checkbox;
  }
  if (!current.empty()) lines_.push_back(MakeLine(page, std::move(current)));
}

Box Document::OriginalBox(int page, const Box& box) const {
  if (page < 0 || page >= page_count() || box.empty()) return box;
  const int width = pages_[page].width;
  const int height = pages_[page].height;
  const int degrees = (360 - rotations_[page]) % 360;
  return TurnBox(Untilted(box, -skews_[page], width, height), degrees, width, height);
}

std::vector<const OcrWord*> Document::WordsOver(int page, const Box& box) const {
  std::vector<const OcrWord*> words;
  for (const Line& line : lines_) {
    if (line.page != page || !line.box.Overlaps(box)) continue;
    for (const OcrWord& word : line.words) words.push_back(&word);
  }
  return words;
}

std::vector<const Line*> Document::LinesRightOf(const Line& line, const Box& anchor) const {
  std::vector<const Line*> out;
  for (const Line& other : lines_) {
    if (&other == &line || other.page != line.page || other.words.empty()) continue;
    const int middle = MiddleY(other.box);
    if (middle < anchor.y || middle > anchor.bottom()) continue;
    if (other.box.x < anchor.right()) continue;
    out.push_back(&other);
  }
  std::sort(out.begin(), out.end(),
            [](const Line* a, const Line* b) { return a->box.x < b->box.x; });
  return out;
}

std::vector<const Line*> Document::LinesBelow(const Line& line, const Box& anchor, double max_gap,
                                              double slack) const {
  const int unit = TextHeight(line.page);
  const int left = anchor.x - static_cast<int>(slack * unit);
  const int right = anchor.right() + static_cast<int>(slack * unit);
  const int lowest = anchor.bottom() + static_cast<int>(max_gap * unit);
  std::vector<const Line*> out;
  for (const Line& other : lines_) {
    if (&other == &line || other.page != line.page || other.words.empty()) continue;
    if (MiddleY(other.box) <= anchor.bottom() || other.box.y > lowest) continue;
    if (other.box.right() < left || other.box.x > right) continue;
    out.push_back(&other);
  }
  std::sort(out.begin(), out.end(),
            [](const Line* a, const Line* b) { return a->box.y < b->box.y; });
  return out;
}

std::vector<Line> Document::Rows(int page) const {
  std::vector<OcrWord> words = pages_[page].words;
  const auto middle = [](const OcrWord& w) { return w.box.y + w.box.h / 2; };
  std::sort(words.begin(), words.end(),
            [&](const OcrWord& a, const OcrWord& b) { return middle(a) < middle(b); });
  std::vector<std::vector<OcrWord>> rows;
  for (const OcrWord& w : words) {
    // A word joins the row whose first word it overlaps vertically.
    if (rows.empty() || middle(w) > rows.back().front().box.bottom()) rows.emplace_back();
    rows.back().push_back(w);
  }
  std::vector<Line> out;
  for (auto& row : rows) {
    std::sort(row.begin(), row.end(),
              [](const OcrWord& a, const OcrWord& b) { return a.box.x < b.box.x; });
    out.push_back(MakeLine(page, std::move(row)));
  }
  return out;
}

bool PhraseAt(const std::vector<Token>& tokens, const std::vector<std::string>& phrase, size_t at) {
  if (phrase.empty() || at + phrase.size() > tokens.size()) return false;
  for (size_t k = 0; k < phrase.size(); ++k) {
    if (tokens[at + k].folded != phrase[k]) return false;
  }
  return true;
}

bool ContainsPhrase(const std::vector<Token>& tokens, const std::vector<std::string>& phrase) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (PhraseAt(tokens, phrase, i)) return true;
  }
  return false;
}

namespace {

// Tokens before and after a label that an excluded phrase may touch to disqualify it.
constexpr size_t kExcludedBefore = 1;
constexpr size_t kExcludedAfter = 2;

// Whether OCR's token `read` is the label word `printed`: the same, or one letter off a word of
// five letters or more ("tota", "tatal", "totai" for "total") when it is neither one of the label
// words `words` looked for nor a word receipts print ("charge" is no "change").
bool ReadsAs(const std::string& read, const std::string& printed,
             const std::set<std::string>& words) {
  if (read == printed) return true;
  const bool letters = std::all_of(
      read.begin(), read.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  return printed.size() >= 5 && read.size() + 1 >= printed.size() && letters &&
         !words.count(read) && EditDistance(read, printed) == 1 &&
         !Lexicon::Builtin().Knows(AsciiUpper(read));
}

bool Excluded(const Line& line, size_t first, size_t last,
              const std::vector<std::vector<std::string>>& excluded) {
  const size_t from = first >= kExcludedBefore ? first - kExcludedBefore : 0;
  const size_t to = std::min(line.tokens.size(), last + kExcludedAfter + 1);
  for (const auto& phrase : excluded) {
    // Phrases that start before the window may still reach into it.
    const size_t start = from >= phrase.size() - 1 ? from - (phrase.size() - 1) : 0;
    for (size_t at = start; at < to; ++at) {
      if (PhraseAt(line.tokens, phrase, at)) return true;
    }
  }
  return false;
}

// Whether the phrase ending at token `last` is a possessive ("CUSTOMER'S COPY", "Customer's
// Payment"): it names something of the customer's, and is no label.
bool Possessive(const Line& line, size_t last) {
  const std::string_view after = std::string_view(line.text).substr(line.tokens[last].end);
  for (std::string_view apostrophe : {"'", "\u2019"}) {
    if (after.substr(0, apostrophe.size()) != apostrophe) continue;
    const std::string_view rest = after.substr(apostrophe.size());
    if (!rest.empty() && (rest[0] == 's' || rest[0] == 'S') &&
        (rest.size() == 1 || !std::isalnum(static_cast<unsigned char>(rest[1])))) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<LabelHit> FindLabels(const Document& doc, const std::vector<LabelPhrase>& phrases,
                                 const std::vector<std::string_view>& excluded) {
  std::vector<std::vector<std::string>> folded;
  for (const LabelPhrase& p : phrases) folded.push_back(FoldedTokens(p.phrase));
  std::vector<std::vector<std::string>> folded_excluded;
  for (std::string_view e : excluded) folded_excluded.push_back(FoldedTokens(e));
  std::set<std::string> words;
  for (const auto& phrase : folded) words.insert(phrase.begin(), phrase.end());
  for (const auto& phrase : folded_excluded) words.insert(phrase.begin(), phrase.end());
  const auto phrase_at = [&](const std::vector<Token>& tokens,
                             const std::vector<std::string>& phrase, size_t at) {
    if (phrase.empty() || at + phrase.size() > tokens.size()) return false;
    for (size_t k = 0; k < phrase.size(); ++k) {
      if (!ReadsAs(tokens[at + k].folded, phrase[k], words)) return false;
    }
    return true;
  };

  std::vector<LabelHit> hits;
  for (const Line& line : doc.lines()) {
    for (size_t at = 0; at < line.tokens.size();) {
      const LabelPhrase* best = nullptr;
      size_t length = 0;
      for (size_t p = 0; p < phrases.size(); ++p) {
        if (folded[p].size() > length && phrase_at(line.tokens, folded[p], at)) {
          best = &phrases[p];
          length = folded[p].size();
        }
      }
      if (best == nullptr) {
        ++at;
        continue;
      }
      const size_t last = at + length - 1;
      if (!Excluded(line, at, last, folded_excluded) && !Possessive(line, last)) {
        hits.push_back(LabelHit{&line, at, last, best->weight, best->same_line_only});
      }
      at = last + 1;
    }
  }
  return hits;
}

}  // namespace quire::extract
