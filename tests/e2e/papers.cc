#include "papers.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "quire_process.h"

namespace quire::testing {
namespace fs = std::filesystem;

std::vector<Paper> PapersIn(const fs::path& folder) {
  constexpr std::string_view kTruth = ".truth.json";
  std::map<std::string, std::string> text_by_stem;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(kTruth)) {
      std::ifstream in(entry.path());
      text_by_stem[name.substr(0, name.size() - kTruth.size())] =
          nlohmann::json::parse(in).at("text");
    } else {
      files.push_back(entry.path());
    }
  }
  std::vector<Paper> papers;
  for (const fs::path& file : files) {
    const auto truth = text_by_stem.find(file.stem().string());
    if (truth != text_by_stem.end())
      papers.push_back({.file = file.string(), .text = truth->second});
  }
  std::sort(papers.begin(), papers.end(),
            [](const Paper& a, const Paper& b) { return a.file < b.file; });
  return papers;
}

void IngestPapers(const std::string& archive, std::vector<Paper>& papers) {
  std::vector<std::string> args = {"ingest", "--json", "--archive", archive};
  for (const Paper& paper : papers) args.push_back(paper.file);
  const nlohmann::json ingested = RunQuireJson(args);
  REQUIRE(ingested["results"].size() == papers.size());
  for (size_t i = 0; i < papers.size(); ++i) {
    const nlohmann::json& result = ingested["results"][i];
    INFO(papers[i].file << ": " << result.dump());
    REQUIRE(result["status"] == "stored");
    papers[i].id = result["id"].get<uint64_t>();
  }
}

}  // namespace quire::testing
