#include "side_by_side.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <span>

#include "page_layout.h"

namespace quire::capture {
namespace {

// A gap this many word heights wide between two words of a line parts two columns.
constexpr int kColumnGap = 3;
// Blocks printed side by side lie this many word heights apart, or more (a receipt's prices
// sit closer to their items).
constexpr int kBlockGap = 12;
// A word read under this confidence was likely misread.
constexpr float kPoorWord = 50;
// Darker than this is ink.
constexpr int kInkLevel = 128;
// Added to the block numbers of words read again, to keep their lines apart from the others.
constexpr int kRereadBlocks = 1 << 20;

// A line as Tesseract grouped its words (same block and line number): words[begin, end).
struct TesseractLine {
  size_t begin = 0;  // of its words
  size_t end = 0;
  Box box;
  int word_height = 0;  // the median
};

std::vector<TesseractLine> LinesOf(const std::vector<OcrWord>& words) {
  std::vector<TesseractLine> lines;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i == 0 || words[i].line != words[i - 1].line || words[i].block != words[i - 1].block) {
      lines.push_back({i, i, Box(), 0});
    }
    lines.back().end = i + 1;
    lines.back().box = lines.back().box.Union(words[i].box);
  }
  for (TesseractLine& line : lines) {
    line.word_height = MedianWordHeight({words.begin() + line.begin, words.begin() + line.end});
  }
  return lines;
}

// An x interval between two columns, free of words.
struct Gutter {
  int left = 0;
  int right = 0;
  int width() const { return right - left; }
};

// The gaps between the line's words wide enough to part columns.
std::vector<Gutter> GuttersOf(const std::vector<OcrWord>& words, const TesseractLine& line) {
  std::vector<Box> boxes;
  for (size_t i = line.begin; i < line.end; ++i) boxes.push_back(words[i].box);
  std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.x < b.x; });
  std::vector<Gutter> gutters;
  int reach = boxes.front().right();
  for (size_t k = 1; k < boxes.size(); ++k) {
    if (boxes[k].x - reach >= kColumnGap * line.word_height) gutters.push_back({reach, boxes[k].x});
    reach = std::max(reach, boxes[k].right());
  }
  return gutters;
}

bool ReadPoorly(const std::vector<OcrWord>& words, const TesseractLine& line) {
  return std::any_of(words.begin() + line.begin, words.begin() + line.end,
                     [](const OcrWord& word) { return word.conf < kPoorWord; });
}

// A table's row, where a band ends: four columns or more. (A block of labels and values beside
// a letterhead makes three.)
bool IsTableRow(const std::vector<OcrWord>& words, const TesseractLine& line) {
  return GuttersOf(words, line).size() >= 3;
}

// `gutter` narrowed so that no word of the line lies in it; nothing when a word straddles it, too
// little of it is left, or the line is a table's row.
std::optional<Gutter> Narrow(Gutter gutter, const std::vector<OcrWord>& words,
                             const TesseractLine& line) {
  if (IsTableRow(words, line) && !ReadPoorly(words, line)) return std::nullopt;
  const int middle = (gutter.left + gutter.right) / 2;
  for (size_t i = line.begin; i < line.end; ++i) {
    const Box& box = words[i].box;
    if (box.right() <= middle) {
      gutter.left = std::max(gutter.left, box.right());
    } else if (box.x >= middle) {
      gutter.right = std::min(gutter.right, box.x);
    } else {
      return std::nullopt;
    }
  }
  if (gutter.width() < kColumnGap * line.word_height) return std::nullopt;
  return gutter;
}

bool HasWordsOnBothSides(const std::vector<OcrWord>& words, const TesseractLine& line,
                         const Gutter& gutter) {
  bool left = false;
  bool right = false;
  for (size_t i = line.begin; i < line.end; ++i) {
    left = left || words[i].box.right() <= gutter.left;
    right = right || words[i].box.x >= gutter.right;
  }
  return left && right;
}

// Lines [first, last] that read as two columns either side of `gutter`.
struct Band {
  size_t first = 0;
  size_t last = 0;
  Gutter gutter;
};

