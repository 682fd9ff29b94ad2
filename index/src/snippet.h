// The snippet of a search hit: a window of page text around the first hits, each hit word
// marked as [word].
#pragma once

#include <string>
#include <vector>

#include "postings.h"
#include "quire/common/page.h"

namespace quire::index {

// Words shown before the first hit, and in all.
inline constexpr size_t kSnippetWordsBefore = 8;
inline constexpr size_t kSnippetWords = 30;

// A window of the page holding the first page-word hit, "..." where the page goes on; the
// document's first words when no page word was hit (a filter-only query, a field match).
// REQUIRES: `hits` ascend.
std::string MakeSnippet(const std::vector<PageText>& pages, const std::vector<Position>& hits);

}  // namespace quire::index
