// Evaluation: extracted fields against ground truth, per field, with precision, recall and F1.
//
// Values are compared the way a person would judge them: amounts numerically ("9" == "9.00" ==
// "$9.00"), dates as ISO strings, everything else ignoring case, punctuation and spacing but not
// accents ("Book Ta .K (Taman Daya) Sdn Bhd" == "BOOK TA K TAMAN DAYA SDN BHD", "Köln" != "Koln").
// Field names are matched the same way, so a form key "DATE:" in the truth matches the extracted
// "Date".
//
// Thread safety: an Evaluation is a plain accumulator; use one per thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "quire/common/fields.h"
#include "quire/extract/extract.h"

namespace quire::extract {

struct FieldScore {
  int tp = 0;  // found, and equal to the truth
  int fp = 0;  // found, but the truth holds another value or none
  int fn = 0;  // in the truth, but not found or found with another value

  double Precision() const;  // 0 when nothing was found
  double Recall() const;     // 0 when the truth holds nothing
  double F1() const;
  FieldScore& operator+=(const FieldScore& other);
};

// Whether the review decision and the confidences can be trusted, over the documents added.
// A document is wrong when a key field the truth names (invoice number, invoice date, total:
// what a clerk must not get wrong) is missing or has another value.
struct ReviewScore {
  static constexpr double kConfident = 0.9;  // a confidence that should rarely be wrong

  int documents = 0;
  int wrong = 0;
  int reviewed = 0;        // sent to review (needs_review)
  int reviewed_wrong = 0;  // sent to review, and wrong
  int confident = 0;       // fields the truth names found with confidence >= kConfident
  int confident_right = 0;
  // The fields the truth names that were found, by their confidence's tenth (0 for below 0.1, 9
  // for 0.9 and above): tp right, fp wrong, so that each tenth's precision shows what a
  // confidence is worth.
  std::map<int, FieldScore> by_confidence;

  double Precision() const;        // of "needs review" against wrong documents
  double Recall() const;           // share of wrong documents sent to review
  double StraightThrough() const;  // share of documents not sent to review
  double StraightWrong() const;    // share of those that are wrong
  double ConfidentRight() const;   // share of confident fields that are right
};

// One disagreement with the truth. `expected` is empty for a value the truth does not hold,
// `found` for a value that was not extracted.
struct FieldMiss {
  std::string document;
  std::string field;
  std::string expected;
  std::string found;
};

// Whether `found` equals the normalised truth value `expected` of `field`. A form value the
// truth keeps as printed ("9/ 3/ 92", "May 1, 1985") equals the ISO date it reads as in `order`.
bool FieldValuesMatch(std::string_view field, std::string_view expected, std::string_view found,
                      DateOrder order = DateOrder::kDMY);

class Evaluation {
 public:
  // `order` reads the dates a truth keeps as printed, as the extraction read them.
  explicit Evaluation(DateOrder order = DateOrder::kDMY) : order_(order) {}

  // Scores one document. `truth` maps field names to normalised values (see "Ground truth" in
  // DESIGN.md).
  void Add(const std::string& document, const Extraction& extraction,
           const std::map<std::string, std::string>& truth);

  // Per field, for the fields the truth names in at least one document: a field the truth never
  // names has nothing to be measured against.
  std::map<std::string, FieldScore> Scores() const;
  // The sum over those fields (micro-average).
  FieldScore Overall() const;
  // The misses of those fields, in the order added.
  std::vector<FieldMiss> Misses() const;
  const ReviewScore& Review() const { return review_; }

 private:
  DateOrder order_;
  std::map<std::string, FieldScore> scores_;  // by the truth's field name where it has one
  std::map<std::string, bool> has_truth_;
  std::vector<FieldMiss> misses_;
  ReviewScore review_;
};

// ---- Form pairs --------------------------------------------------------------------------
//
// A form's truth is its annotators' key -> value links ("pairs" in NAME.truth.json), keys and
// values as printed. A found pair is right when its key is the truth's key as printed (case,
// punctuation and spacing aside, up to one OCR error in five letters) and its value is the
// truth's value with the same tolerance (or the ISO date a printed date reads as); each truth
// pair is matched at most once. A found key left empty that the truth does not pair at all is
// not scored (annotators link only filled-in keys) but counted as `unclaimed_empty`.

// Where a value is printed: right of its key on the key's line, below it, or in a table (one
// of several values of a key, as under a column header). kEmpty: no value; kUnplaced: the truth
// pair's key or value was not found in the OCR text at all.
enum class ValuePosition { kSameLine, kBelow, kTable, kEmpty, kUnplaced };
const char* ValuePositionName(ValuePosition position);

struct TruthPair {
  std::string key;
  std::string value;
};

// Whether `found` is the printed text `expected` as OCR may read it (see above).
bool TextsMatchWithOcrErrors(std::string_view expected, std::string_view found);

class PairEvaluation {
 public:
  explicit PairEvaluation(DateOrder order = DateOrder::kDMY) : order_(order) {}

  // Scores one document's `found` pairs against `truth`; `pages` (what the pairs were read from)
  // place the truth pairs that were missed.
  void Add(const std::string& document, const std::vector<PageText>& pages,
           const std::vector<FormPair>& found, const std::vector<TruthPair>& truth);

  FieldScore Overall() const { return overall_; }
  const std::map<ValuePosition, FieldScore>& ByPosition() const { return by_position_; }
  int unclaimed_empty() const { return unclaimed_empty_; }
  // The found pairs by their confidence's tenth, as ReviewScore::by_confidence: tp those the
  // truth holds, fp the others. Keys left empty that the truth does not pair are not counted.
  const std::map<int, FieldScore>& ByConfidence() const { return by_confidence_; }
  // `field` is the key; in the order added.
  const std::vector<FieldMiss>& Misses() const { return misses_; }

 private:
  DateOrder order_;
  FieldScore overall_;
  std::map<ValuePosition, FieldScore> by_position_;
  int unclaimed_empty_ = 0;
  std::map<int, FieldScore> by_confidence_;
  std::vector<FieldMiss> misses_;
};

}  // namespace quire::extract
