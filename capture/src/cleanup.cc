#include "cleanup.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace quire::capture {
namespace {

// The median height of character marks at which Tesseract reads best: about a 10 pt body text at
// 300 dpi. Pages whose text is outside [kMinTextHeight, kMaxTextHeight] are scaled to it.
constexpr double kTargetTextHeight = 28;
constexpr double kMinTextHeight = 20;
constexpr double kMaxTextHeight = 48;

// Tilt searched for, and the smallest worth a resampling of the page.
constexpr double kMaxSkewDegrees = 15;
constexpr double kMinSkewDegrees = 0.1;

// Ink is at least a fifth darker than white paper.
constexpr double kMaxInkLevel = 204;

// Fewer character marks than this cannot tell how a page is turned.
constexpr size_t kMinMarksToOrient = 20;

// A page with fewer character-sized marks than this is blank.
constexpr int kMinMarksOnPage = 3;

// The page being cleaned: the current image and where its pixels came from.
struct PageWork {
  cv::Mat gray;
  cv::Matx33d from_original = cv::Matx33d::eye();  // page pixels -> current pixels
  double text_height = kTargetTextHeight;          // median mark height in current pixels
  int dpi = 0;                                     // as decoded; 0 when unknown
  CleanPage result;
  const DebugImages* debug = nullptr;
  int step = 0;

  void Moved(const cv::Matx33d& transform) { from_original = transform * from_original; }
  void Done(const std::string& name) { debug->Write(std::to_string(++step) + "-" + name, gray); }
};

cv::Matx33d Affine(const cv::Matx23d& m) {
  return cv::Matx33d(m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2), 0, 0, 1);
}

// Ink as 255 on 0, for measuring the page (what Tesseract sees is decided elsewhere): Otsu's
// threshold, but never above kMaxInkLevel, because on a page with little or no ink Otsu splits
// the grain of the paper in two.
cv::Mat InkOf(const cv::Mat& gray) {
  cv::Mat ink;
  double otsu = cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  if (otsu > kMaxInkLevel) cv::threshold(gray, ink, kMaxInkLevel, 255, cv::THRESH_BINARY_INV);
  return ink;
}

