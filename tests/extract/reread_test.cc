// The rules by which figures and lines read again replace the first reading's (reread.h), with
// readings scripted per word or line: the real crops are read in
// tests/capture/region_reader_test.cc.
#include "reread.h"

#include <catch2/catch.hpp>
#include <map>

#include "page_builder.h"
#include "quire/extract/extract.h"

namespace quire::extract {
namespace {

using testing::PageBuilder;
using Reading = RegionReader::Reading;

// Reads each word's box as scripted by the word's first reading; other boxes as the page read
// them (three renderings alike), rendering by rendering until the caller has enough. Counts the
// regions it was asked to read and the renderings it read.
class ScriptedReader : public RegionReader {
 public:
  ScriptedReader(const PageText& page, std::map<std::string, std::vector<std::string>> script)
      : page_(page), script_(std::move(script)) {}

  std::vector<Reading> Read(int page, const Box& box, Charset, const Enough& enough) override {
    ++reads;
    for (const OcrWord& word : page_.words) {
      if (page != 0 || !(word.box == box)) continue;
      auto it = script_.find(word.text);
      const std::vector<std::string> texts =
          it != script_.end() ? it->second : std::vector<std::string>(kRenderings, word.text);
      std::vector<Reading> readings;
      for (const std::string& text : texts) {
        readings.push_back({text, 90});
        ++renderings;
        if (enough && enough(readings)) break;
      }
      return readings;
    }
    return {};
  }

  int reads = 0;
  int renderings = 0;

