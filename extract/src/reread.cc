#include "reread.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "builtin_fields.h"
#include "document.h"
#include "lexicon.h"
#include "text.h"

namespace quire::extract {
namespace {

using Charset = RegionReader::Charset;
using Reading = RegionReader::Reading;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A word OCR may have garbled out of a numeric date, which FindDates no longer finds: four digits
// or more, parted by two date separators or more ("2O/03/2O18", "28-02-201B").
bool LooksLikeDate(const std::string& text) {
  const auto digits = std::count_if(text.begin(), text.end(), IsDigit);
  const auto separators = std::count_if(text.begin(), text.end(),
                                        [](char c) { return c == '/' || c == '-' || c == '.'; });
  return digits >= 4 && separators >= 2;
}

// The first amount with decimals in `text`.
std::optional<AmountMatch> DecimalAmount(std::string_view text) {
  for (const AmountMatch& m : FindAmounts(text, DecimalMark::kAuto)) {
    if (m.decimal != 0) return m;
  }
  return std::nullopt;
}

// What the word's figure is, if it holds one worth a second reading.
std::optional<Charset> FigureOf(const std::string& text, DateOrder order) {
  if (!FindDates(text, order).empty() || LooksLikeDate(text)) return Charset::kDate;
  if (DecimalAmount(text)) return Charset::kAmount;
  return std::nullopt;
}

// The first figure of `charset` in `text`, normalised ("2018-03-20", "9.00").
std::optional<std::string> Figure(std::string_view text, Charset charset, DateOrder order) {
  if (charset == Charset::kDate) {
    const std::vector<TextMatch> dates = FindDates(text, order);
    if (dates.empty()) return std::nullopt;
    return dates.front().value;
  }
  const std::optional<AmountMatch> amount = DecimalAmount(text);
  if (!amount) return std::nullopt;
  return FormatAmount(amount->cents);
}

// The figure every reading holds, the same in each; nullopt when one holds none or they differ.
// The renderings (three sizes) seldom misread a digit alike, so a figure all of them read is
// taken over the page's first reading; two renderings against the page's reading took as many
// wrong figures as right ones on sroie-dev.
std::optional<std::string> AgreedFigure(const std::vector<Reading>& readings, Charset charset,
                                        DateOrder order) {
  std::optional<std::string> agreed;
  for (const Reading& reading : readings) {
    std::optional<std::string> figure = Figure(reading.text, charset, order);
    if (!figure || (agreed && *agreed != *figure)) return std::nullopt;
    agreed = std::move(figure);
  }
  return agreed;
}

// A reading whose date more than half of `readings` hold; null when there is none.
const Reading* MajorityReading(const std::vector<Reading>& readings, DateOrder order) {
  for (const Reading& reading : readings) {
    const std::optional<std::string> date = Figure(reading.text, Charset::kDate, order);
    if (!date) continue;
    const auto alike = std::count_if(readings.begin(), readings.end(), [&](const Reading& r) {
      return Figure(r.text, Charset::kDate, order) == date;
    });
    if (alike * 2 > static_cast<long>(readings.size())) return &reading;
  }
  return nullptr;
}

// How many of `readings` read `first`.
int Confirming(const std::vector<Reading>& readings, const std::optional<std::string>& first,
               Charset charset, DateOrder order) {
  return static_cast<int>(std::count_if(readings.begin(), readings.end(), [&](const Reading& r) {
    return first && Figure(r.text, charset, order) == first;
  }));
}

// The word's text with the figure of `again` in place of the first reading's: a date is taken as
// read again whole; an amount replaces the amount, and the word's currency or unit, outside the
// amount's characters, stays as first read.
std::string Reread(const OcrWord& word, Charset charset, const std::string& again) {
  const std::optional<AmountMatch> before = DecimalAmount(word.text);
  if (charset == Charset::kDate || !before) return again;
  const std::optional<AmountMatch> now = DecimalAmount(again);
  std::string text = word.text;
  text.replace(before->begin, before->end - before->begin,
               again.substr(now->begin, now->end - now->begin));
  return text;
}

// Whether the middle of `word`'s box lies in `box`.
bool MiddleIn(const OcrWord& word, const Box& box) {
  const int x = word.box.x + word.box.w / 2, y = word.box.y + word.box.h / 2;
  return x >= box.x && x <= box.right() && y >= box.y && y <= box.bottom();
}

// The words of `page` whose middle lies in `box`, replaced by one word of `text` over their
// boxes. Returns whether there were any.
bool ReplaceWords(PageText& page, const Box& box, const std::string& text, float conf) {
  auto inside = [&](const OcrWord& w) { return MiddleIn(w, box); };
  auto first = std::find_if(page.words.begin(), page.words.end(), inside);
  if (first == page.words.end()) return false;
  for (auto it = std::next(first); it != page.words.end(); ++it) {
    if (inside(*it)) first->box = first->box.Union(it->box);
  }
  first->text = text;
  first->conf = conf;
  page.words.erase(std::remove_if(std::next(first), page.words.end(), inside), page.words.end());
  return true;
}

float MinConf(const std::vector<Reading>& readings) {
  float conf = 100;
  for (const Reading& r : readings) conf = std::min(conf, r.conf);
  return conf;
}

// The confidence of a figure the renderings agree on: the middle rendering's (the lower of two).
// Agreement is the evidence; one rendering's low confidence, most often the smallest one's, says
// little against it, and with the lowest a date all three read alike ("18/05/18" at 64, 11 and
// 72) went below legible and was dropped.
float MiddleConf(const std::vector<Reading>& readings) {
  std::vector<float> conf;
  for (const Reading& r : readings) conf.push_back(r.conf);
  std::sort(conf.begin(), conf.end());
  return conf.empty() ? 0 : conf[(conf.size() - 1) / 2];
}

// Every word holding an amount or a date, read again.
void RereadWords(RegionReader& images, DateOrder order, RereadPages& result) {
  for (size_t p = 0; p < result.pages.size(); ++p) {
    if (result.pages[p].source != TextSource::kOcr) continue;
    for (OcrWord& word : result.pages[p].words) {
      const std::optional<Charset> charset = FigureOf(word.text, order);
      if (!charset) continue;
      const std::optional<std::string> first = Figure(word.text, *charset, order);
      // Readings of the page's figure by at least half the renderings settle the word: the rest can
      // neither agree on another figure nor make most read otherwise. Most words stop at two.
      const auto settled = [&](const std::vector<Reading>& so_far) {
        return Confirming(so_far, first, *charset, order) * 2 >= RegionReader::kRenderings;
      };
      const std::vector<Reading> readings =
          images.Read(static_cast<int>(p), word.box, *charset, settled);
      if (readings.empty()) continue;
      const std::optional<std::string> agreed = AgreedFigure(readings, *charset, order);
      if (agreed && agreed == first) continue;
      // A figure the renderings mostly read otherwise is doubtful; a word no reading finds a
      // figure in gave the extraction none to doubt.
      if ((agreed || first) &&
          Confirming(readings, first, *charset, order) * 2 < static_cast<int>(readings.size())) {
        result.doubtful.push_back({static_cast<int>(p), word.box});
      }
      if (!agreed) continue;
      word.text = Reread(word, *charset, readings.front().text);
      word.conf = MiddleConf(readings);
      ++result.changed;
    }
  }
}

// A date label ("Date:") on whose line no date was read: OCR garbled the date past finding
// ("20/03/204E", "Oct 3, 20165"), or split it. The line from the label on is read again whole,
// and the date most renderings read is taken: there is no first reading's date to lose.
void RereadDateLines(const Document& doc, RegionReader& images, DateOrder order,
                     RereadPages& result) {
  for (const LabelHit& hit : FindLabels(doc, FieldLabels(field_name::kInvoiceDate),
                                        ExcludedLabels(field_name::kInvoiceDate))) {
    const Line& line = *hit.line;
    if (result.pages[line.page].source != TextSource::kOcr) continue;
    Box upright = line.BoxOf(line.tokens[hit.first].begin, line.text.size());
    std::string text = line.text;
    // A date printed apart from its label is a line of its own to the right.
    const std::vector<const Line*> right = doc.LinesRightOf(line, hit.box());
    if (!right.empty()) {
      upright = upright.Union(right.front()->box);
      text += " " + right.front()->text;
    }
    if (!FindDates(text, order).empty()) continue;
    // Two text heights more to the right: OCR's boxes leave out what it did not read, as often
    // as not the date's last digit.
    upright.w += 2 * upright.h;
    const Box box = doc.OriginalBox(line.page, upright);
    const std::vector<Reading> readings = images.Read(line.page, box, Charset::kDateLine, {});
    const Reading* taken = MajorityReading(readings, order);
    if (taken == nullptr) continue;
    if (ReplaceWords(result.pages[line.page], box, taken->text, MiddleConf(readings))) {
      result.doubtful.push_back({line.page, box});
      ++result.changed;
    }
  }
}

// The words of one line of a page, in reading order.
using PageLine = std::vector<OcrWord*>;

// The lines of `page` (its words' block and line) with words whose middle lies in `box`: those
// words alone.
std::vector<PageLine> LinesIn(PageText& page, const Box& box) {
  std::map<std::pair<int, int>, PageLine> lines;
  for (OcrWord& word : page.words) {
    if (MiddleIn(word, box)) lines[{word.block, word.line}].push_back(&word);
  }
  std::vector<PageLine> result;
  for (auto& entry : lines) result.push_back(std::move(entry.second));
  return result;
}

// The box of a line's words, but for a word much taller than most (a stroke or smudge OCR took
// into its box), whose height would take the next line's print into the crop.
Box LineBox(const PageLine& line) {
  std::vector<int> heights;
  for (const OcrWord* word : line) heights.push_back(word->box.h);
  std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2),
                   heights.end());
  const int usual = heights[heights.size() / 2];
  Box box = line.front()->box;
  std::optional<Box> rows;
  for (const OcrWord* word : line) {
    box = box.Union(word->box);
    if (word->box.h * 4 <= usual * 5) rows = rows ? rows->Union(word->box) : word->box;
  }
  return Box{box.x, rows->y, box.w, rows->h};
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  size_t begin = 0;
  while (begin < text.size()) {
    const size_t end = std::min(text.find_first_of(" \n", begin), text.size());
    if (end > begin) words.emplace_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return words;
}

// The positions of `line` where every reading holds the same word, and another than the page's;
// none when a reading parts the line into another number of words (then which word is which is
// a guess).
std::vector<std::pair<size_t, std::string>> AgreedWords(const PageLine& line,
                                                        const std::vector<Reading>& readings) {
  std::vector<std::vector<std::string>> read;
  for (const Reading& reading : readings) {
    read.push_back(SplitWords(reading.text));
    if (read.back().size() != line.size()) return {};
  }
  std::vector<std::pair<size_t, std::string>> agreed;
  for (size_t i = 0; i < line.size() && !read.empty(); ++i) {
    const std::string& word = read.front()[i];
    const bool alike = std::all_of(read.begin(), read.end(),
                                   [&](const std::vector<std::string>& r) { return r[i] == word; });
    if (alike && word != line[i]->text) agreed.emplace_back(i, word);
  }
  return agreed;
}

// Whether the lexicon knows `text`, the punctuation around it left out.
bool Known(std::string_view text) {
  const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  const auto first = std::find_if(text.begin(), text.end(), alnum);
  const auto last = std::find_if(text.rbegin(), text.rend(), alnum).base();
  if (first >= last) return false;
  return Lexicon::Builtin().Knows(AsciiUpper(std::string_view(first, last)));
}

// Whether a word the renderings agree on should replace the page's `word`: not when it would
// unmake a word the lexicon knows ("UTAMA" read "UTANA"), nor when Tesseract is clearly less sure
// of the renderings than of the page (a short crop read "AIR" as "AR" at 36 against 93).
bool Replaces(const OcrWord& word, const std::string& again, float again_conf) {
  constexpr float kConfidenceMargin = 10;
  if (Known(word.text) && !Known(again)) return false;
  return again_conf >= word.conf - kConfidenceMargin;
}

}  // namespace

