// A form's printed keys and the values filled in for them, linked by a learned model.
//
// The page is cut into pieces: the Lines of the Document (see document.h), split after a word
// ending in ':' ("Date: 9/3/92" is a key and a value), around checkbox glyphs (a box is the value
// of the option printed beside it) and at gaps wider than a text height (the cells of a table
// row). Pieces are then joined into segments, the texts of a form (a key or a value printed over
// several lines or with wide spaces), where a first random forest says that a piece and its
// neighbour (the next on its line, or the nearest under it) read as one text.
//
// Any segment may be a key and any segment near it a value: to its right on its row, just left
// of it on its row (a box before its option), or below it (under a label, in the column of a
// header, in a ruled cell). Each such link has features of geometry and text that name no form
// (where each lies, in text heights; how each reads: colon, case, digits, length, OCR
// confidence; how many other segments lie nearer), and a second forest scores it. A value goes
// to its best-scoring key beside it and to its best-scoring key above it (a table's cell has a
// row header and a column header); a key with several values (a column header) gives one pair
// each.
//
// The model, extract/model/forms.yml as cv::FileStorage writes it (made by
// scripts/train-forms.sh from funsd-dev, its `pairs` the labels):
//   merge: <cv::ml::RTrees>   link: <cv::ml::RTrees>   threshold: <link score to accept>
//
// Thread safety: a FormLinker is immutable once made; it may be used from several threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "document.h"
#include "quire/common/fields.h"
#include "quire/common/status.h"
#include "quire/extract/evaluate.h"

namespace quire::extract {

// A piece of a line, or a text of the form joined from pieces.
struct Segment {
  int page = 0;
  std::vector<const OcrWord*> words;  // in reading order
  std::vector<const Line*> lines;     // the lines its words are on
  std::string text;
  Box box;
  bool checkbox = false;     // a box glyph alone
  bool after_colon = false;  // its line has a word ending in ':' before it
};

std::vector<Segment> FormPieces(const Document& doc);

// A piece and a neighbour that may be the same text: `lower` is the next piece on the line of
// `upper`, or the nearest piece under it.
struct MergeCandidate {
  size_t upper = 0;
  size_t lower = 0;
  std::vector<float> features;  // kMergeFeatures of them
};
inline constexpr size_t kMergeFeatures = 34;
std::vector<MergeCandidate> MergeCandidates(const Document& doc,
                                            const std::vector<Segment>& pieces);

// The segments the pieces form when the candidates with `join[i]` are joined.
std::vector<Segment> JoinPieces(const std::vector<Segment>& pieces,
                                const std::vector<MergeCandidate>& candidates,
                                const std::vector<bool>& join);

// A possible link from segment `key` to segment `value` (indices into the segments).
struct LinkCandidate {
  size_t key = 0;
  size_t value = 0;
  bool same_row = false;        // the value is beside its key, not under it
  std::vector<float> features;  // kLinkFeatures of them
};
inline constexpr size_t kLinkFeatures = 45;

std::vector<LinkCandidate> LinkCandidates(const Document& doc,
                                          const std::vector<Segment>& segments);

// How joins and links are scored (0..1), so that training can decode with forests it has not
// written yet.
struct FormScorers {
  std::function<double(const std::vector<float>&)> merge;
  std::function<double(const std::vector<float>&)> link;
  double threshold = 0.5;  // a link scored lower is not taken
};

// The segments of `doc`: its pieces joined where `merge` scores at least 0.5.
std::vector<Segment> FormSegments(const Document& doc, const FormScorers& scorers);

// The pairs of the form, in reading order, boxes on the upright pages of `doc`. A segment ending
// in ':' that no value is linked to (and that is no value itself) is a key left empty.
std::vector<FormPair> LinkFormPairs(const Document& doc, const FormScorers& scorers);

class FormLinker {
 public:
  // The model built into quire from extract/model/forms.yml.
  static const FormLinker& Builtin();
  // Reads a model file's text; InvalidArgument when it is not one.
  static Result<FormLinker> FromText(const std::string& text);

  bool trained() const { return model_ != nullptr; }
  // REQUIRES: trained().
  FormScorers Scorers() const;

  struct Model;

 private:
  std::shared_ptr<const Model> model_;
};

// "date" for "DATE:": the folded words of a printed key.
std::string KeyName(std::string_view key);

// Where `text` is printed in `doc`: the run of words of one line that reads most like it (the
// beginning of a text longer than any line), within the OCR tolerance of evaluate.h.
struct Placement {
  int page = 0;
  Box box;
};
std::optional<Placement> LocateText(const Document& doc, std::string_view text);

// Whether the value at `value` lies on the row of the key at `key` (kSameLine) or not (kBelow).
ValuePosition PositionOf(const Box& key, const Box& value);

// Whether the letters and digits of `part` occur in those of `whole` with the OCR tolerance of
// evaluate.h (a short part must be most of the whole).
bool ContainedWithOcrErrors(std::string_view part, std::string_view whole);

}  // namespace quire::extract
