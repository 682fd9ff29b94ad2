// Page images made in the test, so the capture tests need no files but the samples they name.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace quire::capture::testing {

// The lines printed by TextPage, in order.
const std::vector<std::string>& TextPageLines();

// A white 2480 x 3508 page (A4 at 300 dpi) with TextPageLines() in black, text about 30 px tall.
cv::Mat TextPage();

// `page` rotated by `degrees` counter-clockwise about its centre, on white.
cv::Mat Tilt(const cv::Mat& page, double degrees);

// Encodes `image` as ".png", ".jpg" or ".tif".
std::string Encode(const cv::Mat& image, const std::string& extension);

// The contents of a file under the source tree, e.g. "sample-docs/x.png"; empty when missing.
std::string SourceFile(const std::string& path);

}  // namespace quire::capture::testing
