// Which language a document is written in, guessed from its English reading.
//
// Tesseract reading German or French with English data drops umlauts and accents; reading with
// the document's own language first keeps them (sample-docs vendor_name F1 0.81 -> 0.94 clean,
// 0.82 -> 0.96 degraded). The English reading is good enough to recognise common words of each
// language, so `--lang auto` reads every page in English, guesses from those words, and reads
// again only when the guess is not English.
#pragma once

#include <string>
#include <vector>

#include "quire/common/page.h"

namespace quire::capture {

struct DocumentLanguage {
  std::string tesseract;  // Tesseract's code for the language, e.g. "deu"; "eng" for English
  std::string name;       // for messages, e.g. "German"
  std::string letters;    // the accented letters its Tesseract data can write, as UTF-8
};

// The language of the text of `pages` (OCR'd or from a text layer). Case and accents are folded
// away, so "FÜR", "fur" and "für" count alike.
DocumentLanguage DetectLanguage(const std::vector<PageText>& pages);

// Tesseract's data for a language writes only that language's letters: its German data has no
// "é", so "Café" on a German invoice is read "Cafe" with deu+eng. Where the English reading of
// the page has a word in the same place that differs from `page`'s only by accents, and an accent
// is on a letter `language` cannot write, the English spelling is kept (and `page.text` remade).
void KeepLettersOutsideLanguage(const PageText& english, const DocumentLanguage& language,
                                PageText& page);

}  // namespace quire::capture
