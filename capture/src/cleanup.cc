#include "cleanup.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <vector>

#include "image_codec.h"
#include "quire/common/file.h"

namespace quire::capture {
namespace {

// The median height of the character marks of a 10 pt body text at 300 dpi: the size assumed
// for a page with too little text to measure, and what the resolution told to Tesseract is
// reckoned from when the file gives none.
constexpr double kBodyTextHeight = 28;
// The median height of character marks at which Tesseract reads best. Pages whose text is
// outside [kMinTextHeight, kMaxTextHeight] are scaled to it. Small print brought to 22 rather than
// 28 pixels read as well by character (sroie-dev CER 0.150 against 0.152) and cost less, but
// lost words the search tests find at 28 (three rare words of a receipt: sroie-dev 99 -> 98 of
// 105, sroie-val 103 -> 101), so it stays at 28.
constexpr double kTargetTextHeight = kBodyTextHeight;
constexpr double kMinTextHeight = 20;
constexpr double kMaxTextHeight = 48;

// The most pixels a page is cleaned at: an A3 page at 300 dpi. Every step holds copies of the page
// and a label per pixel, which for a 600 dpi scan of an A4 page (35 Mpixel) came to 400 MB;
// text on a page this large is taller than Tesseract needs.
constexpr double kMaxCleanPixels = 20e6;

// Tilt searched for, and the smallest worth a resampling of the page.
constexpr double kMaxSkewDegrees = 15;
constexpr double kMinSkewDegrees = 0.1;

// Ink is at least a fifth darker than white paper.
constexpr double kMaxInkLevel = 204;

// Faint print measured against its neighbourhood: darker than the mean around it by this many
// levels (of 255), more than the grain of paper varies.
constexpr double kLocalInkContrast = 15;

// Fewer character marks than this cannot tell how a page is turned.
constexpr size_t kMinMarksToOrient = 20;

// A page with fewer character marks than this is blank.
constexpr int kMinMarksOnPage = 3;

// The longest side at which the outline of a page is looked for: its corners need a few pixels
// of accuracy, not more.
constexpr double kOutlineSize = 600;

// A page outline covering less of the picture than this is not the page (a label, a window).
constexpr double kMinPageArea = 0.2;

// The share of its four-cornered outline that a sheet of paper fills.
constexpr double kMinPageFill = 0.9;

// How far a page outline may be from a rectangle and still be taken as flat: its corners within
// this many degrees of a right angle. A flat scan, however turned, has right-angled corners, and
// a torn or curled receipt on the glass corners up to 4 degrees off (sroie-dev); a page
// photographed at an angle has corners about 10 degrees off, and less than this is left to deskew.
constexpr double kMaxCornerSkewDegrees = 5;

// A dashed rule: at least this many dashes in a row, spanning at least this many text heights.
constexpr size_t kMinDashes = 8;
constexpr double kMinRuleLength = 6;

// Connected ink marks: bounding box and pixel count of each; label 0 is the paper.
struct Marks {
  std::vector<cv::Rect> rects;
  std::vector<int> areas;

  int count() const { return static_cast<int>(rects.size()); }
  cv::Rect rect(int i) const { return rects[i]; }
  int area(int i) const { return areas[i]; }
};

// The page being cleaned: the current image, where its pixels came from, and what the steps
// measured.
struct PageWork {
  cv::Mat gray;
  cv::Matx33d from_original = cv::Matx33d::eye();  // page pixels -> current pixels
  double text_height = kBodyTextHeight;            // median mark height in current pixels
  double scale = 1;                                // for the last step
  bool faint = false;                              // ink measured locally (LocalInkOf)
  int dpi = 0;                                     // as decoded; 0 when unknown
  CleanPage result;
  std::optional<Marks> marks;  // of `gray`, until it changes
  const DebugImages* debug = nullptr;
  int step = 0;

