// OCR word corrections for vendor names and addresses, learned from receipts with truth
// (scripts/train-lexicon.py writes extract/model/lexicon.txt, compiled in): the words that many
// vendors print in their names and addresses ("JALAN", "TAMAN", "SDN", "SELANGOR"), the postcodes
// printed before a town, and which characters OCR reads for which. A word OCR garbled ("SETANGOR",
// "PERINOUSTRIAN", "THN") is corrected to the one common word it is a cheap edit away from, the
// cost of each edit learned from OCR's confusions ("H" for "M" is cheap, "X" for "M" is not). A
// word the lexicon knows stays; so does one that could be more than one word, and a vendor's own
// words, which no lexicon of common words holds ("SANYU" read "SANYO" cannot be told from a name).
// A postcode is corrected to one of its town's (printed before or after it) when it lost a digit
// or reads as none of the town's region ("93200 KUALA LUMPUR" -> "53200", "40159" -> "40150"), or
// as OCR's other reading of it that is one of the town's ("40120", read also "40170", before
// "SETIA ALAM").
// A "$" glued to a word is an "S" ("JALAN $$21"): names and addresses hold no currency.
// A word with an accent that is a common word without it, or a cheap edit from one, is that word:
// OCR invents accents on the words of a language without them ("Chéras", "élangor").
// A floor's ordinal OCR garbled ("SRD FLR", "SRO FLR", "3RU FLR") is read by its suffix or its
// digit ("3RD"), however sure OCR was of it.
// An address's first word OCR garbled before a number ("NQ 37", "LUI 1504") is the label most
// addresses start with ("NO", "LOT").
//
// Thread safety: a Lexicon is immutable once made; Correct may be called from several threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "builtin_fields.h"
#include "quire/common/status.h"

namespace quire::extract {

class Lexicon {
 public:
  // The lexicon built into quire from extract/model/lexicon.txt.
  static const Lexicon& Builtin();
  // Reads a lexicon file's text (format in scripts/train-lexicon.py); InvalidArgument, naming the
  // line, when it is not one.
  static Result<Lexicon> FromText(std::string_view text);

  // Whether `word` (upper case) is one the annotators typed on receipts ("CHARGE"), so no OCR
  // garble of another.
  bool Knows(const std::string& word) const;

  // `text` with each garbled word corrected, its case kept ("Setangor" -> "Selangor"); appends a
  // note per correction to `notes`. `confidence` gives a word's (upper case) OCR confidence,
  // 0..1: a word read with confidence below 0.9 may be corrected by a few cheap edits, one read
  // more surely only by OCR's most frequent substitution, and a text layer's word (1) not at all.
  // `alternatives`, when given, gives the other readings OCR found likely for a word (upper
  // case): a word the lexicon does not know is read as the first of them that it knows, however
  // sure OCR was ("BAHRII" -> "BAHRU").
  std::string Correct(
      std::string_view text, const std::function<double(const std::string&)>& confidence,
      std::vector<std::string>* notes,
      const std::function<std::vector<std::string>(const std::string&)>& alternatives = {}) const;

  // `address` with its first word corrected to the label most addresses start with ("NO",
  // "LOT") when OCR garbled it ("NQ 37", "NU.1", "LUI 1504"): it stands before a number and is
  // one cheap edit from one label alone. A text layer's word (`confidence` 1) stays. Appends a
  // note when it corrects.
  std::string CorrectAddressStart(std::string_view address,
                                  const std::function<double(const std::string&)>& confidence,
                                  std::vector<std::string>* notes) const;

  // `name` (a vendor's) with each word of four letters or more that no common word is spelled as
  // the document prints it more often, at least twice, one letter apart: a shop prints its name
  // again in its footer ("SANYO STATIONERY" over "Follow us: Sanyu.Stationery", "SANYU SUPPLY").
  // `printed` counts the document's words (upper case); a text layer's word (`confidence` 1)
  // stays. Appends a note per correction.
  std::string SpellAsPrinted(std::string_view name, const std::map<std::string, int>& printed,
                             const std::function<double(const std::string&)>& confidence,
                             std::vector<std::string>* notes) const;

 private:
  struct Entries;
  // The common word `word` (upper case) most likely garbles at most `limit` away, or empty.
  std::string CorrectWord(const std::string& word, double limit) const;
  // The postcode printed beside one of `towns` that `number` most likely garbles, or empty. The
  // first of OCR's other `readings` of the number that is such a postcode comes first.
  std::string CorrectPostcode(const std::string& number, const std::vector<std::string>& towns,
                              const std::vector<std::string>& readings) const;
  // `text` with each word that has a letter with an accent spelled as the common word it is
  // without, or a cheap edit from without, in the case printed: OCR adds accents to the words of
  // a language that has none ("Petaling Jaya élangor", "Chéras"), but "Köln" stays.
  std::string Unaccent(std::string_view text,
                       const std::function<double(const std::string&)>& confidence,
                       std::vector<std::string>* notes) const;
  // The cost of editing `read` into `printed`: substitutions OCR often makes are cheap.
  double Cost(std::string_view read, std::string_view printed) const;

  std::shared_ptr<const Entries> entries_;
};

// Corrects the vendor's name and address in `fields` with `lexicon`, each word by the confidence
// OCR read it with in `doc` (within the field's box; an address word of seven letters or more is
// checked as unsure), after an OCR word holding a mark beyond ASCII ("(«L)", which no name or
// address prints) is read as OCR's first other reading without one ("(KL)"), and the name's words
// first as `doc` prints them elsewhere (SpellAsPrinted), noting each correction in the field's
// problems (which do not make it invalid). Boxes are `doc`'s, not yet mapped back.
void CorrectVendorWords(const Lexicon& lexicon, const Document& doc, Fields& fields);

}  // namespace quire::extract