RereadPages RereadText(const std::vector<PageText>& pages, const std::vector<PageRegion>& regions,
                       RegionReader& images) {
  RereadPages result{pages, 0, {}};
  for (const PageRegion& region : regions) {
    if (region.page < 0 || region.page >= static_cast<int>(result.pages.size())) continue;
    PageText& page = result.pages[region.page];
    if (page.source != TextSource::kOcr) continue;
    for (PageLine& line : LinesIn(page, region.box)) {
      const Box box = LineBox(line);
      // A rendering that reads no word otherwise than the page (most lines) settles the line.
      const auto settled = [&](const std::vector<Reading>& so_far) {
        return AgreedWords(line, so_far).empty();
      };
      const std::vector<Reading> readings = images.Read(region.page, box, Charset::kText, settled);
      if (readings.size() < static_cast<size_t>(RegionReader::kRenderings)) continue;
      for (const auto& [i, again] : AgreedWords(line, readings)) {
        if (!Replaces(*line[i], again, MinConf(readings))) continue;
        line[i]->text = again;
        line[i]->conf = MinConf(readings);
        ++result.changed;
      }
    }
  }
  return result;
}

RereadPages RereadFigures(const std::vector<PageText>& pages, RegionReader& images,
                          DateOrder order) {
  RereadPages result{pages, 0, {}};
  const Document doc(pages);
  RereadDateLines(doc, images, order, result);
  RereadWords(images, order, result);
  return result;
}

}  // namespace quire::extract
