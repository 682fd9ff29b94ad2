// The document as the extractors see it: lines of words with their boxes, folded tokens, and
// layout queries (what lies to the right of or below a label).
//
// A Line is a run of consecutive words that OCR put on one line of one block, split where a gap
// wider than about two character heights separates columns: "Invoice No." and its value printed
// far apart are two Lines, as are the two halves of "BILL TO      SHIP TO"; the options of a
// checkbox group, set as far apart, stay one Line ("Title: ☐ Mr    ☒ Ms"). Tesseract may also
// put the columns of one printed row into different lines, so "to the right of" is answered from
// the boxes, not from line indices. Byte offsets into Line::text map back to words, which give a
// value its box and confidence.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "quire/common/page.h"
#include "text.h"

namespace quire::extract {

struct Line {
  int page = 0;
  std::string text;  // the words joined by single spaces
  std::vector<OcrWord> words;
  std::vector<size_t> word_begin;  // byte offset of each word in `text`
  std::vector<Token> tokens;       // of `text`
  Box box;                         // union of the word boxes

  // The word holding byte offset `pos` (the last word for an offset past the end).
  size_t WordAt(size_t pos) const;
  // Box of the words overlapping bytes [begin, end).
  Box BoxOf(size_t begin, size_t end) const;
};

// A line of `words`, in the order given.
Line MakeLine(int page, std::vector<OcrWord> words);

// Where a value was read: the printed text, its page and box, and the mean OCR confidence (0..1)
// of the words it came from.
struct Evidence {
  std::string text;
  int page = 0;
  Box box;
  double ocr_conf = 0;
};

Evidence EvidenceOf(const Line& line, size_t begin, size_t end);

// Evidence spanning several lines (an address); empty lines are skipped.
Evidence JoinEvidence(const std::vector<Evidence>& parts, std::string_view separator);

// The document as read: each page turned upright and level (by its PageText::rotation and skew),
// so that "above", "below" and "to the right of" hold on a page scanned sideways, upside down or
// tilted. Boxes are in the upright page's pixels until OriginalBox() maps them back.
class Document {
 public:
  explicit Document(const std::vector<PageText>& pages);

  const std::vector<Line>& lines() const { return lines_; }
  int page_count() const { return static_cast<int>(pages_.size()); }
  // The page turned upright: its width, height and word boxes read as printed.
  const PageText& page(int index) const { return pages_[index]; }
  // `box` on upright page `page` in the coordinates of the page as decoded, where a viewer
  // draws it (see PageText).
  Box OriginalBox(int page, const Box& box) const;
  // Median word height on the page of `line`: the unit for "near" in layout queries.
  int TextHeight(int page) const { return text_height_[page]; }

  // The words of the lines on `page` that overlap `box`, in reading order: for a field's box, the
  // words it was read from and those beside them on their lines.
  std::vector<const OcrWord*> WordsOver(int page, const Box& box) const;
  // Other lines on the same page whose vertical middle lies within `anchor`'s rows, starting to
  // the right of it; nearest first.
  std::vector<const Line*> LinesRightOf(const Line& line, const Box& anchor) const;
  // Lines below `anchor` on the same page, at most `max_gap` text heights lower, that overlap it
  // horizontally once widened by `slack` text heights on each side; nearest first.
  std::vector<const Line*> LinesBelow(const Line& line, const Box& anchor, double max_gap,
                                      double slack) const;

  // The printed rows of a page, top to bottom, each as one Line of its words left to right:
  // OCR often reads a table column by column, so its rows are rebuilt from the word boxes.
  std::vector<Line> Rows(int page) const;

 private:
  // Adds the words of one OCR line as Lines, split at column gaps.
  void AddOcrLine(int page, std::span<const OcrWord> words);

  std::vector<PageText> pages_;  // upright
  std::vector<int> rotations_;   // of the pages as decoded
  std::vector<double> skews_;
  std::vector<Line> lines_;
  std::vector<int> text_height_;
};

// A label phrase with how strongly it announces its field.
struct LabelPhrase {
  std::string_view phrase;
  double weight = 1.0;
  // Whether the value must follow on the label's own line: a bare "Invoice" is also a title.
  bool same_line_only = false;
};

// A label found on a line: tokens [first, last] of the line matched the phrase.
struct LabelHit {
  const Line* line = nullptr;
  size_t first = 0;
  size_t last = 0;
  double weight = 0;
  bool same_line_only = false;
  size_t value_begin() const { return line->tokens[last].end; }
  Box box() const { return line->BoxOf(line->tokens[first].begin, line->tokens[last].end); }
};

// Every occurrence of any of `phrases` in the document, matched token by token after folding, a
// word of five letters or more also as OCR reads it one letter off ("Tatal", "Tota"), unless the
// token is a word receipts print (Lexicon::Knows: "Charge" is no "Change"); where phrases
// overlap, the longest wins ("grand total" over "total"). An occurrence is skipped
// when one of the `excluded` phrases touches it: from the token before it to two tokens after
// ("Sub Total", "Total Saving", "Total (Excl. GST)"), and when it is a possessive ("CUSTOMER'S
// COPY").
std::vector<LabelHit> FindLabels(const Document& doc, const std::vector<LabelPhrase>& phrases,
                                 const std::vector<std::string_view>& excluded = {});

// Whether the folded tokens of `phrase` occur in order and adjacent in `tokens`.
bool ContainsPhrase(const std::vector<Token>& tokens, const std::vector<std::string>& phrase);

// Whether `phrase` occurs at token `at` of `tokens`.
bool PhraseAt(const std::vector<Token>& tokens, const std::vector<std::string>& phrase, size_t at);

}  // namespace quire::extract
