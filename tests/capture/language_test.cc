// `--lang auto`: the English reading tells the document's language, and a German or French
// document is read again with its own language first.
#include "language.h"

#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <opencv2/imgproc.hpp>

#include "capturer.h"
#include "tesseract_engine.h"
#include "test_support.h"

namespace quire::capture {
namespace {

using testing::Contains;
using testing::Encode;
using testing::SampleDoc;
using testing::SharedCapturer;

std::string Detect(const std::string& text) {
  PageText page;
  page.text = text;
  return DetectLanguage({page}).tesseract;
}

TEST_CASE("the detector tells German and French from English by their common words") {
  CHECK(Detect("Rechnung Nr. 2024-118\nRechnungsdatum: 12.03.2024\nBitte zahlbar ohne Abzug "
               "innerhalb 14 Tage\nGesamtbetrag 1.234,56 EUR") == "deu");
  CHECK(Detect("FACTURE N° F-2024-031\nDésignation Qté Prix unitaire HT\nTotal TTC\n"
               "Règlement à réception") == "fra");
  CHECK(Detect("INVOICE 4711\nPlease pay the total amount within thirty days\nThank you") == "eng");
}

PageText OneLine(std::vector<std::string> texts) {
  PageText page;
  int x = 100;
  for (std::string& text : texts) {
    page.words.push_back({std::move(text), {x, 200, 150, 40}, 90, 0, 0});
    x += 200;
  }
  return page;
}

TEST_CASE("a German reading keeps the English reading's letters German data cannot write") {
  PageText text;
  text.text = "Rechnung für die Lieferung und der Betrag";
  const DocumentLanguage german = DetectLanguage({text});
  REQUIRE(german.tesseract == "deu");
  const PageText english = OneLine({"Café", "Fallig", "René", "Cafe"});
  PageText page = OneLine({"Cafe", "Fällig", "Rene", "Cafe"});
  KeepLettersOutsideLanguage(english, german, page);
  // "Café" and "René" come back, "Fällig" stays as German read it (ä is German), and a word the
  // English reading also spelled without accents is left alone.
  CHECK(page.words[0].text == "Café");
  CHECK(page.words[1].text == "Fällig");
  CHECK(page.words[2].text == "René");
  CHECK(page.words[3].text == "Cafe");
  CHECK(page.text == "Café Fällig René Cafe");
}

TEST_CASE("only a word in the same place and spelled alike but for accents is taken over") {
  const DocumentLanguage german{"deu", "German", "äöüßÄÖÜ"};
  PageText english = OneLine({"Café", "Crème"});
  english.words[0].box.x += 120;  // read somewhere else
  PageText page = OneLine({"Cafe", "Creme", "brûlée"});
  page.text = "Cafe Creme brûlée";
  english.words[1].text = "Crèma";  // a different word
  KeepLettersOutsideLanguage(english, german, page);
  CHECK(page.text == "Cafe Creme brûlée");
}

TEST_CASE("the detector folds case and accents, and counts each word once") {
  CHECK(Detect("FÜR DIE STRASSE UND DER") == "deu");
  CHECK(Detect("fur die Straße und der") == "deu");
  CHECK(Detect("ECHEANCE QUANTITE REGLEMENT DESIGNATION") == "fra");
  CHECK(Detect("die die die die und und und und") == "eng");
}

TEST_CASE("the detector keeps English text with a few foreign words or place names English") {
  // Three French markers ("client", "avenue", "la") are not enough.
  CHECK(Detect("Total due 12.50\nClient: Harbour Dental, 5th Avenue, LA 90012") == "eng");
  // As many German as French markers: neither dominates.
  CHECK(Detect("und der die das le la les des") == "eng");
}

TEST_CASE("a German invoice comes back with its umlauts, read with deu+eng") {
  Result<CapturedDocument> doc = SharedCapturer().Capture(SampleDoc("invoice-de-01.png"));
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  const PageText& page = doc->pages[0];
  CHECK(page.language == "deu+eng");
  CHECK(Contains(page.text, "Müller"));
  CHECK(Contains(page.text, "Köln"));
  CHECK(Contains(page.text, "Industriestraße"));
}

TEST_CASE("an engine for two languages fails when one of them is missing, naming its package") {
  // Tesseract itself starts with the languages it finds and reads on without the others.
  Result<std::unique_ptr<OcrEngine>> engine = CreateTesseractEngine("eng+xyz");
  REQUIRE(!engine.ok());
  CHECK(Contains(engine.status().message(), "install tesseract-ocr-xyz ("));
}

// Real Tesseract engines that count the pages each language reads.
struct CountedReadings {
  std::mutex mutex;
  std::map<std::string, int> reads;  // by language; guarded by mutex
  std::vector<std::string> refused;  // languages whose engine is made to fail

