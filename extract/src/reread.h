// The words a page's reading may have got wrong, read again from its image (RegionReader): each
// word that holds an amount or a date, cropped alone, scaled up and read as one line of the
// characters an amount or a date is printed with; and the lines of a vendor's name and address,
// each read alone. A whole page is read for its layout; a word or line read alone is read for its
// characters, and reads a misread digit or letter right more often.
#pragma once

#include <vector>

#include "normalize.h"
#include "quire/common/page.h"
#include "quire/common/region_reader.h"

namespace quire::extract {

// Where on a page: a figure read, a field's lines.
struct PageRegion {
  int page = 0;
  Box box;  // in PageText's coordinates
};

struct RereadPages {
  std::vector<PageText> pages;  // as given, with the figures read again put in their words
  int changed = 0;              // words the second reading put in place of the first's
  // The figures whose readings disagree: the second reading with the first, or its renderings
  // among themselves.
  std::vector<PageRegion> doubtful;
};

// `pages` with every amount and date read again through `images`. Where every rendering of the
// second reading holds the same figure, and another than the first reading's, it replaces the
// first reading's figure in the word (the rest of the word stays as first read). A date label on
// whose line no date was read has the line from the label on read again, and the date most
// renderings read put in place of the line's words.
RereadPages RereadFigures(const std::vector<PageText>& pages, RegionReader& images,
                          DateOrder order);

// `pages` with the lines whose words lie in `regions` read again through `images`, each line
// whole. Where every rendering parts the line into as many words as the page, and all hold
// the same word at a place where the page holds another, that word replaces the page's, unless
// it unmakes a word the lexicon knows or Tesseract is clearly less sure of it.
RereadPages RereadText(const std::vector<PageText>& pages, const std::vector<PageRegion>& regions,
                       RegionReader& images);

}  // namespace quire::extract