  void Moved(const cv::Matx33d& transform) { from_original = transform * from_original; }
  // Every step that changes the image calls this.
  void Changed(const std::string& step_name) {
    marks.reset();
    Painted(step_name);
  }
  // Or this, a step that only paints paper over marks that are not characters: the character
  // marks, all that later steps look at, stay as they were.
  void Painted(const std::string& step_name) {
    debug->Write(std::to_string(++step) + "-" + step_name, gray);
  }
};

int Odd(double size) { return std::max(3, static_cast<int>(size) | 1); }

// Ink as 255 on 0, for measuring the page (what Tesseract sees is decided elsewhere): Otsu's
// threshold, but never above kMaxInkLevel, because on a page with little or no ink Otsu splits
// the grain of the paper in two.
cv::Mat InkOf(const cv::Mat& gray) {
  cv::Mat ink;
  double otsu = cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  if (otsu > kMaxInkLevel) cv::threshold(gray, ink, kMaxInkLevel, 255, cv::THRESH_BINARY_INV);
  return ink;
}

// Ink as 255 on 0, each pixel against the mean of a window a twentieth of the page wide. Where
// faint print shares the page with something much darker (a black scanner edge, a pen circle),
// Otsu's threshold falls between the two and takes the print for paper; against its own
// neighbourhood the print still stands out.
cv::Mat LocalInkOf(const cv::Mat& gray) {
  cv::Mat ink;
  cv::adaptiveThreshold(gray, ink, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV,
                        Odd(std::max(gray.cols, gray.rows) / 20.0), kLocalInkContrast);
  return ink;
}

// Labels the marks, then gathers their boxes in one pass: several times faster than OpenCV's
// connectedComponentsWithStats, which computes centroids and more besides.
Marks FindMarks(const cv::Mat& ink) {
  cv::Mat labels;
  int count = cv::connectedComponents(ink, labels, 8, CV_32S);
  std::vector<int> left(count, INT_MAX), top(count, INT_MAX), right(count, -1), bottom(count, -1);
  Marks marks;
  marks.areas.assign(count, 0);
  for (int y = 0; y < labels.rows; ++y) {
    const int* label = labels.ptr<int>(y);
    for (int x = 0; x < labels.cols; ++x) {
      int i = label[x];
      if (i == 0) continue;
      ++marks.areas[i];
      left[i] = std::min(left[i], x);
      right[i] = std::max(right[i], x);
      top[i] = std::min(top[i], y);
      bottom[i] = y;
    }
  }
  marks.rects.resize(count);
  for (int i = 1; i < count; ++i) {
    marks.rects[i] = cv::Rect(cv::Point(left[i], top[i]), cv::Point(right[i] + 1, bottom[i] + 1));
  }
  return marks;
}

// The ink of `gray`, an image of the page, measured as MeasureText chose for the page.
cv::Mat InkOf(const PageWork& work, const cv::Mat& gray) {
  return work.faint ? LocalInkOf(gray) : InkOf(gray);
}

const Marks& MarksOf(PageWork& work) {
  if (!work.marks) work.marks = FindMarks(InkOf(work, work.gray));
  return *work.marks;
}

// Whether a mark is shaped like a character, not a speck, a rule line or a picture.
bool LooksLikeCharacter(const Marks& marks, int i, double min_height, double max_height) {
  cv::Rect r = marks.rect(i);
  return i > 0 && r.height >= min_height && r.height <= max_height && r.width <= 3 * r.height &&
         marks.area(i) >= r.area() / 10;
}

// A character mark for a page whose text height is known.
bool IsCharacter(const Marks& marks, int i, double text_height) {
  return LooksLikeCharacter(marks, i, text_height / 3, text_height * 4);
}

bool TouchesEdge(const cv::Rect& r, cv::Size image) {
  return r.x == 0 || r.y == 0 || r.br().x == image.width || r.br().y == image.height;
}

// `image` reduced by averaging to `factor` of its size, never to nothing.
cv::Mat Shrunk(const cv::Mat& image, double factor) {
  cv::Size size(std::max(1, static_cast<int>(image.cols * factor)),
                std::max(1, static_cast<int>(image.rows * factor)));
  cv::Mat small;
  cv::resize(image, small, size, 0, 0, cv::INTER_AREA);
  return small;
}

// The four corners of the sheet of paper in `gray`, clockwise from the top left, or nothing when
// no four-cornered outline covers enough of the picture. The paper is brighter than what is
// around it (a table, a lap): Otsu's threshold on a blurred, reduced copy separates the two, and
// the convex hull of the largest bright region, simplified to four corners, is the page.
std::optional<std::vector<cv::Point2f>> FindPageCorners(const cv::Mat& gray) {
  const double factor = std::min(1.0, kOutlineSize / std::max(gray.cols, gray.rows));
  cv::Mat small = Shrunk(gray, factor);
  cv::GaussianBlur(small, small, cv::Size(5, 5), 0);
  cv::threshold(small, small, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  std::vector<std::vector<cv::Point>> regions;
  cv::findContours(small, regions, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  auto largest = std::max_element(regions.begin(), regions.end(), [](const auto& a, const auto& b) {
    return cv::contourArea(a) < cv::contourArea(b);
  });
  if (largest == regions.end()) return std::nullopt;
  std::vector<cv::Point> hull;
  cv::convexHull(*largest, hull);
  if (cv::contourArea(hull) < kMinPageArea * small.total()) return std::nullopt;
  std::vector<cv::Point> corners;
  for (double tolerance = 0.01; tolerance <= 0.1 && corners.size() != 4; tolerance += 0.01) {
    cv::approxPolyDP(hull, corners, tolerance * cv::arcLength(hull, true), true);
  }
  if (corners.size() != 4) return std::nullopt;
  // The whole sheet must be in the picture, and fill its outline: a sheet cut off by the edge of
  // the picture, or a bright blotch on a flat scan, has no four corners to trust.
  const int margin = std::max(2, std::min(small.cols, small.rows) / 100);
  const cv::Rect inside(margin, margin, small.cols - 2 * margin, small.rows - 2 * margin);
  for (cv::Point p : corners) {
    if (!inside.contains(p)) return std::nullopt;
  }
  if (cv::contourArea(*largest) < kMinPageFill * cv::contourArea(corners)) return std::nullopt;
  // Clockwise from the corner nearest the top left of the picture.
  auto top_left = std::min_element(corners.begin(), corners.end(),
                                   [](cv::Point a, cv::Point b) { return a.x + a.y < b.x + b.y; });
  std::rotate(corners.begin(), top_left, corners.end());
  if ((corners[1] - corners[0]).cross(corners[2] - corners[1]) < 0) {
    std::reverse(corners.begin() + 1, corners.end());
  }
  std::vector<cv::Point2f> page;
  for (cv::Point p : corners) page.emplace_back(p.x / factor, p.y / factor);
  return page;
}

// The largest difference, in degrees, between a corner of the quadrilateral and a right angle.
double CornerSkew(const std::vector<cv::Point2f>& quad) {
  double worst = 0;
  for (size_t i = 0; i < quad.size(); ++i) {
    cv::Point2f a = quad[(i + quad.size() - 1) % quad.size()] - quad[i];
    cv::Point2f b = quad[(i + 1) % quad.size()] - quad[i];
    double degrees = std::acos(a.dot(b) / (cv::norm(a) * cv::norm(b))) * 180 / CV_PI;
    worst = std::max(worst, std::abs(degrees - 90));
  }
  return worst;
}

// Step 0. The page as handed in, shrunk by averaging to `max_pixels` if it has more.
void StartWithin(const cv::Mat& gray, double max_pixels, PageWork& work) {
  const double pixels = static_cast<double>(gray.total());
  if (pixels <= max_pixels) {
    work.gray = gray.clone();
    return;
  }
  work.gray = Shrunk(gray, std::sqrt(max_pixels / pixels));
  work.Moved(cv::Matx33d(static_cast<double>(work.gray.cols) / gray.cols, 0, 0, 0,
                         static_cast<double>(work.gray.rows) / gray.rows, 0, 0, 0, 1));
  work.Changed("shrink");
}

// Step 1. A phone photo of a page shows it as a quadrilateral narrowing away from the camera, on
// a background: text lines converge and letters shrink across the page, which no rotation
// undoes. The page's four corners are found and the page is warped flat onto a rectangle whose
// sides are the longer of each pair of opposite edges. A page whose corners are right angles (a
// flat scan, turned or not, or a photo taken square on) is left untouched; so is a picture with
// no clear page outline.
void CorrectPerspective(PageWork& work) {
  std::optional<std::vector<cv::Point2f>> page = FindPageCorners(work.gray);
  if (!page || CornerSkew(*page) <= kMaxCornerSkewDegrees) return;
  const std::vector<cv::Point2f>& c = *page;
  float width = std::max(cv::norm(c[1] - c[0]), cv::norm(c[2] - c[3]));
  float height = std::max(cv::norm(c[3] - c[0]), cv::norm(c[2] - c[1]));
  std::vector<cv::Point2f> flat = {{0, 0}, {width, 0}, {width, height}, {0, height}};
  cv::Matx33d warp = cv::getPerspectiveTransform(c, flat);
  cv::warpPerspective(work.gray, work.gray, warp, cv::Size(std::lround(width), std::lround(height)),
                      cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  work.Moved(warp);
  work.Changed("perspective");
}

// The median height of the marks shaped like characters of any plausible size; 0 when there are
// too few to tell.
double MedianHeight(const Marks& marks, int page_height) {
  std::vector<int> heights;
  for (int i = 1; i < marks.count(); ++i) {
    if (LooksLikeCharacter(marks, i, 6, page_height / 8.0)) heights.push_back(marks.rect(i).height);
  }
  if (heights.size() < 10) return 0;
  auto middle = heights.begin() + heights.size() / 2;
  std::nth_element(heights.begin(), middle, heights.end());
  return *middle;
}

// Step 2. Every later step sizes its windows from the height of the text, and Tesseract misreads
// small print (a receipt scanned at 150 dpi) and spends time on big print (a phone photo): the
// last step brings text to kTargetTextHeight. Faded thermal print breaks, under Otsu's threshold,
// into fragments that measure a fraction of its height, or vanishes beside a black scanner edge;
// where the marks of LocalInkOf stand over kMinFragmentation times taller, or are the only ones,
// the page is measured with LocalInkOf by every later step. (On sroie-dev the two measures agree
// within a factor of 1.41 on every page but eight faded ones, 1.67 to 2.56, and the two blank.)
void MeasureText(PageWork& work) {
  constexpr double kMinFragmentation = 1.5;
  double height = MedianHeight(MarksOf(work), work.gray.rows);
  Marks local = FindMarks(LocalInkOf(work.gray));
  const double local_height = MedianHeight(local, work.gray.rows);
  if (local_height > kMinFragmentation * height) {
    work.faint = true;
    work.marks = std::move(local);
    height = local_height;
  }
  if (height == 0) return;  // too little text to tell: the size is left alone
  work.text_height = height;
  if (work.text_height < kMinTextHeight || work.text_height > kMaxTextHeight) {
    work.scale = std::clamp(kTargetTextHeight / work.text_height, 0.25, 3.0);
  }
}

// Where the paper estimate is far darker than the page's paper inside the page, it is not shaded
// paper but a printed fill (a coloured heading band with white text, a logo): dividing by it would
// whiten the fill away from its text and leave white blots that Tesseract reads as letters, so
// there the page's own paper level is used and the fill stays as printed. Dark areas touching the
// picture's edge are what surrounds the sheet (a table under a photographed receipt): those are
// whitened away as shade.
void KeepPrintedFills(cv::Mat& paper) {
  constexpr double kMinShadedPaper = 0.5;  // of the page's paper level; camera shade stays above
  cv::Mat row = paper.reshape(1, 1).clone();
  auto middle = row.begin<uchar>() + row.total() / 2;
  std::nth_element(row.begin<uchar>(), middle, row.end<uchar>());
  const double page_paper = *middle;
  cv::Mat labels;
  cv::Mat stats;
  cv::Mat centroids;
  cv::Mat dark = paper < kMinShadedPaper * page_paper;
  const int count = cv::connectedComponentsWithStats(dark, labels, stats, centroids, 4);
  for (int i = 1; i < count; ++i) {
    const cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                     stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (TouchesEdge(r, paper.size())) continue;
    paper.setTo(page_paper, labels == i);
  }
}

// Step 3. Shading, yellowed paper and uneven camera light change slowly across the page while
// ink strokes are thin: a maximum filter wider than a character, smoothed by a median, gives the
// paper's brightness everywhere, and dividing by it makes the paper white and keeps the ink.
// Done at a quarter of the size, where it is sixteen times cheaper and just as smooth.
void RemoveBackground(PageWork& work) {
  constexpr double kShrink = 4;
  cv::Mat paper = Shrunk(work.gray, 1 / kShrink);
  int size = Odd(work.text_height / kShrink);
  cv::dilate(paper, paper, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(size, size)));
  cv::medianBlur(paper, paper, Odd(2 * size));
  KeepPrintedFills(paper);
  cv::resize(paper, paper, work.gray.size(), 0, 0, cv::INTER_LINEAR);
  cv::divide(work.gray, paper, work.gray, 255);
  work.Changed("background");
}

// The ink at a size where text is about 12 px tall: enough to measure 0.1 degree on a page,
// and cheap.
cv::Mat SmallInk(const PageWork& work) {
  return InkOf(work, Shrunk(work.gray, std::min(1.0, 12 / work.text_height)));
}

// The point nearest to points[i]. REQUIRES: points sorted by x, at least two of them.
cv::Point2d NearestNeighbour(const std::vector<cv::Point2d>& points, size_t i) {
  double best = std::numeric_limits<double>::max();
  cv::Point2d nearest;
  auto consider = [&](size_t j) {
    double dx = points[j].x - points[i].x;
    if (dx * dx >= best) return false;  // further along x only gets further
    double dy = points[j].y - points[i].y;
    if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, nearest = points[j];
    return true;
  };
  for (size_t j = i + 1; j < points.size() && consider(j); ++j) {
  }
  for (size_t j = i; j-- > 0 && consider(j);) {
  }
  return nearest;
}

// Turns the image clockwise by a multiple of 90 degrees.
void Turn(PageWork& work, int degrees) {
  double w = work.gray.cols;
  double h = work.gray.rows;
  if (degrees == 90) {
    cv::rotate(work.gray, work.gray, cv::ROTATE_90_CLOCKWISE);
    work.Moved(cv::Matx33d(0, -1, h, 1, 0, 0, 0, 0, 1));
  } else if (degrees == 180) {
    cv::rotate(work.gray, work.gray, cv::ROTATE_180);
    work.Moved(cv::Matx33d(-1, 0, w, 0, -1, h, 0, 0, 1));
  } else if (degrees == 270) {
    cv::rotate(work.gray, work.gray, cv::ROTATE_90_COUNTERCLOCKWISE);
    work.Moved(cv::Matx33d(0, 1, 0, -1, 0, w, 0, 0, 1));
  }
}

// Step 4. A page fed sideways reads as nothing. Letters of a word stand closer to each other
// than to the lines above and below, so the nearest neighbour of most character marks lies
// beside them on an upright page and above or below them on a sideways one. (Profiles of the
// ink do not tell: the aligned columns of a receipt are as sharp as its lines.) Which quarter,
// and whether a page is upside down, is settled by reading it both ways (see TurnUpsideDown):
// Tesseract's OSD, which guesses from character shapes, turned 5 of 105 upright receipts.
void Orient(PageWork& work) {
  cv::Mat ink = SmallInk(work);
  Marks marks = FindMarks(ink);
  double text_height = work.text_height * ink.cols / work.gray.cols;
  std::vector<cv::Point2d> centres;
  for (int i = 1; i < marks.count(); ++i) {
    if (IsCharacter(marks, i, text_height)) {
      cv::Rect r = marks.rect(i);
      centres.emplace_back(r.x + r.width / 2.0, r.y + r.height / 2.0);
    }
  }
  if (centres.size() < kMinMarksToOrient) return;
  std::sort(centres.begin(), centres.end(),
            [](const cv::Point2d& a, const cv::Point2d& b) { return a.x < b.x; });
  int beside = 0;
  int above = 0;
  for (size_t i = 0; i < centres.size(); ++i) {
    cv::Point2d nearest = NearestNeighbour(centres, i);
    if (std::abs(nearest.x - centres[i].x) >= std::abs(nearest.y - centres[i].y)) {
      ++beside;
    } else {
      ++above;
    }
  }
  if (above <= 2 * beside) return;
  work.result.rotation = 90;
  Turn(work, 90);
  work.Changed("orientation");
}

// How sharp the rows of ink are when read along lines tilted by `tangent`: the sum of squared
// differences between neighbouring row sums (Postl 1986; Leptonica's pixFindSkew), which peaks
// when text lines and the gaps between them fall on separate rows.
double RowSharpness(const std::vector<cv::Point>& ink, double tangent, int margin,
                    std::vector<int>& row_sums) {
  std::fill(row_sums.begin(), row_sums.end(), 0);
  for (const cv::Point& p : ink) ++row_sums[static_cast<int>(p.y + p.x * tangent) + margin];
  double sharpness = 0;
  for (size_t i = 1; i < row_sums.size(); ++i) {
    double step = row_sums[i] - row_sums[i - 1];
    sharpness += step * step;
  }
  return sharpness;
}

// The tilt of the text lines in degrees, counter-clockwise positive: a coarse sweep, then a fine
// one around the best angle, then the peak of a parabola through the best three.
double FindSkew(const cv::Mat& ink) {
  std::vector<cv::Point> points;
  cv::findNonZero(ink, points);
  if (points.empty()) return 0;
  int margin = static_cast<int>(ink.cols * std::tan(kMaxSkewDegrees * CV_PI / 180)) + 2;
  std::vector<int> row_sums(ink.rows + 2 * margin);
  auto score = [&](double degrees) {
    return RowSharpness(points, std::tan(degrees * CV_PI / 180), margin, row_sums);
  };
  auto best_of = [&](double from, double to, double step, double* best_score) {
    double best = from;
    *best_score = -1;
    for (double a = from; a <= to + 1e-9; a += step) {
      double s = score(a);
      if (s > *best_score) *best_score = s, best = a;
    }
    return best;
  };
  double best_score;
  double coarse = best_of(-kMaxSkewDegrees, kMaxSkewDegrees, 0.5, &best_score);
  constexpr double kFine = 0.05;
  double fine = best_of(coarse - 0.5, coarse + 0.5, kFine, &best_score);
  double left = score(fine - kFine);
  double right = score(fine + kFine);
  double curvature = left - 2 * best_score + right;
  if (curvature >= 0) return fine;
  return fine + kFine * 0.5 * (left - right) / curvature;
}

// Step 5. A page fed a little crooked has tilted lines, which Tesseract splits and misreads.
// The tilt is measured here and corrected in the last step, with the scaling.
void Deskew(PageWork& work) {
  double skew = FindSkew(SmallInk(work));
  if (std::abs(skew) >= kMinSkewDegrees) work.result.skew = skew;
}

// Step 6. Scanner dust and fax noise scatter specks that Tesseract takes for punctuation or
// joins to letters. A 3x3 median removes them but also eats thin strokes, so it is used only
// where specks outnumber characters, and not on small print, whose strokes are a pixel or two.
void Denoise(PageWork& work) {
  constexpr double kMinStrokesTextHeight = 20;  // smaller print has strokes a median would eat
  if (work.text_height < kMinStrokesTextHeight) return;
  const Marks& marks = MarksOf(work);
  int specks = 0;
  int characters = 0;
  double speck_area = std::max(2.0, work.text_height * work.text_height / 400);
  for (int i = 1; i < marks.count(); ++i) {
    if (marks.area(i) <= speck_area) ++specks;
    if (IsCharacter(marks, i, work.text_height)) ++characters;
  }
  if (specks <= characters) return;
  cv::medianBlur(work.gray, work.gray, 3);
  work.Changed("denoise");
}

// Step 7. A blank page (a separator sheet, the back of a single-sided letter) has nothing to read
// and Tesseract would only find noise in it. Counted before the border is whitened, on the same
// marks: whitening removes none of the character marks counted.
void DetectBlank(PageWork& work) {
  const Marks& marks = MarksOf(work);
  int characters = 0;
  for (int i = 1; i < marks.count(); ++i) {
    characters +=
        IsCharacter(marks, i, work.text_height) && !TouchesEdge(marks.rect(i), work.gray.size());
  }
  work.result.blank = characters < kMinMarksOnPage;
}

// Whether a mark is shaped like one dash of a rule: thin, longer than tall, shorter than a word.
bool IsDash(const cv::Rect& r, double text_height) {
  return r.height <= text_height / 3 && r.width >= 2 * r.height && r.width >= text_height / 5 &&
         r.width <= 2 * text_height;
}

// The root of `i` in a union-find forest, halving paths on the way.
int RootOf(std::vector<int>& parent, int i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

// Step 8. Receipts separate their parts with rules of dashes. Tesseract takes a rule that runs
// close to a line of text for part of that line, and misreads the line (sroie-dev: '19:14' read
// as '19: 4', 'WONG PEI YI' as 'ii PEI hak'). Dashes are chained left to right, each to the next
// within two text heights along (faded print loses some dashes) and a quarter of one up or down
// (so a rule on a page not yet levelled still chains); a chain long enough is a rule, painted
// over with paper.
void RemoveDashedRules(PageWork& work) {
  const Marks& marks = MarksOf(work);
  const double h = work.text_height;
  std::vector<cv::Rect> dashes;
  for (int i = 1; i < marks.count(); ++i) {
    if (IsDash(marks.rect(i), h)) dashes.push_back(marks.rect(i));
  }
  std::sort(dashes.begin(), dashes.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.x < b.x; });
  std::vector<int> parent(dashes.size());
  for (size_t i = 0; i < dashes.size(); ++i) parent[i] = static_cast<int>(i);
  for (size_t i = 0; i < dashes.size(); ++i) {
    const double middle = dashes[i].y + dashes[i].height / 2.0;
    for (size_t j = i + 1; j < dashes.size() && dashes[j].x <= dashes[i].br().x + 2 * h; ++j) {
      if (std::abs(dashes[j].y + dashes[j].height / 2.0 - middle) > h / 4) continue;
      parent[RootOf(parent, static_cast<int>(j))] = RootOf(parent, static_cast<int>(i));
    }
  }
  std::vector<std::vector<cv::Rect>> chains(dashes.size());  // by root, each in x order
  for (size_t i = 0; i < dashes.size(); ++i) {
    chains[RootOf(parent, static_cast<int>(i))].push_back(dashes[i]);
  }
  // Painted from each dash to the next, so the faint dashes between those found go too, with
  // the grey fringe a dash's ink leaves around it.
  const int fringe = std::max(2, static_cast<int>(h / 8));
  const cv::Rect page(cv::Point(), work.gray.size());
  bool painted = false;
  for (const std::vector<cv::Rect>& chain : chains) {
    if (chain.size() < kMinDashes || chain.back().br().x - chain.front().x < kMinRuleLength * h) {
      continue;
    }
    for (size_t k = 0; k + 1 < chain.size(); ++k) {
      cv::Rect stretch = chain[k] | chain[k + 1];
      stretch = cv::Rect(stretch.x - fringe, stretch.y - fringe, stretch.width + 2 * fringe,
                         stretch.height + 2 * fringe);
      work.gray(stretch & page).setTo(cv::Scalar(255));
    }
    painted = true;
  }
  if (painted) work.Painted("rules");
}

// Step 9. Scanners and cameras see past the paper: black bands, torn edges, the shadow of the
// paper's edge, the table under a receipt. Tesseract reads those as rows of junk characters.
// Everything more than a text height outside the box holding the character marks (those not
// touching the image edge) is painted over with paper.
void RemoveBorder(PageWork& work) {
  const Marks& marks = MarksOf(work);
  cv::Rect text_area;
  for (int i = 1; i < marks.count(); ++i) {
    if (IsCharacter(marks, i, work.text_height) && !TouchesEdge(marks.rect(i), work.gray.size())) {
      text_area |= marks.rect(i);
    }
  }
  if (text_area.empty()) return;
  int margin = static_cast<int>(work.text_height);
  text_area = (text_area + cv::Size(2 * margin, 2 * margin) - cv::Point(margin, margin)) &
              cv::Rect(cv::Point(), work.gray.size());
  if (text_area.size() == work.gray.size()) return;
  cv::Mat paper(work.gray.size(), CV_8UC1, cv::Scalar(255));
  work.gray(text_area).copyTo(paper(text_area));
  work.gray = paper;
  work.Changed("border");
}

// Step 10. Brings text to the size Tesseract reads best and levels the lines: one rotation and
// scaling about the centre, into an image grown so no corner is cut off; new pixels are paper.
// A page reduced by more than half is first shrunk by averaging, which keeps thin strokes.
void ScaleAndLevel(PageWork& work) {
  if (work.scale < 0.5) {
    work.gray = Shrunk(work.gray, work.scale);
    work.Moved(cv::Matx33d(work.scale, 0, 0, 0, work.scale, 0, 0, 0, 1));
    work.text_height *= work.scale;
    work.scale = 1;
  }
  if (work.scale == 1 && work.result.skew == 0) return;
  cv::Point2f centre(work.gray.cols / 2.0f, work.gray.rows / 2.0f);
  cv::Mat m = cv::getRotationMatrix2D(centre, -work.result.skew, work.scale);
  cv::Rect2f bounds =
      cv::RotatedRect(centre, cv::Size2f(work.gray.cols * work.scale, work.gray.rows * work.scale),
                      -work.result.skew)
          .boundingRect2f();
  m.at<double>(0, 2) += bounds.width / 2.0 - centre.x;
  m.at<double>(1, 2) += bounds.height / 2.0 - centre.y;
  cv::warpAffine(work.gray, work.gray, m, bounds.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(255));
  work.Moved(cv::Matx33d(m.at<double>(0, 0), m.at<double>(0, 1), m.at<double>(0, 2),
                         m.at<double>(1, 0), m.at<double>(1, 1), m.at<double>(1, 2), 0, 0, 1));
  work.text_height *= work.scale;
  work.Changed("scale");
}

// The resolution to tell Tesseract: the file's, if it gives a believable one, else what the text
// height suggests for body text.
int ResolutionOf(const PageWork& work) {
  const cv::Matx33d& m = work.from_original;
  double scale = std::sqrt(std::abs(m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0)));
  if (work.dpi >= 100) return static_cast<int>(std::lround(work.dpi * scale));
  return static_cast<int>(std::lround(300 * work.text_height / kBodyTextHeight));
}

}  // namespace

void DebugImages::Write(const std::string& step, const cv::Mat& image) const {
  if (dir.empty()) return;
  char page_number[16];
  std::snprintf(page_number, sizeof(page_number), "%03d", page + 1);
  // A picture for a person to look at: one that cannot be made or written is left out.
  Result<std::string> png = EncodePng(image, 1);
  if (!png.ok()) return;
  static_cast<void>(WriteFileAtomically(dir + "/" + page_number + "-" + step + ".png", *png));
}

CleanPage CleanUp(const PageImage& page, const DebugImages& debug) {
  PageWork work;
  work.dpi = page.dpi;
  work.debug = &debug;
  StartWithin(page.gray, kMaxCleanPixels, work);
  CorrectPerspective(work);
  MeasureText(work);
  RemoveBackground(work);
  Orient(work);
  Deskew(work);
  Denoise(work);
  DetectBlank(work);
  RemoveDashedRules(work);
  RemoveBorder(work);
  ScaleAndLevel(work);
  work.result.dpi = ResolutionOf(work);
  work.result.image = work.gray;
  work.result.to_original = work.from_original.inv();
  return work.result;
}

CleanPage TurnUpsideDown(const CleanPage& page) {
  CleanPage turned = page;
  // Pixels of its own: the copy shares the page's, which rotate would turn in place, and a page
  // that reads better the right way up must keep them as they were.
  turned.image = cv::Mat();
  cv::rotate(page.image, turned.image, cv::ROTATE_180);
  double w = page.image.cols;
  double h = page.image.rows;
  turned.to_original = page.to_original * cv::Matx33d(-1, 0, w, 0, -1, h, 0, 0, 1);
  turned.rotation = (page.rotation + 180) % 360;
  return turned;
}

CleanPage Uncleaned(const PageImage& page) {
  CleanPage clean;
  clean.image = page.gray;
  clean.dpi = page.dpi >= 70 ? page.dpi : 300;
  return clean;
}

Box ToOriginal(const Box& box, const cv::Matx33d& to_original, cv::Size page_size) {
  double left = page_size.width, top = page_size.height, right = 0, bottom = 0;
  for (cv::Point2d corner :
       {cv::Point2d(box.x, box.y), cv::Point2d(box.right(), box.y),
        cv::Point2d(box.x, box.bottom()), cv::Point2d(box.right(), box.bottom())}) {
    cv::Vec3d p = to_original * cv::Vec3d(corner.x, corner.y, 1);
    left = std::min(left, p[0] / p[2]);
    top = std::min(top, p[1] / p[2]);
    right = std::max(right, p[0] / p[2]);
    bottom = std::max(bottom, p[1] / p[2]);
  }
  int x = std::clamp(static_cast<int>(std::floor(left)), 0, page_size.width);
  int y = std::clamp(static_cast<int>(std::floor(top)), 0, page_size.height);
  int r = std::clamp(static_cast<int>(std::ceil(right)), 0, page_size.width);
  int b = std::clamp(static_cast<int>(std::ceil(bottom)), 0, page_size.height);
  return Box{x, y, r - x, b - y};
}

}  // namespace quire::capture
