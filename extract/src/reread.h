// The figures a page's reading may have got wrong, read again from its image: each word that
// holds an amount or a date, cropped alone, scaled up and read as one line of the characters an
// amount or a date is printed with (RegionReader). A whole page is read for its layout; a word
// read alone is read for its characters, and reads a misread digit right more often.
#pragma once

#include <vector>

#include "normalize.h"
#include "quire/common/page.h"
#include "quire/common/region_reader.h"

namespace quire::extract {

// Where on a page a figure was read.
struct FigurePlace {
  int page = 0;
  Box box;  // in PageText's coordinates
};

struct RereadPages {
  std::vector<PageText> pages;  // as given, with the figures read again put in their words
  int changed = 0;              // figures the second reading put in place of the first's
  // The figures whose readings disagree: the second reading with the first, or its renderings
  // among themselves.
  std::vector<FigurePlace> doubtful;
};

// `pages` with every amount and date read again through `images`. Where every rendering of the
// second reading holds the same figure, and another than the first reading's, it replaces the
// first reading's figure in the word (the rest of the word stays as first read). A date label on
// whose line no date was read has the line from the label on read again, and the date most
// renderings read put in place of the line's words.
RereadPages RereadFigures(const std::vector<PageText>& pages, RegionReader& images,
                          DateOrder order);

}  // namespace quire::extract