  OcrEngineFactory Factory() {
    return [this](const std::string& language) -> Result<std::unique_ptr<OcrEngine>> {
      for (const std::string& r : refused) {
        if (r == language) return Status::InvalidArgument("no data for " + language);
      }
      Result<std::unique_ptr<OcrEngine>> real = CreateTesseractEngine(language);
      if (!real.ok()) return real.status();
      return std::unique_ptr<OcrEngine>(
          std::make_unique<CountingEngine>(std::move(*real), language, *this));
    };
  }

  int Reads(const std::string& language) {
    std::lock_guard<std::mutex> lock(mutex);
    return reads[language];
  }

  class CountingEngine : public OcrEngine {
   public:
    CountingEngine(std::unique_ptr<OcrEngine> real, std::string language, CountedReadings& counts)
        : real_(std::move(real)), language_(std::move(language)), counts_(counts) {}
    Result<std::vector<OcrWord>> Recognize(const cv::Mat& image, int dpi) override {
      if (!image.isSubmatrix()) {  // a part of a page read again is no reading of the page
        std::lock_guard<std::mutex> lock(counts_.mutex);
        ++counts_.reads[language_];
      }
      return real_->Recognize(image, dpi);
    }

   private:
    std::unique_ptr<OcrEngine> real_;
    std::string language_;
    CountedReadings& counts_;
  };
};

std::unique_ptr<Capturer> CountingCapturer(CountedReadings& counts, CaptureOptions options = {}) {
  options.jobs = 1;
  Result<std::unique_ptr<Capturer>> capturer = CreateCapturer(options, counts.Factory());
  REQUIRE(capturer.ok());
  return std::move(*capturer);
}

TEST_CASE("an English invoice is read once, in English") {
  CountedReadings counts;
  std::unique_ptr<Capturer> capturer = CountingCapturer(counts);
  Result<CapturedDocument> doc = capturer->Capture(SampleDoc("invoice-en-01.png"));
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  CHECK(doc->pages[0].language == "eng");
  CHECK(counts.Reads("eng") == 1);
  CHECK(counts.Reads("deu+eng") + counts.Reads("fra+eng") == 0);
}

// A small page of German words without umlauts, quick to read.
std::string SmallGermanPage() {
  cv::Mat page(700, 2000, CV_8UC1, cv::Scalar(255));
  const char* lines[] = {"Rechnung 4711 der Firma Weber GmbH", "Summe netto und brutto mit MwSt",
                         "Bitte zahlbar ohne Abzug"};
  int baseline = 200;
  for (const char* line : lines) {
    cv::putText(page, line, cv::Point(150, baseline), cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0),
                4, cv::LINE_AA);
    baseline += 110;
  }
  return Encode(page, ".png");
}

TEST_CASE("an explicit language turns detection off") {
  CountedReadings counts;
  CaptureOptions options;
  options.language = "eng";
  std::unique_ptr<Capturer> capturer = CountingCapturer(counts, options);
  Result<CapturedDocument> doc = capturer->Capture(SmallGermanPage());
  REQUIRE(doc.ok());
  CHECK(doc->pages[0].language == "eng");
  CHECK(Contains(doc->pages[0].text, "Rechnung"));
  CHECK(counts.Reads("deu+eng") == 0);
}

TEST_CASE("German text without German data keeps the English reading and names the package once") {
  CountedReadings counts;
  counts.refused = {"deu+eng"};
  std::vector<std::string> warnings;
  CaptureOptions options;
  options.on_warning = [&](const std::string& message) { warnings.push_back(message); };
  std::unique_ptr<Capturer> capturer = CountingCapturer(counts, options);
  for (int i = 0; i < 2; ++i) {
    Result<CapturedDocument> doc = capturer->Capture(SmallGermanPage());
    REQUIRE(doc.ok());
    CHECK(doc->pages[0].error.empty());
    CHECK(doc->pages[0].language == "eng");
    CHECK(Contains(doc->pages[0].text, "Rechnung"));
  }
  REQUIRE(warnings.size() == 1);
  CHECK(Contains(warnings[0], "German"));
  CHECK(Contains(warnings[0], "install tesseract-ocr-deu"));
  CHECK(counts.Reads("eng") == 2);
}

}  // namespace
}  // namespace quire::capture
