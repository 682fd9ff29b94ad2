#include "tesseract_engine.h"

#include <leptonica/allheaders.h>
#include <omp.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cctype>
#include <opencv2/core/version.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "quire/capture/capture.h"

namespace quire::capture {
namespace {

// "eng+deu" -> {"eng", "deu"}.
std::vector<std::string> LanguageCodes(const std::string& language) {
  std::vector<std::string> codes;
  std::istringstream in(language);
  for (std::string code; std::getline(in, code, '+');) {
    if (!code.empty()) codes.push_back(code);
  }
  return codes;
}

// {"eng", "deu"} -> "tesseract-ocr-eng tesseract-ocr-deu": Debian's package for each language.
std::string LanguagePackages(const std::vector<std::string>& codes) {
  std::string packages;
  for (std::string code : codes) {
    std::replace(code.begin(), code.end(), '_', '-');
    if (!packages.empty()) packages += ' ';
    packages += "tesseract-ocr-";
    packages += code;
  }
  return packages;
}

// The codes of `language` Tesseract did not load. Init("deu+eng") succeeds with English alone
// when the German data is missing, and the page would be read without its umlauts unnoticed.
std::vector<std::string> UnloadedLanguages(const tesseract::TessBaseAPI& api,
                                           const std::string& language) {
  std::vector<std::string> loaded;
  api.GetLoadedLanguagesAsVector(&loaded);
  std::vector<std::string> unloaded;
  for (const std::string& code : LanguageCodes(language)) {
    if (std::find(loaded.begin(), loaded.end(), code) == loaded.end()) unloaded.push_back(code);
  }
  return unloaded;
}

// Tesseract prints warnings ("Estimating resolution as ...") through its debug file, and
// Leptonica, which it uses, prints its own to stderr; a library must not write to the user's
// terminal.
void Silence(tesseract::TessBaseAPI& api) {
  api.SetVariable("debug_file", "/dev/null");
  setMsgSeverity(L_SEVERITY_NONE);
}

// Tesseract's LSTM runs parallel regions of four OpenMP threads. We run pages in parallel
// instead, one engine per core, and oversubscribed cores make Tesseract several times slower.
// OMP_THREAD_LIMIT=1 would do it, but libgomp reads its environment when it is loaded, before any
// code of ours runs; so each calling thread is told to run every parallel region on itself.
void RunOpenMpOnThisThread() { omp_set_max_active_levels(0); }

// Tesseract reports an empty region (a shaded box, a picture) as a word of spaces.
bool IsBlank(const char* text) {
  for (; *text != '\0'; ++text) {
    if (!std::isspace(static_cast<unsigned char>(*text))) return false;
  }
  return true;
}

// A character the recognizer was less sure of than this (0..100) may have been misread...
constexpr float kSureCharacter = 95;
// ... as a runner-up it gave at least this.
constexpr float kLikelyRunnerUp = 5;
constexpr int kMaxAlternatives = 3;

bool IsPunctuation(const std::string& character) {
  return character.size() == 1 && std::ispunct(static_cast<unsigned char>(character[0]));
}

// The readings the recognizer weighed for each character of the word at `word`, best first;
// empty when they do not spell `text` (Tesseract gave no choices).
std::vector<std::vector<std::pair<std::string, float>>> CharacterChoices(
    const tesseract::ResultIterator& word, const std::string& text) {
  std::vector<std::vector<std::pair<std::string, float>>> characters;
  std::string best;
  tesseract::ResultIterator symbol(word);
  do {
    auto& choices = characters.emplace_back();
    tesseract::ChoiceIterator choice(symbol);
    do {
      if (const char* reading = choice.GetUTF8Text()) {
        choices.emplace_back(reading, choice.Confidence());
      }
    } while (choice.Next());
    if (choices.empty()) return {};
    std::stable_sort(choices.begin(), choices.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    best += choices.front().first;
  } while (!symbol.IsAtFinalElement(tesseract::RIL_WORD, tesseract::RIL_SYMBOL) &&
           symbol.Next(tesseract::RIL_SYMBOL));
  if (best != text) return {};
  return characters;
}

// Other readings of the word at `word`, printed `text`: one or two of its unsure characters read
// as a likely runner-up, the likeliest first (by the product of each runner-up's confidence over
// the reading it replaces).
std::vector<std::string> WordAlternatives(const tesseract::ResultIterator& word,
                                          const std::string& text) {
  struct Swap {
    size_t at;
    const std::string* reading;
    double odds;
  };
  const auto characters = CharacterChoices(word, text);
  std::vector<Swap> swaps;
  for (size_t i = 0; i < characters.size(); ++i) {
    const float best = characters[i].front().second;
    if (best >= kSureCharacter) continue;
    const bool punctuation = IsPunctuation(characters[i].front().first);
    for (size_t k = 1; k < characters[i].size(); ++k) {
      const auto& [reading, confidence] = characters[i][k];
      // One mark for another (":" for ";") changes no word.
      if (confidence < kLikelyRunnerUp || (punctuation && IsPunctuation(reading))) continue;
      swaps.push_back({i, &reading, confidence / best});
    }
  }
  const auto spelled = [&](std::initializer_list<const Swap*> with) {
    std::string out;
    for (size_t i = 0; i < characters.size(); ++i) {
      const std::string* reading = &characters[i].front().first;
      for (const Swap* s : with) {
        if (s->at == i) reading = s->reading;
      }
      out += *reading;
    }
    return out;
  };
  std::vector<std::pair<double, std::string>> readings;
  for (size_t a = 0; a < swaps.size(); ++a) {
    readings.emplace_back(swaps[a].odds, spelled({&swaps[a]}));
    for (size_t b = a + 1; b < swaps.size(); ++b) {
      if (swaps[b].at == swaps[a].at) continue;
      readings.emplace_back(swaps[a].odds * swaps[b].odds, spelled({&swaps[a], &swaps[b]}));
    }
  }
  std::stable_sort(readings.begin(), readings.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  std::vector<std::string> out;
  for (auto& [odds, reading] : readings) {
    if (out.size() == kMaxAlternatives) break;
    if (reading != text && std::find(out.begin(), out.end(), reading) == out.end()) {
      out.push_back(std::move(reading));
    }
  }
  return out;
}

class TesseractEngine : public OcrEngine {
 public:
  Status Init(const std::string& language) {
    Silence(reader_);
    std::vector<std::string> missing = LanguageCodes(language);
    if (reader_.Init(nullptr, language.c_str(), tesseract::OEM_LSTM_ONLY) == 0) {
      missing = UnloadedLanguages(reader_, language);
    }
    if (!missing.empty()) {
      return Status::InvalidArgument("Tesseract cannot load the language data for '" + language +
                                     "': install " + LanguagePackages(missing) +
                                     " (or set TESSDATA_PREFIX to the folder holding it)");
    }
    // A page read as one column of lines of varying size keeps table rows and receipt lines
    // whole, where the automatic layout (the tesseract command's default) splits price columns
    // and side-by-side cells into blocks of their own and reads them apart. On our degraded
    // samples it halves the character error rate after cleanup (0.11 against 0.20).
    reader_.SetPageSegMode(tesseract::PSM_SINGLE_COLUMN);
    // Keeps each character's runner-up readings (WordAlternatives); about 15% more processor
    // time a page (bench/README.md).
    reader_.SetVariable("lstm_choice_mode", "2");
    return Status::Ok();
  }

  Result<std::vector<OcrWord>> Recognize(const cv::Mat& image, int dpi) override {
    RunOpenMpOnThisThread();
    reader_.SetImage(image.data, image.cols, image.rows, 1, static_cast<int>(image.step));
    reader_.SetSourceResolution(dpi);
    if (reader_.Recognize(nullptr) != 0) {
      reader_.Clear();
      return Status::Internal("Tesseract failed to read the page");
    }
    std::vector<OcrWord> words = CollectWords();
    reader_.Clear();
    return words;
  }

 private:
  // Walks the recognised page word by word in Tesseract's reading order.
  std::vector<OcrWord> CollectWords() {
    std::vector<OcrWord> words;
    std::unique_ptr<tesseract::ResultIterator> it(reader_.GetIterator());
    if (it == nullptr || it->Empty(tesseract::RIL_BLOCK)) return words;
    int block = -1;
    int line = -1;
    do {
      if (it->IsAtBeginningOf(tesseract::RIL_BLOCK)) ++block;
      if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
      if (it->Empty(tesseract::RIL_WORD)) continue;
      std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
      if (text == nullptr || IsBlank(text.get())) continue;
      int left, top, right, bottom;
      it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom);
      OcrWord word;
      word.text = text.get();
      word.box = Box{left, top, right - left, bottom - top};
      word.conf = it->Confidence(tesseract::RIL_WORD);
      word.alternatives = WordAlternatives(*it, word.text);
      word.block = std::max(block, 0);
      word.line = std::max(line, 0);
      words.push_back(std::move(word));
    } while (it->Next(tesseract::RIL_WORD));
    return words;
  }

  tesseract::TessBaseAPI reader_;
};

}  // namespace

Result<std::unique_ptr<OcrEngine>> CreateTesseractEngine(const std::string& language) {
  auto engine = std::make_unique<TesseractEngine>();
  QUIRE_RETURN_IF_ERROR(engine->Init(language));
  return std::unique_ptr<OcrEngine>(std::move(engine));
}

std::string EngineVersions() {
  char* leptonica = getLeptonicaVersion();  // "leptonica-1.82.0", which we must free
  const std::string leptonica_version = std::string(leptonica).substr(sizeof("leptonica-") - 1);
  lept_free(leptonica);
  return std::string("Tesseract ") + tesseract::TessBaseAPI::Version() + ", Leptonica " +
         leptonica_version + ", OpenCV " + CV_VERSION;
}

}  // namespace quire::capture