 private:
  const PageText page_;
  const std::map<std::string, std::vector<std::string>> script_;
};

PageText Receipt(const std::string& total, const std::string& date,
                 const std::string& name = "KEDAI ABC SDN BHD (123456-X)") {
  return PageBuilder(400, 1000)
      .Line(name)
      .Line("NO 5, JALAN MERDEKA,")
      .Line("81100 JOHOR BAHRU, JOHOR")
      .Line("TAX INVOICE")
      .Line("Date: " + date + " 8:13:39 PM")
      .Row({{"MILO 1KG", 20}, {"22.90", 310}})
      .Row({{"BREAD", 20}, {"5.00", 320}})
      .Row({{"TOTAL", 20}, {total, 310}})
      .Row({{"CASH", 20}, {"50.00", 310}})
      .Line("THANK YOU, PLEASE COME AGAIN")
      .Build();
}

std::unique_ptr<Extractor> MakeExtractor() {
  ExtractOptions options;
  options.today = "2019-06-01";
  Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(options);
  REQUIRE(extractor.ok());
  return std::move(*extractor);
}

TEST_CASE("a figure all renderings read alike, and otherwise, replaces the first reading's") {
  const PageText page = Receipt("27.98", "25/12/2018");
  ScriptedReader images(page, {{"27.98", {"27.90", "27.90", "$27.90"}}});
  const RereadPages again = RereadFigures({page}, images, DateOrder::kDMY);
  CHECK(again.changed == 1);
  // The four amounts and the date were read again; the words without figures were not.
  CHECK(images.reads == 5);
  // Two renderings that read a word as the page did settle it; the new total took all three.
  CHECK(images.renderings == 4 * 2 + 3);
  CHECK(again.pages[0].text == page.text);  // the page's text is left as it was read
  bool found = false;
  for (const OcrWord& word : again.pages[0].words) found |= word.text == "27.90";
  CHECK(found);

  const Extraction ex = MakeExtractor()->Extract({page}, &images);
  CHECK(ex.fields.at("total").value == "27.90");
  CHECK(ex.fields.at("total").confidence < 0.6);  // a person looks
  CHECK(ex.fields.at("invoice_date").value == "2018-12-25");
  CHECK(ex.needs_review);
}

TEST_CASE("renderings that disagree leave the figure as first read, and unsure") {
  const PageText page = Receipt("27.90", "25/12/2018");
  ScriptedReader images(page, {{"27.90", {"27.98", "27.96", "27.90"}}});
  const RereadPages again = RereadFigures({page}, images, DateOrder::kDMY);
  CHECK(again.changed == 0);
  REQUIRE(again.doubtful.size() == 1);

  const std::unique_ptr<Extractor> extractor = MakeExtractor();
  const Extraction first = extractor->Extract({page});
  const Extraction ex = extractor->Extract({page}, &images);
  CHECK(ex.fields.at("total").value == "27.90");
  CHECK(ex.fields.at("total").confidence < 0.6);  // a person looks
  CHECK(ex.fields.at("invoice_date").confidence == first.fields.at("invoice_date").confidence);
}

TEST_CASE("a date garbled past finding is read again from its label's line") {
  const PageText page = Receipt("27.90", "2S/I2/2OI8");
  ScriptedReader images(page, {});
  REQUIRE(MakeExtractor()->Extract({page}).fields.count("invoice_date") == 0);

  // The line from the label on is one box, not a word's: scripted as read right.
  class LineReader : public RegionReader {
   public:
    std::vector<Reading> Read(int, const Box&, Charset charset, const Enough&) override {
      if (charset == Charset::kDateLine) {
        // Two of the three renderings read the date: enough where the page read none.
        return {{"Date: 25/12/2018 8:13:39 PM", 80},
                {"Dale: 2S/12/20", 40},
                {"Date: 25/12/2018 8:13:39", 80}};
      }
      return {};
    }
  } line_reader;
  const Extraction ex = MakeExtractor()->Extract({page}, &line_reader);
  CHECK(ex.fields.at("invoice_date").value == "2018-12-25");
  CHECK(ex.fields.at("invoice_date").confidence < 0.6);  // a person looks
}

TEST_CASE("a date all renderings read alike is taken though the smallest is unsure of it") {
  // No label names it: what the date's own reading is worth decides whether it is taken.
  const PageText page = PageBuilder(400, 1000)
                            .Line("KEDAI ABC SDN BHD (123456-X)")
                            .Line("81100 JOHOR BAHRU, JOHOR")
                            .Line("WW/12/2018 8:13:39 PM")
                            .Row({{"TOTAL", 20}, {"27.90", 310}})
                            .Build();
  REQUIRE(MakeExtractor()->Extract({page}).fields.count("invoice_date") == 0);
  const auto date_word = std::find_if(page.words.begin(), page.words.end(),
                                      [](const OcrWord& w) { return w.text == "WW/12/2018"; });
  REQUIRE(date_word != page.words.end());

  class WordReader : public RegionReader {
   public:
    explicit WordReader(const Box& date) : date_(date) {}
    std::vector<Reading> Read(int, const Box& box, Charset, const Enough&) override {
      if (!(box == date_)) return {};
      return {{"25/12/2018", 64}, {"25/12/2018", 11}, {"25/12/2018", 72}};
    }

   private:
    const Box date_;
  } word_reader(date_word->box);
  const Extraction ex = MakeExtractor()->Extract({page}, &word_reader);
  REQUIRE(ex.fields.count("invoice_date") == 1);
  CHECK(ex.fields.at("invoice_date").value == "2018-12-25");
}

TEST_CASE("a page of text as a PDF gives it is not read again") {
  PageText page = Receipt("27.98", "25/12/2018");
  page.source = TextSource::kTextLayer;
  ScriptedReader images(page, {{"27.98", {"27.90", "27.90", "27.90"}}});
  CHECK(RereadFigures({page}, images, DateOrder::kDMY).changed == 0);
  CHECK(images.reads == 0);
}

// Reads a box as scripted by the text of the page's words whose middle lies in it, as the page read
// them otherwise, rendering by rendering until the caller has enough; figures are not read.
class LineScript : public RegionReader {
 public:
  LineScript(const PageText& page, std::map<std::string, std::vector<Reading>> script)
      : page_(page), script_(std::move(script)) {}

