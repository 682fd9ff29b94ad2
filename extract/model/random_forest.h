// The random forests the training programs fit (train_ranker, train_forms): OpenCV ml's RTrees
// on numeric features, grown to a fixed number of trees of a bounded depth.
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

namespace quire::extract {

struct ForestSize {
  int trees = 0;
  int max_depth = 0;
  int min_samples = 0;  // in a node, to split it
};

// A forest fitted to `samples` (one row of CV_32F features each) and `responses` (a column).
inline cv::Ptr<cv::ml::RTrees> TrainForest(const cv::Mat& samples, const cv::Mat& responses,
                                           const ForestSize& size) {
  cv::Ptr<cv::ml::RTrees> forest = cv::ml::RTrees::create();
  forest->setMaxDepth(size.max_depth);
  forest->setMinSampleCount(size.min_samples);
  forest->setRegressionAccuracy(0);
  forest->setUseSurrogates(false);
  forest->setCalculateVarImportance(false);
  forest->setActiveVarCount(0);  // the square root of the feature count at each split
  forest->setTermCriteria({cv::TermCriteria::MAX_ITER, size.trees, 0});
  cv::Mat var_type(samples.cols + 1, 1, CV_8U, cv::Scalar(cv::ml::VAR_NUMERICAL));
  forest->train(cv::ml::TrainData::create(samples, cv::ml::ROW_SAMPLE, responses, cv::noArray(),
                                          cv::noArray(), cv::noArray(), var_type));
  return forest;
}

}  // namespace quire::extract
