// Image files to pixels and back, through Leptonica, which Tesseract loads anyway. (OpenCV's
// imgcodecs would do the same, but Debian's build of it links GDAL, GDCM and 130 more libraries,
// whose loading cost every `quire` process 65 ms of CPU, most of the start-up of `quire ocr`.)
//
// Thread safety: every function may be called from several threads at once.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <string_view>

#include "quire/common/status.h"

struct Pix;  // Leptonica's image

namespace quire::capture {

// How an EXIF orientation tag (1 to 8) says to show the image stored; 1 (or anything else) is as
// stored.
cv::Mat Oriented(const cv::Mat& image, int exif_orientation);

// A PNG, JPEG or TIFF (first page) as 8-bit grey: a JPEG's luminance as libjpeg decodes it,
// colour as libpng turns it grey, transparency as it is painted onto white. InvalidArgument when
// it cannot be decoded.
Result<cv::Mat> DecodeGray(std::string_view file);

// The same in colour: 8-bit grey (1 channel) when the file is grey, else RGB (3 channels),
// transparency painted onto white; `page` of a TIFF file, from 0.
Result<cv::Mat> DecodeColour(std::string_view file, int page = 0);

// A Leptonica image of any depth (a TIFF page) as 8-bit grey, colour by Leptonica's luminance;
// empty when it cannot be converted.
// REQUIRES: pix is not null.
cv::Mat GrayOf(Pix* pix);

// An 8-bit grey image as a PNG, zlib `compression` 0 (none) to 9 (smallest), or as a JPEG of
// `quality` 1 to 100. Internal when the image cannot be encoded.
Result<std::string> EncodePng(const cv::Mat& gray, int compression);
Result<std::string> EncodeJpeg(const cv::Mat& gray, int quality);

}  // namespace quire::capture