// The band around the poorly read line `seed`: the lines above and below that leave the gutter
// free, less those at either end with words on one side only.
Band GrowBand(const std::vector<OcrWord>& words, const std::vector<TesseractLine>& lines,
              size_t seed, Gutter gutter) {
  Band band{seed, seed, gutter};
  while (band.first > 0) {
    const auto narrowed = Narrow(band.gutter, words, lines[band.first - 1]);
    if (!narrowed) break;
    band.gutter = *narrowed;
    --band.first;
  }
  while (band.last + 1 < lines.size()) {
    const auto narrowed = Narrow(band.gutter, words, lines[band.last + 1]);
    if (!narrowed) break;
    band.gutter = *narrowed;
    ++band.last;
  }
  while (band.first < seed && !HasWordsOnBothSides(words, lines[band.first], band.gutter)) {
    ++band.first;
  }
  while (band.last > seed && !HasWordsOnBothSides(words, lines[band.last], band.gutter)) {
    --band.last;
  }
  return band;
}

// The characters of words read with confidence: what a second reading must add to, since the
// debris of a logo or a stamp lowers a mean confidence without hiding any text.
size_t SurelyRead(const std::vector<OcrWord>& words) {
  size_t characters = 0;
  for (const OcrWord& word : words) {
    if (word.conf >= kPoorWord) characters += word.text.size();
  }
  return characters;
}

// A row of the image inside `cols` where no ink is: `row` itself or the first such row within
// `reach` rows from it in `step`'s direction; `row` if there is none.
int BlankRowFrom(const cv::Mat& image, cv::Range cols, int row, int step, int reach) {
  for (int r = row, n = 0; n <= reach && r >= 0 && r < image.rows; r += step, ++n) {
    cv::Mat ink;
    cv::compare(image.row(r).colRange(cols), kInkLevel, ink, cv::CMP_LT);
    if (cv::countNonZero(ink) == 0) return r;
  }
  return row;
}

// Reads rows [top, bottom) of the image again, left and right of `split` apart, each side's
// rows moved to where they cut no letters of the lines above and below; boxes in the image's
// pixels.
std::vector<OcrWord> ReadColumns(const cv::Mat& image, int dpi, OcrEngine& engine, int top,
                                 int bottom, int split, int line_height) {
  std::vector<OcrWord> read;
  const cv::Range sides[] = {cv::Range(0, split), cv::Range(split, image.cols)};
  for (int side = 0; side < 2; ++side) {
    const cv::Range rows(BlankRowFrom(image, sides[side], top, 1, line_height),
                         BlankRowFrom(image, sides[side], bottom - 1, -1, line_height) + 1);
    if (rows.size() <= 0) continue;
    Result<std::vector<OcrWord>> words = engine.Recognize(image(rows, sides[side]), dpi);
    if (!words.ok()) return {};
    for (OcrWord& word : *words) {
      word.box.x += sides[side].start;
      word.box.y += rows.start;
      word.block += kRereadBlocks * (side + 1);
      read.push_back(std::move(word));
    }
  }
  return read;
}

int Middle(const Box& box) { return box.y + box.h / 2; }

bool OnRightSide(const std::vector<OcrWord>& read, const TesseractLine& line) {
  return read[line.begin].block >= 2 * kRereadBlocks;
}

// The left-hand line that `right` shares its height with, the nearest if several; none if none.
std::optional<size_t> RowPartner(const std::vector<OcrWord>& read,
                                 const std::vector<TesseractLine>& lines,
                                 const TesseractLine& right) {
  std::optional<size_t> partner;
  int best = 0;
  for (size_t n = 0; n < lines.size(); ++n) {
    if (OnRightSide(read, lines[n]) || !OnSameLine(lines[n].box, right.box)) continue;
    const int distance = std::abs(Middle(lines[n].box) - Middle(right.box));
    if (!partner || distance < best) {
      partner = n;
      best = distance;
    }
  }
  return partner;
}

// Where most lines of the right side share the height of a line on the left, the two sides were
// one table's columns (a receipt's labels and their amounts), not blocks side by side: each
// right-hand line then joins its left-hand partner's line, and the rows go top to bottom.
void JoinTableRows(std::vector<OcrWord>& read) {
  const std::vector<TesseractLine> lines = LinesOf(read);
  std::vector<std::optional<size_t>> partners(lines.size());
  size_t right_lines = 0;
  size_t paired = 0;
  for (size_t n = 0; n < lines.size(); ++n) {
    if (!OnRightSide(read, lines[n])) continue;
    ++right_lines;
    partners[n] = RowPartner(read, lines, lines[n]);
    paired += partners[n].has_value();
  }
  if (paired * 2 <= right_lines) return;
  struct Row {
    int middle = 0;
    std::vector<size_t> lines;  // the left-hand line first
  };
  std::vector<Row> rows(lines.size());
  for (size_t n = 0; n < lines.size(); ++n) {
    Row& row = rows[partners[n].value_or(n)];
    row.lines.push_back(n);
    if (!partners[n]) row.middle = Middle(lines[n].box);
  }
  std::erase_if(rows, [](const Row& row) { return row.lines.empty(); });
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.middle < b.middle; });
  std::vector<OcrWord> joined;
  joined.reserve(read.size());
  for (const Row& row : rows) {
    const OcrWord& head = read[lines[row.lines.front()].begin];
    const int block = head.block;
    const int line = head.line;
    for (size_t n : row.lines) {
      for (size_t i = lines[n].begin; i < lines[n].end; ++i) {
        joined.push_back(std::move(read[i]));
        joined.back().block = block;
        joined.back().line = line;
      }
    }
  }
  read = std::move(joined);
}

