// The JSON form of quire's value types: one definition, used by the archive to store them and by
// the CLI and the server to print them, so both always agree. The field names are part of the
// command-line contract in README.md ("quire ocr --json", "quire extract --json").
#pragma once

#include <nlohmann/json.hpp>

#include "quire/common/fields.h"
#include "quire/common/page.h"
#include "quire/common/status.h"

namespace quire {

// Box as [x, y, w, h].
nlohmann::json ToJson(const Box& box);
nlohmann::json ToJson(const OcrWord& word);
nlohmann::json ToJson(const PageText& page);
nlohmann::json ToJson(const FieldValue& field);
// {"key", "key_name", "value", "page", "key_box", "value_box", "confidence"}
nlohmann::json ToJson(const FormPair& pair);
// {"type", "type_score", "fields": {NAME: FieldValue}, "needs_review", "review_reasons"}, and
// "pairs": [FormPair] when there are any (forms).
nlohmann::json ToJson(const Extraction& extraction);

// The inverses; a Corruption status when the JSON does not have the expected shape.
Result<PageText> PageTextFromJson(const nlohmann::json& j);
Result<Extraction> ExtractionFromJson(const nlohmann::json& j);

}  // namespace quire
