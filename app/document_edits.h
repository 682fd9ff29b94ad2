// What people change in archived documents, the same from the command line and from the API:
// each change is checked, written in one archive write with an audit event that names the person,
// and re-indexed in that write.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "quire/extract/extract.h"
#include "quire/store/archive.h"

namespace quire::app {

// A person's correction of one field, or their word that it is right as it is (accept).
struct FieldCorrection {
  std::string field;
  std::string value;  // unused when accept
  bool accept = false;
  std::string by;
};

// Corrects or accepts fields (extract::ApplyCorrection, AcceptField) and decides the review
// again, in one write. Returns what `quire correct --json` prints: {"id", "changes": [{"field",
// "before", "after"}], "accepted": [FIELD...], "detail", "needs_review", "review_reasons"}.
// InvalidArgument naming the field and saying why for an unknown field or a value that fails its
// check: nothing is written then. NotFound for no such document. With `check_only`, the same
// answer and nothing written in any case (the station checks a value as it is typed).
Result<nlohmann::json> CorrectFields(store::Archive& archive, store::DocId id,
                                     const std::vector<FieldCorrection>& corrections,
                                     const extract::ExtractOptions& options,
                                     bool check_only = false);

// Changes to what people give a document; an unset member leaves it as it is.
struct LabelEdit {
  std::optional<std::string> title;
  std::optional<std::string> notes;
  std::vector<std::string> tags_add;
  std::vector<std::string> tags_remove;
  std::string by;
};

// Applies `edit` to the document's tags, title and notes. InvalidArgument for an empty or
// over-long tag (tags are words of the query language: no spaces); NotFound for no such document.
Result<store::DocumentLabels> EditLabels(store::Archive& archive, store::DocId id,
                                         const LabelEdit& edit);

// Deletes the document and its index entries, audited as deleted by `by`.
Status DeleteDocument(store::Archive& archive, store::DocId id, const std::string& by);

}  // namespace quire::app
