// The words of a document as the index numbers them (see Position), and the way back from a
// position to the word's box. The indexer and the searcher both go through here, so a hit's
// position always names the word that was indexed there.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "postings.h"
#include "quire/common/fields.h"
#include "quire/common/page.h"
#include "quire/index/index.h"

namespace quire::index {

// Calls fn(position, text) for each word: first the whitespace-separated words of every field
// value (fields in name order), then those of the title and the notes a person gave, then every
// OCR word of every page; positions ascend.
void ForEachWord(const store::NewDocument& doc,
                 const std::function<void(Position, std::string_view)>& fn);

// Where the word at `position` is drawn, and the word: its own box, or for a field word the
// field's box. nullopt when the document has no such word, and for a word of the title or notes,
// which are drawn nowhere.
std::optional<HitBox> BoxAt(const std::vector<PageText>& pages, const Extraction& extraction,
                            Position position);

}  // namespace quire::index