// The band's lines read again, if that reads better than Tesseract's first reading of them.
std::optional<std::vector<OcrWord>> Reread(const cv::Mat& image, int dpi, OcrEngine& engine,
                                           const std::vector<OcrWord>& words,
                                           const std::vector<TesseractLine>& lines,
                                           const Band& band) {
  const TesseractLine& first = lines[band.first];
  const TesseractLine& last = lines[band.last];
  // From the line above to the line below, so that words the first reading dropped are in.
  const int top = band.first > 0 ? std::min(lines[band.first - 1].box.bottom(), first.box.y) : 0;
  const int bottom = band.last + 1 < lines.size()
                         ? std::max(lines[band.last + 1].box.y, last.box.bottom())
                         : image.rows;
  const std::vector<OcrWord> before(words.begin() + first.begin, words.begin() + last.end);
  std::vector<OcrWord> after =
      ReadColumns(image, dpi, engine, top, bottom, (band.gutter.left + band.gutter.right) / 2,
                  first.word_height);
  if (after.empty() || SurelyRead(after) <= SurelyRead(before)) return std::nullopt;
  JoinTableRows(after);
  return after;
}

// Marks a word as dropped: RereadSideBySide removes it once every band is read again.
constexpr float kDropped = -1;

// The band is read from the line above to the line below, and a line of another block may lie
// beside it at the same height: a word read there twice keeps its surer reading. Drops from
// `reread`, or marks in `words` outside [begin, end), the other.
void KeepSurerReadings(std::vector<OcrWord>& words, size_t begin, size_t end,
                       std::vector<OcrWord>& reread) {
  std::erase_if(reread, [&](const OcrWord& again) {
    for (size_t i = 0; i < words.size(); ++i) {
      OcrWord& first = words[i];
      if ((i >= begin && i < end) || first.conf == kDropped) continue;
      if (!again.box.OverlapsMostly(first.box)) continue;
      if (again.conf <= first.conf) return true;
      first.conf = kDropped;
    }
    return false;
  });
}

}  // namespace

void RereadSideBySide(const cv::Mat& image, int dpi, OcrEngine& engine,
                      std::vector<OcrWord>& words) {
  const std::vector<TesseractLine> lines = LinesOf(words);
  if (lines.empty()) return;
  const int word_height = MedianWordHeight(words);
  std::vector<Band> bands;
  for (size_t seed = 0; seed < lines.size(); ++seed) {
    if (!ReadPoorly(words, lines[seed]) || IsTableRow(words, lines[seed])) continue;
    const std::vector<Gutter> gutters = GuttersOf(words, lines[seed]);
    if (gutters.empty()) continue;
    const Gutter widest =
        *std::max_element(gutters.begin(), gutters.end(),
                          [](const Gutter& a, const Gutter& b) { return a.width() < b.width(); });
    if (widest.width() < kBlockGap * word_height) continue;
    bands.push_back(GrowBand(words, lines, seed, widest));
    seed = bands.back().last;
  }
  if (bands.empty()) return;
  // From the foot of the page up, so that the word ranges of the bands above stay valid.
  for (auto band = bands.rbegin(); band != bands.rend(); ++band) {
    std::optional<std::vector<OcrWord>> reread = Reread(image, dpi, engine, words, lines, *band);
    if (!reread) continue;
    const size_t first = lines[band->first].begin, last = lines[band->last].end;
    KeepSurerReadings(words, first, last, *reread);
    words.insert(words.erase(words.begin() + first, words.begin() + last), reread->begin(),
                 reread->end());
  }
  std::erase_if(words, [](const OcrWord& w) { return w.conf == kDropped; });
  NumberLinesInOrder(words);
}

}  // namespace quire::capture
