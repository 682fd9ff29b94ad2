// Papers with ground truth: the documents of a folder that have NAME.truth.json beside them, for
// tests that search for a document by the words printed on it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace quire::testing {

struct Paper {
  std::string file;   // the scan or PDF
  std::string text;   // as printed (ground truth)
  uint64_t id = 0;    // in the archive, once ingested
  std::string ocr{};  // as the archive holds it, when a test reads it back
};

// Every document of `folder` that has a NAME.truth.json beside it, in name order.
std::vector<Paper> PapersIn(const std::filesystem::path& folder);

// Ingests every paper into `archive` with the built program, in one run, and fills in its id.
void IngestPapers(const std::string& archive, std::vector<Paper>& papers);

}  // namespace quire::testing