  std::vector<Reading> Read(int, const Box& box, Charset charset, const Enough& enough) override {
    if (charset != Charset::kText) return {};
    std::string text;
    for (const OcrWord& word : page_.words) {
      const int x = word.box.x + word.box.w / 2, y = word.box.y + word.box.h / 2;
      if (x >= box.x && x <= box.right() && y >= box.y && y <= box.bottom()) {
        text += (text.empty() ? "" : " ") + word.text;
      }
    }
    auto it = script_.find(text);
    const std::vector<Reading> texts =
        it != script_.end() ? it->second : std::vector<Reading>(kRenderings, {text, 95});
    std::vector<Reading> readings;
    for (const Reading& reading : texts) {
      readings.push_back(reading);
      ++renderings;
      if (enough && enough(readings)) break;
    }
    return readings;
  }

  int renderings = 0;

 private:
  const PageText page_;
  const std::map<std::string, std::vector<Reading>> script_;
};

std::vector<Reading> Alike(const std::string& text, float conf = 95) {
  return std::vector<Reading>(RegionReader::kRenderings, {text, conf});
}

TEST_CASE(
    "a word of the vendor's name or address that every rendering of its line reads otherwise "
    "replaces the page's") {
  const PageText page = Receipt("27.90", "25/12/2018", "KEDAI A8C SDN BHD (123456-X)");
  // The name's words, read again without the company number beside them.
  const std::string misread = "KEDAI A8C SDN BHD";
  const std::unique_ptr<Extractor> extractor = MakeExtractor();
  REQUIRE(extractor->Extract({page}).fields.at("vendor_name").value == "KEDAI A8C SDN BHD");

  SECTION("read right by all three renderings") {
    LineScript images(page, {{misread, Alike("KEDAI ABC SDN BHD")}});
    const Extraction ex = extractor->Extract({page}, &images);
    CHECK(ex.fields.at("vendor_name").value == "KEDAI ABC SDN BHD");
    // The address's lines, read as on the page, settled at their first rendering.
    CHECK(images.renderings == 3 + 2);
  }
  SECTION("renderings that part the line otherwise say nothing of which word is which") {
    LineScript images(page, {{misread, Alike("KEDAI ABCSDN BHD")}});
    CHECK(extractor->Extract({page}, &images).fields.at("vendor_name").value ==
          "KEDAI A8C SDN BHD");
  }
  SECTION("renderings that disagree leave the word") {
    LineScript images(
        page,
        {{misread,
          {{"KEDAI ABC SDN BHD", 95}, {"KEDAI ABC SDN BHD", 95}, {"KEDAI A6C SDN BHD", 95}}}});
    CHECK(extractor->Extract({page}, &images).fields.at("vendor_name").value ==
          "KEDAI A8C SDN BHD");
  }
  SECTION("renderings Tesseract is much less sure of than of the page leave the word") {
    LineScript images(page, {{misread, Alike("KEDAI ABC SDN BHD", 60)}});
    CHECK(extractor->Extract({page}, &images).fields.at("vendor_name").value ==
          "KEDAI A8C SDN BHD");
  }
}

TEST_CASE("a line is read without the next line's print, however tall one of its words' boxes") {
  PageText page = Receipt("27.90", "25/12/2018", "KEDAI A8C SDN BHD (123456-X)");
  // OCR's box of "KEDAI" reaches down over the address's first line (a smudge over and under it).
  page.words.front().box.y -= 15;
  page.words.front().box.h = 60;
  LineScript images(page, {{"KEDAI A8C SDN BHD", Alike("KEDAI ABC SDN BHD")}});
  const Extraction ex = MakeExtractor()->Extract({page}, &images);
  CHECK(ex.fields.at("vendor_name").value == "KEDAI ABC SDN BHD");
}

TEST_CASE("a word the lexicon knows is not read again into one it does not") {
  const PageText page = Receipt("27.90", "25/12/2018");
  LineScript images(page, {{"NO 5, JALAN MERDEKA,", Alike("NO 5, JALAM MERDEKA,")}});
  const RereadPages again = RereadText({page}, {{0, Box{0, 0, 400, 1000}}}, images);
  CHECK(again.changed == 0);
}

}  // namespace
}  // namespace quire::extract
