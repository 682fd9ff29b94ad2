// What the capture tests share: one Capturer (its engines take a while to start), page images
// made in the test, and the sample documents.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "quire/capture/capture.h"

namespace quire::capture::testing {

// One Capturer with default options for every test that needs no others.
Capturer& SharedCapturer();

// The lines printed by TextPage, in order.
const std::vector<std::string>& TextPageLines();

// A white 2480 x 3508 page (A4 at 300 dpi) with TextPageLines() in black, capitals 35 px tall.
cv::Mat TextPage();

// Where TextPage printed the middle of word `word` (0-based) of line `line`.
cv::Point2d WordCentre(int line, int word);

// `page` rotated by `degrees` counter-clockwise about its centre, on white, same size.
cv::Mat Tilt(const cv::Mat& page, double degrees);

// Encodes `image` as ".png", ".jpg" or ".tif".
std::string Encode(const cv::Mat& image, const std::string& extension);

// Captures `image` with a debug folder and returns the names of the images the cleanup steps
// wrote there ("001-1-background.png", ...), sorted.
std::vector<std::string> DebugImages(const cv::Mat& image);

// The contents of sample-docs/NAME. Fails the test when it is missing.
std::string SampleDoc(const std::string& name);

// Whether `haystack` contains `needle`.
bool Contains(const std::string& haystack, const std::string& needle);

}  // namespace quire::capture::testing
