// A learned ranking of field candidates (see candidates.h): for each ranked field, a random
// forest of regression trees (OpenCV's ml module) that scores a candidate's features with the
// probability that it is the field's value, and a calibration table that turns the score of the
// best candidate into the probability that choosing it is right, measured on documents the
// forest was not trained on (cross-validation in extract/model/train_ranker.cc).
//
// The model file is YAML as cv::FileStorage writes it:
//   FIELD: { forest: <cv::ml::RTrees>, calibration: [score_0, right_0, score_1, right_1, ...] }
// for each field of kRankedFields, calibration points sorted by score.
//
// Thread safety: a Ranker is immutable once made; Score and Confidence may be called from several
// threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "builtin_fields.h"
#include "quire/common/status.h"

namespace quire::extract {

class Ranker {
 public:
  // The model built into quire from extract/model/ranker.yml.
  static const Ranker& Builtin();
  // Reads a model file's text; InvalidArgument when it is not one.
  static Result<Ranker> FromText(const std::string& text);

  // Whether the model ranks `field`.
  bool Ranks(std::string_view field) const;
  // The forest's probability, 0..1, that a candidate of `field` with `features` is its value.
  // REQUIRES: Ranks(field).
  double Score(std::string_view field, const std::vector<float>& features) const;
  // The probability that the best candidate, scored `score`, is right (the calibration table,
  // read between its points).
  double Confidence(std::string_view field, double score) const;

  struct Model;

 private:
  std::shared_ptr<const std::vector<Model>> models_;
};

// Replaces each field `ranker` ranks by its best candidate (candidates.h), with the calibrated
// confidence of that choice; where a field has no candidate, the rules' value stays. A best
// candidate below kLeastConfidence is no value: the field is left out, for a person to fill in,
// rather than given as a guess wrong nine times in ten. `rules` are the fields the rules found,
// and stay the features the model was trained with; but a vendor's address is read again under
// the vendor's name as ranked when that differs from the rules'.
void RankFields(const Ranker& ranker, const Document& doc, const Conventions& conventions,
                std::string_view today, Fields& fields);

}  // namespace quire::extract
