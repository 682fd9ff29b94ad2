// The page files the training programs learn from: `NAME.ocr.json` (what `quire ocr --json`
// printed) beside `NAME.truth.json`.
#pragma once

#include <algorithm>
#include <filesystem>
#include <vector>

namespace quire::extract {

// The page files in `folder`, sorted by name, so a training run is the same every time.
inline std::vector<std::filesystem::path> PageFilesIn(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().string().ends_with(".ocr.json")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace quire::extract
