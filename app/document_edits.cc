#include "document_edits.h"

#include <algorithm>

#include "quire/common/text_fold.h"

namespace quire::app {
namespace {

constexpr size_t kMaxTagBytes = 64;
constexpr size_t kMaxTitleBytes = 300;
constexpr size_t kMaxNotesBytes = 64 * 1024;

Status CheckTag(const std::string& tag) {
  const bool blank = std::any_of(tag.begin(), tag.end(), [](unsigned char c) {
    return c <= ' ' || c == '"' || c == '(' || c == ')';
  });
  if (tag.empty() || tag.size() > kMaxTagBytes || blank) {
    return Status::InvalidArgument("\"" + tag + "\" is not a tag: a tag is one word of 1 to " +
                                   std::to_string(kMaxTagBytes) +
                                   " bytes without spaces, quotes or parentheses (e.g. "
                                   "paid, 2024-audit), so that tag:NAME finds it");
  }
  return Status::Ok();
}

// The document's tag that is `tag` but for case and accents (search does not tell them apart:
// "Paid" and "paid" are one tag), or end.
std::vector<std::string>::iterator FindTag(std::vector<std::string>& tags, const std::string& tag) {
  const std::string folded = FoldCaseAndAccents(tag);
  return std::find_if(tags.begin(), tags.end(),
                      [&](const std::string& t) { return FoldCaseAndAccents(t) == folded; });
}

std::string Describe(const std::vector<extract::FieldChange>& changes) {
  std::string detail;
  for (const extract::FieldChange& c : changes) {
    detail += (detail.empty() ? "" : "; ") + c.field + ": " +
              (c.before.empty() ? "(none)" : c.before) + " -> " + c.after;
  }
  return detail;
}

}  // namespace

Result<nlohmann::json> CorrectFields(store::Archive& archive, store::DocId id,
                                     const std::vector<FieldCorrection>& corrections,
                                     const extract::ExtractOptions& options, bool check_only) {
  if (corrections.empty()) return Status::InvalidArgument("no field to correct or accept");
  QUIRE_ASSIGN_OR_RETURN(store::DocumentRecord doc, archive.Get(id));
  Extraction corrected = doc.extraction;
  std::vector<extract::FieldChange> changes;
  nlohmann::json accepted = nlohmann::json::array();
  for (const FieldCorrection& correction : corrections) {
    if (correction.accept) {
      const Status s = extract::AcceptField(correction.field, correction.by, options, corrected);
      if (!s.ok()) return s;
      accepted.push_back(correction.field);
      continue;
    }
    QUIRE_ASSIGN_OR_RETURN(std::vector<extract::FieldChange> applied,
                           extract::ApplyCorrection(correction.field, correction.value,
                                                    correction.by, options, corrected));
    // The value it already had: the person vouches for it, as an acceptance does.
    if (applied.empty()) accepted.push_back(correction.field);
    changes.insert(changes.end(), applied.begin(), applied.end());
  }
  std::string detail = Describe(changes);
  for (const auto& field : accepted) {
    const std::string name = field.get<std::string>();
    detail +=
        (detail.empty() ? "" : "; ") + name + ": " + corrected.fields.at(name).value + " accepted";
  }
  const store::AuditEvent event{0, changes.empty() ? "accepted" : "corrected",
                                corrections.front().by, detail};
  if (!check_only) {
    QUIRE_RETURN_IF_ERROR(archive.UpdateFields(id, corrected, event));
  }
  nlohmann::json j_changes = nlohmann::json::array();
  for (const extract::FieldChange& c : changes) {
    j_changes.push_back({{"field", c.field}, {"before", c.before}, {"after", c.after}});
  }
  // What the person's values leave failing elsewhere (a subtotal that no longer adds up), which
  // does not hold the review when the field is not one the document requires.
  nlohmann::json flagged = nlohmann::json::object();
  for (const auto& [name, field] : corrected.fields) {
    if (!field.valid && field.set_by.empty()) flagged[name] = field.problems;
  }
  return nlohmann::json{{"id", id},
                        {"changes", std::move(j_changes)},
                        {"accepted", std::move(accepted)},
                        {"detail", detail},
                        {"needs_review", corrected.needs_review},
                        {"review_reasons", corrected.review_reasons},
                        {"flagged", std::move(flagged)}};
}

Result<store::DocumentLabels> EditLabels(store::Archive& archive, store::DocId id,
                                         const LabelEdit& edit) {
  for (const std::string& tag : edit.tags_add) QUIRE_RETURN_IF_ERROR(CheckTag(tag));
  if (edit.title && edit.title->size() > kMaxTitleBytes) {
    return Status::InvalidArgument("the title is over " + std::to_string(kMaxTitleBytes) +
                                   " bytes: shorten it");
  }
  if (edit.notes && edit.notes->size() > kMaxNotesBytes) {
    return Status::InvalidArgument("the notes are over 64 KiB: shorten them");
  }
  QUIRE_ASSIGN_OR_RETURN(store::DocumentRecord doc, archive.Get(id));
  const store::DocumentSummary& s = doc.summary;
  store::DocumentLabels labels{s.tags, edit.title.value_or(s.title), edit.notes.value_or(s.notes)};
  std::vector<std::string> changes;
  for (const std::string& tag : edit.tags_add) {
    if (FindTag(labels.tags, tag) != labels.tags.end()) continue;
    labels.tags.push_back(tag);
    changes.push_back("+" + tag);
  }
  for (const std::string& tag : edit.tags_remove) {
    auto it = FindTag(labels.tags, tag);
    if (it == labels.tags.end()) continue;
    changes.push_back("-" + *it);
    labels.tags.erase(it);
  }
  if (labels.title != s.title) changes.push_back("title: " + labels.title);
  if (labels.notes != s.notes) changes.push_back("notes changed");
  if (changes.empty()) return labels;
  std::string detail;
  for (const std::string& change : changes) detail += (detail.empty() ? "" : "; ") + change;
  const store::AuditEvent event{0, "labelled", edit.by, detail};
  QUIRE_RETURN_IF_ERROR(archive.UpdateLabels(id, labels, event));
  return labels;
}

Status DeleteDocument(store::Archive& archive, store::DocId id, const std::string& by) {
  return archive.Delete(id, {0, "deleted", by, ""});
}

}  // namespace quire::app
