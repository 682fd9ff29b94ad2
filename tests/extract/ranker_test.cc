// The learned ranking: the model compiled into quire, and its choices on laid-out receipts.
#include "ranker.h"

#include <catch2/catch.hpp>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

#include "candidates.h"
#include "page_builder.h"
#include "quire/extract/extract.h"

namespace quire::extract {
namespace {

using testing::PageBuilder;

TEST_CASE("the built-in model ranks total, date, vendor name and address") {
  const Ranker& ranker = Ranker::Builtin();
  for (std::string_view field : kRankedFields) {
    CHECK(ranker.Ranks(field));
    const std::vector<float> features(FeatureCount(field), 0.5f);
    const double score = ranker.Score(field, features);
    CHECK(score >= 0);
    CHECK(score <= 1);
    // Calibrated: a better score is never a less likely choice.
    CHECK(ranker.Confidence(field, 0.9) >= ranker.Confidence(field, 0.2));
  }
  CHECK_FALSE(ranker.Ranks("iban"));
}

TEST_CASE("a model file that is not one is refused with what to do") {
  const Result<Ranker> bad = Ranker::FromText("total: [1, 2");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("ranking model") != std::string::npos);
}

TEST_CASE("every amount of a receipt is a total candidate, with its features") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("KEDAI ABC SDN BHD")
                            .Line("Date: 25/12/2018")
                            .Row({{"SUBTOTAL", 20}, {"42.20", 310}})
                            .Row({{"GST 6%", 20}, {"2.53", 310}})
                            .Row({{"TOTAL", 20}, {"44.73", 310}})
                            .Row({{"CASH", 20}, {"50.00", 310}})
                            .Row({{"CHANGE", 20}, {"5.27", 310}})
                            .Build();
  const Document doc({page});
  const Conventions conventions = GuessConventions(doc, DateOrder::kDMY);
  const Fields rules = ExtractInvoiceFields(doc, conventions, "2019-01-01");
  const auto candidates = CandidatesFor("total", doc, conventions, "2019-01-01", rules);
  REQUIRE(candidates.size() == 5);
  for (const RankedCandidate& c : candidates) CHECK(c.features.size() == FeatureCount("total"));
  const auto total = std::find_if(candidates.begin(), candidates.end(),
                                  [](const auto& c) { return c.candidate.value == "44.73"; });
  REQUIRE(total != candidates.end());
  CHECK(total->features[0] == 1);  // the rules chose it too

  ExtractOptions options;
  options.date_order = DateOrder::kDMY;
  options.today = "2019-01-01";
  const Result<std::unique_ptr<Extractor>> extractor = Extractor::Create(options);
  REQUIRE(extractor.ok());
  const Extraction ex = (*extractor)->Extract({page});
  CHECK(ex.fields.at("total").value == "44.73");
  CHECK(ex.fields.at("total").confidence > 0.8);  // labelled, sum and cash minus change agree
  CHECK(ex.fields.at("invoice_date").value == "2018-12-25");
  CHECK_FALSE(ex.needs_review);
}

// A ranking model for the vendor's name alone whose forest scores any candidate alike and whose
// calibration says such a choice is right `right` of the time.
Ranker NameRanker(double right) {
  const int features = static_cast<int>(FeatureCount("vendor_name"));
  cv::Mat samples(2, features, CV_32F, cv::Scalar(0));
  samples.at<float>(1, 0) = 1;
  cv::Ptr<cv::ml::RTrees> forest = cv::ml::RTrees::create();
  forest->setMinSampleCount(1);
  forest->setTermCriteria({cv::TermCriteria::MAX_ITER, 1, 0});
  forest->train(cv::ml::TrainData::create(samples, cv::ml::ROW_SAMPLE, cv::Mat({0.f, 1.f})));
  cv::FileStorage fs(".yml", cv::FileStorage::WRITE | cv::FileStorage::MEMORY);
  fs << "vendor_name"
     << "{"
     << "forest"
     << "{";
  forest->write(fs);
  fs << "}"
     << "calibration" << std::vector<double>{0, right, 1, right} << "}";
  Result<Ranker> ranker = Ranker::FromText(fs.releaseAndGetString());
  REQUIRE(ranker.ok());
  return std::move(*ranker);
}

TEST_CASE("a ranked choice that is almost never right is left out for a person") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("KEDAI ABC SDN BHD")
                            .Line("Date: 25/12/2018")
                            .Row({{"TOTAL", 20}, {"44.73", 310}})
                            .Build();
  const Document doc({page});
  const Conventions conventions = GuessConventions(doc, DateOrder::kDMY);
  const Fields rules = ExtractInvoiceFields(doc, conventions, "2019-01-01");
  REQUIRE(rules.count("vendor_name"));
  Fields unsure = rules;
  RankFields(NameRanker(0.3), doc, conventions, "2019-01-01", unsure);
  REQUIRE(unsure.count("vendor_name"));
  CHECK(unsure.at("vendor_name").confidence == Approx(0.3));
  Fields hopeless = rules;
  RankFields(NameRanker(kLeastConfidence / 2), doc, conventions, "2019-01-01", hopeless);
  CHECK_FALSE(hopeless.count("vendor_name"));
  CHECK(hopeless.at("total").value == "44.73");  // fields the model does not rank stay
}

}  // namespace
}  // namespace quire::extract