// Connected ink marks with their bounding boxes and pixel counts (label 0, the paper, dropped).
struct Marks {
  cv::Mat labels;
  cv::Mat stats;  // one row per label, cv::CC_STAT_* columns
  int count() const { return stats.rows; }
  cv::Rect rect(int i) const {
    return cv::Rect(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                    stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
  }
  int area(int i) const { return stats.at<int>(i, cv::CC_STAT_AREA); }
};

Marks FindMarks(const cv::Mat& ink) {
  Marks marks;
  cv::Mat centroids;
  cv::connectedComponentsWithStats(ink, marks.labels, marks.stats, centroids, 8, CV_32S);
  return marks;
}

// Whether a mark is shaped like a character, not a speck, a rule line or a picture.
bool LooksLikeCharacter(const Marks& marks, int i, double min_height, double max_height) {
  cv::Rect r = marks.rect(i);
  return i > 0 && r.height >= min_height && r.height <= max_height && r.width <= 3 * r.height &&
         marks.area(i) >= r.area() / 10;
}

// The median height of character marks, or 0 when there are too few to tell.
double MedianMarkHeight(const cv::Mat& ink) {
  Marks marks = FindMarks(ink);
  std::vector<int> heights;
  for (int i = 1; i < marks.count(); ++i) {
    if (LooksLikeCharacter(marks, i, 6, ink.rows / 8.0)) heights.push_back(marks.rect(i).height);
  }
  if (heights.size() < 10) return 0;
  auto middle = heights.begin() + heights.size() / 2;
  std::nth_element(heights.begin(), middle, heights.end());
  return *middle;
}

int Odd(double size) { return std::max(3, static_cast<int>(size) | 1); }

// Step 1. Tesseract misreads small print (a receipt scanned at 150 dpi) and spends time on big
// print (a phone photo); text is brought to kTargetTextHeight. Scaling first lets every later
// step size its windows from the text height.
void Scale(PageWork& work) {
  double height = MedianMarkHeight(InkOf(work.gray));
  if (height == 0) return;
  double factor = 1;
  if (height < kMinTextHeight || height > kMaxTextHeight) factor = kTargetTextHeight / height;
  factor = std::clamp(factor, 0.25, 3.0);
  work.text_height = height * factor;
  if (factor == 1) return;
  cv::resize(work.gray, work.gray, cv::Size(), factor, factor,
             factor > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
  work.Moved(cv::Matx33d(factor, 0, 0, 0, factor, 0, 0, 0, 1));
  if (work.dpi > 0) work.dpi = static_cast<int>(std::lround(work.dpi * factor));
  work.Done("scale");
}

// Step 2. Shading, yellowed paper and uneven camera light change slowly across the page while
// ink strokes are thin: a maximum filter wider than a character, smoothed by a median, gives the
// paper's brightness everywhere, and dividing by it makes the paper white and keeps the ink.
// Done at a quarter of the size, where it is sixteen times cheaper and just as smooth.
void RemoveBackground(PageWork& work) {
  constexpr double kShrink = 4;
  cv::Mat paper;
  cv::resize(work.gray, paper, cv::Size(), 1 / kShrink, 1 / kShrink, cv::INTER_AREA);
  int size = Odd(work.text_height / kShrink);
  cv::dilate(paper, paper, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(size, size)));
  cv::medianBlur(paper, paper, Odd(2 * size));
  cv::resize(paper, paper, work.gray.size(), 0, 0, cv::INTER_LINEAR);
  cv::divide(work.gray, paper, work.gray, 255);
  work.Done("background");
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

// How sharp the rows of ink are when read along lines tilted by `tangent`: the sum of squared
// differences between neighbouring row sums (Postl 1986; Leptonica's pixFindSkew), which peaks
// when text lines and the gaps between them fall on separate rows.
double RowSharpness(const std::vector<cv::Point>& ink, double tangent, int rows, int margin,
                    std::vector<int>& row_sums) {
  std::fill(row_sums.begin(), row_sums.end(), 0);
  for (const cv::Point& p : ink) {
    int row = static_cast<int>(p.y + p.x * tangent) + margin;
    if (row >= 0 && row < rows) ++row_sums[row];
  }
  double sharpness = 0;
  for (int i = 1; i < rows; ++i) {
    double step = row_sums[i] - row_sums[i - 1];
    sharpness += step * step;
  }
  return sharpness;
}

struct SkewEstimate {
  double degrees = 0;    // counter-clockwise positive
  double sharpness = 0;  // of the rows at that angle
};

// The tilt of the text lines: a coarse sweep, then a fine one around the best angle, then the
// peak of a parabola through the best three.
SkewEstimate FindSkew(const cv::Mat& ink) {
  std::vector<cv::Point> points;
  cv::findNonZero(ink, points);
  if (points.empty()) return {};
  int margin = static_cast<int>(ink.cols * std::tan(kMaxSkewDegrees * CV_PI / 180)) + 1;
  int rows = ink.rows + 2 * margin;
  std::vector<int> row_sums(rows);
  auto score = [&](double degrees) {
    return RowSharpness(points, std::tan(degrees * CV_PI / 180), rows, margin, row_sums);
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
  if (curvature >= 0) return {fine, best_score};
  return {fine + kFine * 0.5 * (left - right) / curvature, best_score};
}

// Rotates the image by `degrees` counter-clockwise about its centre, growing it so no corner is
// cut off; new pixels are paper.
void Rotate(PageWork& work, double degrees) {
  cv::Point2f center(work.gray.cols / 2.0f, work.gray.rows / 2.0f);
  cv::Mat m = cv::getRotationMatrix2D(center, degrees, 1.0);
  cv::Rect2f bounds = cv::RotatedRect(center, work.gray.size(), degrees).boundingRect2f();
  m.at<double>(0, 2) += bounds.width / 2.0 - center.x;
  m.at<double>(1, 2) += bounds.height / 2.0 - center.y;
  cv::warpAffine(work.gray, work.gray, m, bounds.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(255));
  work.Moved(Affine(cv::Matx23d(m)));
}

// The ink at a size where text is about 12 px tall: enough to measure 0.1 degree on a page,
// and cheap.
cv::Mat SmallInk(const PageWork& work) {
  double shrink = std::min(1.0, 12 / work.text_height);
  cv::Mat small;
  cv::resize(work.gray, small, cv::Size(), shrink, shrink, cv::INTER_AREA);
  return InkOf(small);
}

// Step 3. A page fed sideways reads as nothing. Letters of a word stand closer to each other
// than to the lines above and below, so the nearest neighbour of most character marks lies
// beside them on an upright page and above or below them on a sideways one. (Profiles of the
// ink do not tell: the aligned columns of a receipt are as sharp as its lines.) Which quarter,
// and whether a page is upside down, is settled by reading it both ways (see TurnUpsideDown):
// Tesseract's OSD, which guesses from character shapes, turned 5 of 105 upright receipts.
void Orient(PageWork& work) {
  Marks marks = FindMarks(InkOf(work.gray));
  std::vector<cv::Point2d> centres;
  for (int i = 1; i < marks.count(); ++i) {
    if (LooksLikeCharacter(marks, i, work.text_height / 3, work.text_height * 4)) {
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
  work.Done("orientation");
}

// Step 4. A page fed a little crooked has tilted lines, which Tesseract splits and misreads.
void Deskew(PageWork& work) {
  double skew = FindSkew(SmallInk(work)).degrees;
  if (std::abs(skew) < kMinSkewDegrees) return;
  work.result.skew = skew;
  Rotate(work, -skew);
  work.Done("deskew");
}

// Step 5. Scanner dust and fax noise scatter specks that Tesseract takes for punctuation or
// joins to letters. A 3x3 median removes them but also eats thin strokes, so it is used only
// where specks outnumber characters.
void Denoise(PageWork& work) {
  Marks marks = FindMarks(InkOf(work.gray));
  int specks = 0;
  int characters = 0;
  double speck_area = std::max(2.0, work.text_height * work.text_height / 400);
  for (int i = 1; i < marks.count(); ++i) {
    if (marks.area(i) <= speck_area) ++specks;
    if (LooksLikeCharacter(marks, i, work.text_height / 3, work.text_height * 4)) ++characters;
  }
  if (specks <= characters) return;
  cv::medianBlur(work.gray, work.gray, 3);
  work.Done("denoise");
}

// Step 6. Sauvola & Pietikainen (2000): each pixel's threshold is T = m (1 + k (s / R - 1)) from
// the mean m and standard deviation s of a window about two text heights wide, so faint print
// and dark print each get a threshold of their own. k = 0.2 and R = 128 as in the paper.
void Binarize(PageWork& work) {
  constexpr double kK = 0.2;
  constexpr double kR = 128;
  int window = Odd(2 * work.text_height);
  cv::Mat image, mean, mean_of_squares;
  work.gray.convertTo(image, CV_32F);
  cv::boxFilter(image, mean, CV_32F, cv::Size(window, window));
  cv::boxFilter(image.mul(image), mean_of_squares, CV_32F, cv::Size(window, window));
  cv::Mat deviation;
  cv::sqrt(cv::max(mean_of_squares - mean.mul(mean), 0), deviation);
  cv::Mat threshold = mean.mul(1 + kK * (deviation / kR - 1));
  cv::Mat paper = image > threshold;
  work.gray = paper;
  work.Done("binarize");
}

bool TouchesEdge(const cv::Rect& r, cv::Size image) {
  return r.x == 0 || r.y == 0 || r.br().x == image.width || r.br().y == image.height;
}

// Step 7. Scanners and cameras see past the paper: black bands, torn edges, the shadow of the
// paper's edge, the table under a receipt. Tesseract reads those as rows of junk characters.
// Everything more than a text height outside the box holding the character-sized marks (those
// not touching the image edge) is painted over with paper.
void RemoveBorder(PageWork& work) {
  Marks marks = FindMarks(InkOf(work.gray));
  cv::Rect text_area;
  for (int i = 1; i < marks.count(); ++i) {
    if (LooksLikeCharacter(marks, i, work.text_height / 3, work.text_height * 4) &&
        !TouchesEdge(marks.rect(i), work.gray.size())) {
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
  work.Done("border");
}

// Step 8. A blank page (a separator sheet, the back of a single-sided letter) has nothing to read
// and Tesseract would only find noise in it.
void DetectBlank(PageWork& work) {
  Marks marks = FindMarks(InkOf(work.gray));
  int characters = 0;
  for (int i = 1; i < marks.count(); ++i) {
    if (LooksLikeCharacter(marks, i, work.text_height / 3, work.text_height * 4)) ++characters;
  }
  work.result.blank = characters < kMinMarksOnPage;
}

// The resolution to tell Tesseract: the file's, if it gives a believable one, else what the text
// height suggests for body text.
int ResolutionOf(const PageWork& work) {
  if (work.dpi >= 100) return work.dpi;
  return static_cast<int>(std::lround(300 * work.text_height / kTargetTextHeight));
}

// TEMPORARY for measurement: QUIRE_SKIP=scale,binarize
bool Skip(const char* step) {
  const char* skip = std::getenv("QUIRE_SKIP");
  return skip != nullptr && std::string(skip).find(step) != std::string::npos;
}

}  // namespace

void DebugImages::Write(const std::string& step, const cv::Mat& image) const {
  if (dir.empty()) return;
  char page_number[16];
  std::snprintf(page_number, sizeof(page_number), "%03d", page + 1);
  cv::imwrite(dir + "/" + page_number + "-" + step + ".png", image);
}

CleanPage CleanUp(const PageImage& page, const DebugImages& debug) {
  PageWork work;
  work.gray = page.gray.clone();
  work.dpi = page.dpi;
  work.debug = &debug;
  if (!Skip("scale")) Scale(work);
  work.result.dpi = ResolutionOf(work);
  if (!Skip("background")) RemoveBackground(work);
  if (!Skip("orient")) Orient(work);
  if (!Skip("deskew")) Deskew(work);
  if (!Skip("denoise")) Denoise(work);
  if (!Skip("binarize")) Binarize(work);
  if (!Skip("border")) RemoveBorder(work);
  if (!Skip("blank")) DetectBlank(work);
  work.result.image = work.gray;
  cv::Matx33d to_original = work.from_original.inv();
  work.result.to_original = cv::Matx23d(to_original.val);
  return work.result;
}

CleanPage TurnUpsideDown(const CleanPage& page) {
  CleanPage turned = page;
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

Box ToOriginal(const Box& box, const cv::Matx23d& to_original, cv::Size page_size) {
  double left = page_size.width, top = page_size.height, right = 0, bottom = 0;
  for (cv::Point2d corner : {cv::Point2d(box.x, box.y), cv::Point2d(box.right(), box.y),
                             cv::Point2d(box.x, box.bottom()),
                             cv::Point2d(box.right(), box.bottom())}) {
    cv::Vec3d p(corner.x, corner.y, 1);
    cv::Vec2d q = to_original * p;
    left = std::min(left, q[0]);
    top = std::min(top, q[1]);
    right = std::max(right, q[0]);
    bottom = std::max(bottom, q[1]);
  }
  int x = std::clamp(static_cast<int>(std::floor(left)), 0, page_size.width);
  int y = std::clamp(static_cast<int>(std::floor(top)), 0, page_size.height);
  int r = std::clamp(static_cast<int>(std::ceil(right)), 0, page_size.width);
  int b = std::clamp(static_cast<int>(std::ceil(bottom)), 0, page_size.height);
  return Box{x, y, r - x, b - y};
}

}  // namespace quire::capture
