// Text folding: the one definition of "the same word" that capture, extraction and the index share,
// so that a label, a language marker and a search term compare alike.
#pragma once

#include <string>
#include <string_view>

namespace quire {

// Case and accents folded: NFKC_Casefold, then NFD with its non-spacing marks dropped, and control
// and format characters dropped. "Fälligkeitsdatum" -> "falligkeitsdatum", "Nº" -> "no",
// "STRASSE" == "Straße". Without ICU's data the text comes back unchanged.
std::string FoldCaseAndAccents(std::string_view text);

// Case folded, accents kept, NFC-composed: "MÜLLER" -> "müller" (not "muller"); ß -> "ss".
std::string FoldCase(std::string_view text);

}  // namespace quire
