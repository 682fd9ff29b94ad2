#include "ranker.h"

#include <algorithm>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

#include "candidates.h"

namespace quire::extract {

// The text of extract/model/ranker.yml, compiled in (ranker_model.cc, made by CMake).
extern const char* const kRankerModel;

struct Ranker::Model {
  std::string field;
  cv::Ptr<cv::ml::RTrees> forest;
  std::vector<std::pair<double, double>> calibration;  // (score, share right), by score
};

Result<Ranker> Ranker::FromText(const std::string& text) {
  auto models = std::make_shared<std::vector<Model>>();
  try {
    cv::FileStorage fs(text, cv::FileStorage::READ | cv::FileStorage::MEMORY);
    for (std::string_view field : kRankedFields) {
      const cv::FileNode node = fs[std::string(field)];
      if (node.empty()) continue;
      Model m{std::string(field), cv::ml::RTrees::create(), {}};
      m.forest->read(node["forest"]);
      if (!m.forest->isTrained() ||
          m.forest->getVarCount() != static_cast<int>(FeatureCount(field))) {
        return Status::InvalidArgument("ranking model for " + m.field +
                                       " does not fit its features: train it again "
                                       "(scripts/train-ranker.sh)");
      }
      std::vector<double> points;
      node["calibration"] >> points;
      for (size_t i = 0; i + 1 < points.size(); i += 2)
        m.calibration.emplace_back(points[i], points[i + 1]);
      models->push_back(std::move(m));
    }
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument(std::string("ranking model cannot be read: ") + e.what());
  }
  Ranker ranker;
  ranker.models_ = std::move(models);
  return ranker;
}

const Ranker& Ranker::Builtin() {
  static const Ranker* builtin = [] {
    Result<Ranker> r = FromText(kRankerModel);
    // The built-in model is checked by the tests; a broken one ranks nothing.
    return new Ranker(r.ok() ? std::move(*r) : Ranker());
  }();
  return *builtin;
}

bool Ranker::Ranks(std::string_view field) const {
  return models_ && std::any_of(models_->begin(), models_->end(),
                                [&](const Model& m) { return m.field == field; });
}

double Ranker::Score(std::string_view field, const std::vector<float>& features) const {
  for (const Model& m : *models_) {
    if (m.field != field) continue;
    cv::Mat sample(1, static_cast<int>(features.size()), CV_32F,
                   const_cast<float*>(features.data()));
    return std::clamp(static_cast<double>(m.forest->predict(sample)), 0.0, 1.0);
  }
  return 0;
}

double Ranker::Confidence(std::string_view field, double score) const {
  for (const Model& m : *models_) {
    if (m.field != field || m.calibration.empty()) continue;
    const auto& c = m.calibration;
    if (score <= c.front().first) return c.front().second;
    if (score >= c.back().first) return c.back().second;
    const auto hi = std::upper_bound(c.begin(), c.end(), std::make_pair(score, 2.0));
    const auto lo = hi - 1;
    const double t = (score - lo->first) / std::max(1e-9, hi->first - lo->first);
    return lo->second + t * (hi->second - lo->second);
  }
  return score;
}

namespace {

// When the ranking chose another vendor's name than the rules, the rules' address (read under
// their name) is read again under the ranked one, in `fields` and in `rules` alike.
void ReadAddressUnderRankedName(const Document& doc, Fields& fields, Fields& rules) {
  const auto ranked = fields.find(field_name::kVendorName);
  const auto ruled = rules.find(field_name::kVendorName);
  if (ranked == fields.end() || ruled == rules.end() ||
      FoldedTokens(ranked->second.value) == FoldedTokens(ruled->second.value)) {
    return;
  }
  rules[field_name::kVendorName] = ranked->second;
  std::optional<FieldValue> address = VendorAddressUnder(doc, ranked->second);
  if (address) {
    rules[field_name::kVendorAddress] = fields[field_name::kVendorAddress] = std::move(*address);
  } else {
    rules.erase(field_name::kVendorAddress);
    fields.erase(field_name::kVendorAddress);
  }
}

}  // namespace

void RankFields(const Ranker& ranker, const Document& doc, const Conventions& conventions,
                std::string_view today, Fields& fields) {
  Fields rules = fields;
  for (std::string_view field : kRankedFields) {
    if (!ranker.Ranks(field)) continue;
    if (field == field_name::kVendorAddress) ReadAddressUnderRankedName(doc, fields, rules);
    const std::vector<RankedCandidate> candidates =
        CandidatesFor(field, doc, conventions, today, rules);
    const std::optional<Choice> best = ChooseCandidate(
        field, candidates,
        [&](const RankedCandidate& c) { return ranker.Score(field, c.features); }, rules, today);
    if (!best) continue;
    const std::string name(field);
    const auto rule = rules.find(name);
    // The rules' reading of the same value keeps its repairs and its span.
    FieldValue chosen = rule != rules.end() && FoldedTokens(rule->second.value) ==
                                                   FoldedTokens(best->candidate->candidate.value)
                            ? rule->second
                            : ToFieldValue(best->candidate->candidate);
    chosen.confidence = std::clamp(ranker.Confidence(field, best->score), 0.0, 1.0);
    if (chosen.confidence < kLeastConfidence) {
      fields.erase(name);
      continue;
    }
    fields[name] = std::move(chosen);
  }
}

}  // namespace quire::extract
