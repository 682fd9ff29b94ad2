#include "document_words.h"

#include "tokenizer.h"

namespace quire::index {

void ForEachWord(const store::NewDocument& doc,
                 const std::function<void(Position, std::string_view)>& fn) {
  uint32_t field_word = 0;
  const auto add_words = [&](const std::string& text) {
    for (std::string_view word : SplitWhitespace(text))
      fn(Position{kFieldsPage, field_word++}, word);
  };
  for (const auto& [name, field] : doc.extraction.fields) add_words(field.value);
  add_words(doc.title);
  add_words(doc.notes);
  for (size_t page = 0; page < doc.pages.size(); ++page) {
    const std::vector<OcrWord>& words = doc.pages[page].words;
    for (size_t i = 0; i < words.size(); ++i) {
      fn(Position{static_cast<uint32_t>(page + 1), static_cast<uint32_t>(i)}, words[i].text);
    }
  }
}

std::optional<HitBox> BoxAt(const std::vector<PageText>& pages, const Extraction& extraction,
                            Position position) {
  if (position.page != kFieldsPage) {
    if (position.page > pages.size()) return std::nullopt;
    const std::vector<OcrWord>& words = pages[position.page - 1].words;
    if (position.word >= words.size()) return std::nullopt;
    const OcrWord& word = words[position.word];
    return HitBox{static_cast<int>(position.page - 1), word.box, word.text};
  }
  uint32_t first_word = 0;
  for (const auto& [name, field] : extraction.fields) {
    const std::vector<std::string_view> words = SplitWhitespace(field.value);
    if (position.word < first_word + words.size()) {
      return HitBox{field.page, field.box, std::string(words[position.word - first_word])};
    }
    first_word += words.size();
  }
  return std::nullopt;
}

}  // namespace quire::index
