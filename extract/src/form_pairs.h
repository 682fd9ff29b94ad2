// A form's printed keys and the values filled in for them, linked by a learned model.
//
// The page is cut into segments: the Lines of the Document (see document.h), split after a
// word ending in ':' ("Date: 9/3/92" is a key and a value) and around checkbox glyphs (a box is
// the value of the option printed beside it). Any segment may be a key and any segment near it a
// value: to its right on its row, just left of it on its row (a box before its option), or below
// it (under a label, in the column of a header, in a ruled cell). Each such link has features of
// geometry and text that name no form (where each lies, in text heights; how each reads: colon,
// case, digits, length, OCR confidence; how many other segments lie nearer), and a random forest
// scores it. A value goes to its best-scoring key; the values of one key that lie one under the
// other are one value wrapped over lines or several values (a column), as a second forest
// decides from their layout.
//
// The model, extract/model/forms.yml as cv::FileStorage writes it (made by
// scripts/train-forms.sh from funsd-dev, its `pairs` the labels):
//   link: <cv::ml::RTrees>   wrap: <cv::ml::RTrees>   threshold: <link score to accept>
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

struct Segment {
  const Line* line = nullptr;
  size_t first = 0;  // words [first, last) of the line
  size_t last = 0;
  std::string text;
  Box box;
  bool checkbox = false;     // a box glyph alone
  bool after_colon = false;  // follows a word ending in ':' on its line
};

std::vector<Segment> FormSegments(const Document& doc);

// A possible link from segment `key` to segment `value` (indices into the segments).
struct LinkCandidate {
  size_t key = 0;
  size_t value = 0;
  std::vector<float> features;  // kLinkFeatures of them
};
inline constexpr size_t kLinkFeatures = 45;
inline constexpr size_t kWrapFeatures = 14;

std::vector<LinkCandidate> LinkCandidates(const Document& doc,
                                          const std::vector<Segment>& segments);

// Features of `lower`, linked to the same key as `upper` and printed under it, as the next line
// of the same value.
std::vector<float> WrapFeatures(const Document& doc, const Segment& key, const Segment& upper,
                                const Segment& lower);

// How links and wraps are scored (0..1), so that training can decode with forests it has not
// written yet.
struct FormScorers {
  std::function<double(const std::vector<float>&)> link;
  std::function<double(const std::vector<float>&)> wrap;
  double threshold = 0.5;  // a link scored lower is not taken
};

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
