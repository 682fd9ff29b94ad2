#include "language.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "page_layout.h"
#include "quire/common/text_fold.h"

namespace quire::capture {
namespace {

// Common words of invoices, receipts and letters in each language Tesseract may read better
// than English, written as printed; they are folded like the text before matching. A word is
// counted once however often it appears, so one repeated heading cannot decide. On the English
// readings of the 52 sample-docs these lists find all 13 German and 8 French documents, and none
// of the 105 SROIE receipts (Malaysian English) is taken for either.
struct LanguageMarkers {
  const char* tesseract;
  const char* name;
  const char* letters;  // accented letters in the language's Tesseract data (its lstm-unicharset)
  const char* words;    // separated by spaces
};

constexpr LanguageMarkers kMarkers[] = {
    {"deu", "German", "äöüßÄÖÜ",
     "und der die das den dem mit für ihre wir sie bitte rechnung rechnungsnummer rechnungsdatum "
     "mwst ust netto brutto summe betrag gesamtbetrag datum gmbh straße strasse zahlbar vielen "
     "dank kunde kundennummer menge preis bestellung lieferdatum steuernummer bankverbindung "
     "zwischensumme ohne abzug tage zahlung"},
    {"fra", "French", "àâäçéèêëîïôöùûüÿñœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ",
     "le la les des du de et au aux pour facture tva montant ht ttc rue avenue sarl merci échéance "
     "prix quantité désignation client commande paiement règlement payer unitaire capital siren "
     "siret rcs"},
};

// A language needs this many distinct markers, and twice as many as any other language: English
// text has a stray "de" or "die", a German invoice has dozens of markers.
constexpr int kMinMarkers = 4;
constexpr int kDominance = 2;

// The words (runs of letters) of `text`, case and accents folded, as UTF-8.
std::set<std::string> FoldedWords(std::string_view text) {
  const std::string folded = FoldCaseAndAccents(text);
  const int32_t length = static_cast<int32_t>(folded.size());
  std::set<std::string> words;
  std::string word;
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(folded.data(), i, length, c);
    if (c >= 0 && u_isalpha(c)) {
      word.append(folded, start, i - start);
    } else if (!word.empty()) {
      words.insert(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.insert(std::move(word));
  return words;
}

int CountMarkers(const std::set<std::string>& words, const std::set<std::string>& markers) {
  int count = 0;
  for (const std::string& marker : markers) count += words.contains(marker) ? 1 : 0;
  return count;
}

const std::vector<std::set<std::string>>& FoldedMarkers() {
  static const std::vector<std::set<std::string>> folded = [] {
    std::vector<std::set<std::string>> lists;
    for (const LanguageMarkers& markers : kMarkers) lists.push_back(FoldedWords(markers.words));
    return lists;
  }();
  return folded;
}

// Whether `word` has a letter beyond ASCII that is not one of `letters`.
bool HasLetterOutside(std::string_view word, std::string_view letters) {
  const icu::UnicodeString own = icu::UnicodeString::fromUTF8(
      icu::StringPiece(letters.data(), static_cast<int32_t>(letters.size())));
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    const UChar32 c = u.char32At(i);
    if (c > 0x7F && u_isalpha(c) && own.indexOf(c) < 0) return true;
  }
  return false;
}

// Whether two readings of a word lie in the same place: their boxes overlap by most of each.
bool SamePlace(const Box& a, const Box& b) {
  const int w = std::min(a.right(), b.right()) - std::max(a.x, b.x);
  const int h = std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y);
  if (w <= 0 || h <= 0) return false;
  const double overlap = static_cast<double>(w) * h;
  return overlap > 0.7 * a.w * a.h && overlap > 0.7 * b.w * b.h;
}

}  // namespace

DocumentLanguage DetectLanguage(const std::vector<PageText>& pages) {
  std::set<std::string> words;
  for (const PageText& page : pages) words.merge(FoldedWords(page.text));
  std::vector<int> counts;
  for (const std::set<std::string>& markers : FoldedMarkers()) {
    counts.push_back(CountMarkers(words, markers));
  }
  for (size_t i = 0; i < counts.size(); ++i) {
    bool dominant = counts[i] >= kMinMarkers;
    for (size_t j = 0; j < counts.size(); ++j) {
      if (j != i && counts[i] < kDominance * counts[j]) dominant = false;
    }
    if (dominant) return {kMarkers[i].tesseract, kMarkers[i].name, kMarkers[i].letters};
  }
  return {"eng", "English", ""};
}

void KeepLettersOutsideLanguage(const PageText& english, const DocumentLanguage& language,
                                PageText& page) {
  bool changed = false;
  for (OcrWord& word : page.words) {
    for (const OcrWord& read : english.words) {
      if (read.text == word.text || !SamePlace(read.box, word.box) ||
          !HasLetterOutside(read.text, language.letters) ||
          FoldedWords(read.text) != FoldedWords(word.text)) {
        continue;
      }
      word.text = read.text;
      changed = true;
      break;
    }
  }
  if (changed) page.text = JoinWords(page.words);
}

}  // namespace quire::capture
