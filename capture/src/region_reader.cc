// RegionReader over a file's page images: each page as capture cleaned it (kept by capture, or
// decoded and cleaned again when a region of it is first asked for), and each region read alone
// by a Tesseract engine set to read one line.
#include <leptonica/allheaders.h>
#include <omp.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <map>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "cleanup.h"
#include "page_reader.h"
#include "page_source.h"
#include "quire/capture/capture.h"

namespace quire::capture {
namespace {

// The characters each kind of region may hold: restricting them turns a misread "S" into the
// "5" it has to be.
const char* Whitelist(RegionReader::Charset charset) {
  switch (charset) {
    case RegionReader::Charset::kAmount: return "0123456789.,-$";
    case RegionReader::Charset::kDate:
    case RegionReader::Charset::kDateLine:
      return "0123456789/-.:, ABCDEFGJLMNOPRSTUVYabcdeghilnoprtuvy";
    case RegionReader::Charset::kText: return "";
  }
  return "";
}

// The renderings of a crop, each read once: the heights in pixels the crop (its text and a fifth
// of that above and below) is scaled to. Tesseract makes other mistakes at each size, so a figure
// read alike at all three is seldom misread. On the amounts and dates of sroie-dev, a
// figure read alike in grey at these three sizes, and otherwise than on the page, was the printed
// one 29 times and not 3 times; renderings parted into black and white by Otsu's threshold did
// worse alone and with these.
constexpr double kCropHeights[] = {32, 48, 64};
static_assert(std::size(kCropHeights) == RegionReader::kRenderings);

// White margin around the crop, in crop heights: Tesseract misreads letters that touch the edge.
constexpr double kMargin = 0.5;

// One Tesseract engine per thread and languages ("deu+eng"), reading single lines; made on first
// use. Null when the languages' data is not installed.
tesseract::TessBaseAPI* LineEngine(const std::string& languages) {
  thread_local std::map<std::string, std::unique_ptr<tesseract::TessBaseAPI>> engines;
  auto [it, made] = engines.try_emplace(languages);
  if (made) {
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    api->SetVariable("debug_file", "/dev/null");
    setMsgSeverity(L_SEVERITY_NONE);
    if (api->Init(nullptr, languages.c_str(), tesseract::OEM_LSTM_ONLY) == 0) {
      api->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
      it->second = std::move(api);
    }
  }
  return it->second.get();
}

// `box` of the page as decoded, on the cleaned image: the bounding rectangle of its corners.
cv::Rect OnCleanImage(const Box& box, const CleanPage& clean) {
  const Box on_clean = ToOriginal(box, clean.to_original.inv(), clean.image.size());
  return cv::Rect(on_clean.x, on_clean.y, on_clean.w, on_clean.h);
}

// The crop scaled to `height` pixels, stretched to full contrast (faint print
// too), on a white margin.
cv::Mat Rendered(const cv::Mat& crop, double height) {
  const double scale = height / crop.rows;
  cv::Mat scaled;
  cv::resize(crop, scaled, cv::Size(), scale, scale, scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
  cv::normalize(scaled, scaled, 0, 255, cv::NORM_MINMAX);
  const int margin = static_cast<int>(kMargin * height);
  cv::Mat framed;
  cv::copyMakeBorder(scaled, framed, margin, margin, margin, margin, cv::BORDER_CONSTANT,
                     cv::Scalar(255));
  return framed;
}

// A run of rows of a crop with print on them, parted from the next by rows of bare paper.
struct InkBand {
  int begin = 0, end = 0;  // rows [begin, end)
  int ink = 0;             // dark pixels
};

std::vector<InkBand> InkBands(const cv::Mat& crop) {
  cv::Mat ink, per_row;
  cv::threshold(crop, ink, 0, 1, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::reduce(ink, per_row, 1, cv::REDUCE_SUM, CV_32S);
  double most = 0;
  cv::minMaxLoc(per_row, nullptr, &most);
  std::vector<InkBand> bands;
  for (int y = 0; y < crop.rows; ++y) {
    const int row = per_row.at<int>(y);
    if (row * 20 <= most) continue;  // paper, or a speck
    if (bands.empty() || bands.back().end < y) bands.push_back({y, y, 0});
    bands.back().end = y + 1;
    bands.back().ink += row;
  }
  return bands;
}

// The rows of `crop` that hold the line it was cut for, with a little paper. A line's box may
// take in print of the lines above and below (the foot of one, a dashed rule under it), and
// Tesseract reads such a crop as one line of garbage. Of its bands of print, the line is the one
// with the most ink of those clear of the crop's edges (a neighbour's part is cut by an edge).
cv::Range LineRows(const cv::Mat& crop) {
  const std::vector<InkBand> bands = InkBands(crop);
  if (bands.size() <= 1) return cv::Range(0, crop.rows);
  const auto clear = [&](const InkBand& b) { return b.begin > 0 && b.end < crop.rows; };
  const InkBand* line = &bands.front();
  for (const InkBand& b : bands) {
    if ((clear(b) && !clear(*line)) || (clear(b) == clear(*line) && b.ink > line->ink)) line = &b;
  }
  const int margin = (line->end - line->begin) / 5 + 1;
  return cv::Range(std::max(0, line->begin - margin), std::min(crop.rows, line->end + margin));
}

RegionReader::Reading ReadLine(const cv::Mat& image, RegionReader::Charset charset,
                               const std::string& languages) {
  tesseract::TessBaseAPI* engine = LineEngine(languages);
  if (engine == nullptr) return {};
  omp_set_max_active_levels(0);  // as tesseract_engine.cc: one thread per engine
  engine->SetVariable("tessedit_char_whitelist", Whitelist(charset));
  engine->SetImage(image.data, image.cols, image.rows, 1, static_cast<int>(image.step));
  engine->SetSourceResolution(300);
  RegionReader::Reading reading;
  std::unique_ptr<char[]> text(engine->GetUTF8Text());
  if (text != nullptr) reading.text = text.get();
  while (!reading.text.empty() && std::isspace(static_cast<unsigned char>(reading.text.back()))) {
    reading.text.pop_back();
  }
  reading.conf = static_cast<float>(engine->MeanTextConf());
  engine->Clear();
  return reading;
}

class PageRegionReader : public RegionReader {
 public:
  PageRegionReader(std::string_view bytes, const std::vector<PageText>& pages,
                   const CaptureOptions& options, std::shared_ptr<const CleanedPages> kept)
      : bytes_(bytes), pages_(pages), options_(options), kept_(std::move(kept)) {}

  std::vector<Reading> Read(int page, const Box& box, Charset charset,
                            const Enough& enough) override {
    try {
      const CleanPage* clean = Page(page);
      if (clean == nullptr || box.empty()) return {};
      cv::Rect rect = OnCleanImage(box, *clean);
      if (rect.height < 4 || rect.width < 4) return {};
      // A little of the paper around the word, not enough to take in its neighbours.
      const int pad_y = rect.height / 5, pad_x = rect.height / 4;
      rect = cv::Rect(rect.x - pad_x, rect.y - pad_y, rect.width + 2 * pad_x,
                      rect.height + 2 * pad_y) &
             cv::Rect(0, 0, clean->image.cols, clean->image.rows);
      // Figures are read in English, whose digits and month names the whitelists hold; text in
      // the languages the page was read in, so that "Müller" keeps its umlaut.
      const std::string& page_languages = pages_[page].language;
      const std::string languages = charset == Charset::kText && !page_languages.empty()
                                        ? page_languages
                                        : std::string("eng");
      cv::Mat crop = clean->image(rect);
      // Only a date's line is cut to its rows. Cut so, single figures (Tesseract's own word
      // boxes) read alike more often, the wrong ones too, and names' lines read no better.
      if (charset == Charset::kDateLine) crop = crop.rowRange(LineRows(crop));
      std::vector<Reading> readings;
      for (double height : kCropHeights) {
        readings.push_back(ReadLine(Rendered(crop, height), charset, languages));
        if (enough && enough(readings)) break;
      }
      return readings;
    } catch (const std::exception&) {  // cv::Exception, std::bad_alloc: no second reading
      return {};
    }
  }

 private:
  // The page cleaned as capture read it (kept by capture, or cleaned again here); null when it
  // has no image to read.
  const CleanPage* Page(int index) {
    if (index < 0 || index >= static_cast<int>(pages_.size())) return nullptr;
    const PageText& text = pages_[index];
    if (text.source != TextSource::kOcr || text.blank || !text.error.empty()) return nullptr;
    if (const CleanPage* kept = kept_ ? kept_->Find(index) : nullptr) return kept;
    auto found = cleaned_.find(index);
    if (found != cleaned_.end()) return found->second ? &*found->second : nullptr;
    std::optional<CleanPage>& clean = cleaned_[index];
    if (source_ == nullptr) {
      DecodeLimits limits{options_.max_pixels, options_.max_pages, options_.pdf_dpi};
      Result<OpenedDocument> opened = OpenDocument(bytes_, limits);
      if (!opened.ok()) return nullptr;
      source_ = std::move(opened->pages);
    }
    if (index >= source_->page_count()) return nullptr;
    Result<DecodedPage> decoded = source_->Decode(index);
    if (!decoded.ok() || decoded->text) return nullptr;
    CleanPage page =
        options_.cleanup ? CleanUp(decoded->image, DebugImages{}) : Uncleaned(decoded->image);
    // Capture turns a page that reads better upside down after cleaning it.
    if ((page.rotation + 180) % 360 == text.rotation) page = TurnUpsideDown(page);
    clean = std::move(page);
    return &*clean;
  }

  const std::string_view bytes_;
  const std::vector<PageText>& pages_;
  const CaptureOptions options_;
  const std::shared_ptr<const CleanedPages> kept_;
  std::unique_ptr<PageSource> source_;
  std::map<int, std::optional<CleanPage>> cleaned_;
};

}  // namespace

std::unique_ptr<RegionReader> OpenRegionReader(std::string_view bytes,
                                               const std::vector<PageText>& pages,
                                               const CaptureOptions& options,
                                               std::shared_ptr<const CleanedPages> cleaned) {
  return std::make_unique<PageRegionReader>(bytes, pages, options, std::move(cleaned));
}

}  // namespace quire::capture
