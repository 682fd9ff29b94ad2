#include "checkboxes.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string_view>

namespace quire::capture {
namespace {

constexpr std::string_view kEmptyBox = "\xE2\x98\x90";   // ☐
constexpr std::string_view kTickedBox = "\xE2\x98\x92";  // ☒

// A box's side in text heights (the median height of the words read): printed checkboxes are
// about as tall as the text beside them (about 1.2 on the sample forms); smaller squares are dots
// and parts of letters, larger ones boxes to write in.
constexpr double kMinSide = 0.6;
constexpr double kMaxSide = 2.0;
// Width and height of a square differ by at most this share of the longer (print, scan aspect).
constexpr double kMaxAspectDifference = 0.2;
// Each side of the outline is a line inked along this share of its length, within this share of
// the side from the edge; round letters and digits (O, D, 0) leave the corners bare.
constexpr double kMinSideCover = 0.9;
constexpr double kEdgeBand = 0.15;
// The outline's lines are those from the edge inked over this share of the middle half of the
// side, where neither the other sides nor the arms of a cross are; an outline thicker than this
// share of the side is a solid square (a bullet, a block of a logo), not a box.
constexpr double kOutlineLineCover = 0.5;
constexpr double kMaxOutline = 0.25;
// A tick inks at least this share of the inside of the outline: the pen crosses of the sample
// forms, clean and degraded, ink 0.27 to 0.47 of it, their empty boxes nothing; speckle that
// denoise leaves is a few hundredths at most.
constexpr double kMinTickInk = 0.06;
// A label starts (or ends) within this many text heights of its box, on the box's line.
constexpr double kMaxLabelGap = 2.0;
// A word read in a box, with this share of its area inside it, is the box's outline or tick;
// so are the first (last) letters of a word that starts (ends) inside the box or touching it,
// closer than this many text heights, where a printed label keeps a space's distance.
constexpr double kMinInsideShare = 0.5;
constexpr double kTouching = 0.1;
// What Tesseract reads a box's sides and corners as ("[J", "(_]", "LJ", "|").
constexpr std::string_view kOutlineLetters = "[](){}|!_-JLIl";
// A box found by its shape is as sure as a word read well.
constexpr float kBoxConfidence = 95;

struct Checkbox {
  Box box;  // on the image
  bool ticked = false;
};

// One side of a candidate square, seen from its edge: the best share of its length inked on one
// line near the edge, and how many lines from the edge the outline takes.
struct Side {
  double cover = 0;
  int depth = 0;
};

// The top side of `mask` (the candidate's pixels in its bounding rectangle, non-zero = ink).
Side TopSide(const cv::Mat& mask) {
  Side side;
  const int band = std::max(2, static_cast<int>(std::lround(kEdgeBand * mask.rows)));
  const cv::Mat middle = mask.colRange(mask.cols / 4, mask.cols - mask.cols / 4);
  bool in_outline = true;
  for (int r = 0; r < mask.rows / 2; ++r) {
    if (r < band) {
      side.cover = std::max(side.cover, cv::countNonZero(mask.row(r)) / double(mask.cols));
    }
    const bool inked = cv::countNonZero(middle.row(r)) >= kOutlineLineCover * middle.cols;
    if (inked && in_outline) {
      side.depth = r + 1;
    } else if (!inked && side.depth > 0) {
      in_outline = false;
    }
  }
  return side;
}

// Top, bottom, left and right sides, each as the top of a turned copy of `mask`.
std::array<Side, 4> Sides(const cv::Mat& mask) {
  cv::Mat bottom;
  cv::Mat left;
  cv::Mat right;
  cv::flip(mask, bottom, 0);
  cv::transpose(mask, left);
  cv::flip(left, right, 0);
  return {TopSide(mask), TopSide(bottom), TopSide(left), TopSide(right)};
}

bool BoxSized(const cv::Rect& rect, double text_height) {
  const int longer = std::max(rect.width, rect.height);
  const int shorter = std::min(rect.width, rect.height);
  return shorter >= kMinSide * text_height && longer <= kMaxSide * text_height &&
         longer - shorter <= kMaxAspectDifference * longer;
}

// Component `label` of `labels`, with bounding rectangle `rect`, as a checkbox if it is a square
// outline; ticked by the ink of `ink` inside it.
std::optional<Checkbox> CheckboxOf(const cv::Mat& ink, const cv::Mat& labels, int label,
                                   const cv::Rect& rect) {
  const cv::Mat mask = labels(rect) == label;
  const std::array<Side, 4> sides = Sides(mask);
  for (const Side& side : sides) {
    if (side.cover < kMinSideCover || side.depth == 0 ||
        side.depth > kMaxOutline * std::min(rect.width, rect.height)) {
      return std::nullopt;
    }
  }
  // One pixel more than the outline, for its blurred inner edge.
  const auto [top, bottom, left, right] = sides;
  const cv::Rect inside(rect.x + left.depth + 1, rect.y + top.depth + 1,
                        rect.width - left.depth - right.depth - 2,
                        rect.height - top.depth - bottom.depth - 2);
  if (inside.empty()) return std::nullopt;
  const double inked = cv::countNonZero(ink(inside)) / double(inside.area());
  return Checkbox{Box{rect.x, rect.y, rect.width, rect.height}, inked >= kMinTickInk};
}

// The square outlines of box size on `image`.
std::vector<Checkbox> FindCheckboxes(const cv::Mat& image, double text_height) {
  // Otsu's threshold, as Tesseract binarizes: a box is inked where Tesseract saw ink.
  cv::Mat ink;
  cv::threshold(image, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::Mat labels;
  cv::Mat stats;
  cv::Mat centroids;
  const int count = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<Checkbox> boxes;
  for (int i = 1; i < count; ++i) {
    const cv::Rect rect(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                        stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (!BoxSized(rect, text_height)) continue;
    if (std::optional<Checkbox> box = CheckboxOf(ink, labels, i, rect)) boxes.push_back(*box);
  }
  return boxes;
}

bool HasLetter(std::string_view text) {
  for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
    UChar32 c;
    U8_NEXT(text.data(), i, static_cast<int32_t>(text.size()), c);
    if (c >= 0 && u_isalpha(c)) return true;
  }
  return false;
}

// The median height of the words with a letter; 0 when there are none.
double TextHeight(const std::vector<OcrWord>& words) {
  std::vector<int> heights;
  for (const OcrWord& word : words) {
    if (HasLetter(word.text)) heights.push_back(word.box.h);
  }
  if (heights.empty()) return 0;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

int Overlap(int begin_a, int end_a, int begin_b, int end_b) {
  return std::max(0, std::min(end_a, end_b) - std::max(begin_a, begin_b));
}

// Whether two boxes share a line: they overlap by half the height of the lower one or more.
bool SameLine(const Box& a, const Box& b) {
  return 2 * Overlap(a.y, a.bottom(), b.y, b.bottom()) >= std::min(a.h, b.h);
}

double InsideShare(const Box& word, const Box& box) {
  return word.empty()
             ? 0
             : static_cast<double>(word.SharedArea(box)) / (static_cast<double>(word.w) * word.h);
}

// Takes the letters read from a box's outline off the front (or the back) of `word`, which
// reaches `inside` pixels into the box: those that look like an outline's strokes, at least one
// and no more than the box's share of the word's box holds.
void CutWord(OcrWord& word, int inside, bool front) {
  // Bytes stand for letters here: the outline's are ASCII.
  const size_t size = word.text.size();
  const size_t most = std::clamp<long>(std::lround(std::ceil(size * inside / double(word.box.w))),
                                       1, static_cast<long>(size));
  size_t cut = 0;
  while (cut < most &&
         kOutlineLetters.find(word.text[front ? cut : size - 1 - cut]) != std::string_view::npos) {
    ++cut;
  }
  if (cut == 0) return;
  const int pixels = std::max(inside, static_cast<int>(word.box.w * cut / size));
  if (front) {
    word.text.erase(0, cut);
    word.box.x += pixels;
  } else {
    word.text.erase(size - cut);
  }
  word.box.w -= pixels;
}

// `words` without what was read of `box`'s outline: the words mostly inside it, and the letters
// of a word on its line that begins or ends inside it or touching it.
std::vector<OcrWord> WithoutOutline(const Box& box, const std::vector<OcrWord>& words,
                                    double text_height) {
  const int touch = static_cast<int>(std::lround(kTouching * text_height));
  std::vector<OcrWord> kept;
  for (OcrWord word : words) {
    if (InsideShare(word.box, box) >= kMinInsideShare) continue;
    if (SameLine(word.box, box)) {
      if (word.box.x >= box.x && word.box.x <= box.right() + touch) {
        CutWord(word, box.right() - word.box.x, /*front=*/true);
      } else if (word.box.right() <= box.right() && word.box.right() >= box.x - touch) {
        CutWord(word, word.box.right() - box.x, /*front=*/false);
      }
    }
    if (word.text.find_first_not_of(' ') != std::string::npos && !word.box.empty()) {
      kept.push_back(std::move(word));
    }
  }
  return kept;
}

// The word that labels `box`: the nearest word with a letter on its line, right or left of it.
std::optional<size_t> LabelOf(const Box& box, const std::vector<OcrWord>& words,
                              double text_height) {
  std::optional<size_t> label;
  int nearest = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const Box& word = words[i].box;
    const int gap = std::max(word.x - box.right(), box.x - word.right());
    if (!SameLine(word, box) || gap > kMaxLabelGap * text_height || !HasLetter(words[i].text)) {
      continue;
    }
    if (!label || gap < nearest) {
      label = i;
      nearest = gap;
    }
  }
  return label;
}

// Puts the box into the line of `words[label]`, before the first of its words right of the box.
void InsertBox(const Checkbox& checkbox, size_t label, std::vector<OcrWord>& words) {
  const OcrWord word{std::string(checkbox.ticked ? kTickedBox : kEmptyBox), checkbox.box,
                     kBoxConfidence, words[label].block, words[label].line};
  auto first = std::find_if(words.begin(), words.end(),
                            [&](const OcrWord& w) { return w.line == word.line; });
  auto last =
      std::find_if(first, words.end(), [&](const OcrWord& w) { return w.line != word.line; });
  auto at = std::find_if(first, last, [&](const OcrWord& w) { return w.box.x >= checkbox.box.x; });
  words.insert(at, word);
}

}  // namespace

void ReadCheckboxes(const cv::Mat& image, std::vector<OcrWord>& words) {
  const double text_height = TextHeight(words);
  if (text_height <= 0) return;
  for (const Checkbox& checkbox : FindCheckboxes(image, text_height)) {
    std::vector<OcrWord> read = WithoutOutline(checkbox.box, words, text_height);
    const std::optional<size_t> label = LabelOf(checkbox.box, read, text_height);
    if (!label) continue;
    InsertBox(checkbox, *label, read);
    words = std::move(read);
  }
}

}  // namespace quire::capture
