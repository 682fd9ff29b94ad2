#include "snippet.h"

#include <algorithm>

namespace quire::index {

std::string MakeSnippet(const std::vector<PageText>& pages, const std::vector<Position>& hits) {
  const auto first_hit = std::find_if(hits.begin(), hits.end(), [&](const Position& p) {
    return p.page != kFieldsPage && p.page <= pages.size();
  });
  size_t page = 0;
  size_t start = 0;
  if (first_hit != hits.end()) {
    page = first_hit->page - 1;
    start = first_hit->word > kSnippetWordsBefore ? first_hit->word - kSnippetWordsBefore : 0;
  } else {
    while (page < pages.size() && pages[page].words.empty()) ++page;
    if (page == pages.size()) return "";
  }
  const std::vector<OcrWord>& words = pages[page].words;
  const size_t end = std::min(words.size(), start + kSnippetWords);
  std::string snippet = start > 0 ? "..." : "";
  for (size_t i = start; i < end; ++i) {
    if (!snippet.empty()) snippet += ' ';
    const Position position{static_cast<uint32_t>(page + 1), static_cast<uint32_t>(i)};
    const bool hit = std::binary_search(hits.begin(), hits.end(), position);
    snippet += hit ? "[" + words[i].text + "]" : words[i].text;
  }
  if (end < words.size()) snippet += " ...";
  return snippet;
}

}  // namespace quire::index
