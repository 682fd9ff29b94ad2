// `quire search` as the station and scripts use it: counts, facets and paging through the
// program, on real sample documents; and the query language's errors with their exit code.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "quire_process.h"
#include "temp_dir.h"

using nlohmann::json;
using quire::testing::ProcessOutput;
using quire::testing::RunQuire;
using quire::testing::RunQuireJson;
using quire::testing::SampleDoc;
using quire::testing::TempDir;

namespace {

// Text PDFs are read without OCR: an archive of seven documents in seconds.
const std::vector<std::string> kDocs = {
    "invoice-de-01-text.pdf", "invoice-en-03-text.pdf", "letter-01-text.pdf", "receipt-01.png",
    "receipt-02.png",         "invoice-en-01.png",      "invoice-gb-01.png"};

std::string Ingest(const TempDir& dir) {
  const std::string archive = dir.Sub("archive");
  std::vector<std::string> args = {"ingest", "--json", "--archive", archive};
  for (const std::string& doc : kDocs) args.push_back(SampleDoc(doc));
  const json ingested = RunQuireJson(args);
  REQUIRE(ingested["results"].size() == kDocs.size());
  for (const json& result : ingested["results"]) REQUIRE(result["status"] == "stored");
  return archive;
}

// `quire search --json OPTIONS... -- QUERY` ("--": the query may start with '-').
json Search(const std::string& archive, const std::vector<std::string>& options,
            const std::string& query) {
  std::vector<std::string> args = {"search", "--json", "--archive", archive};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back("--");
  args.push_back(query);
  return RunQuireJson(args);
}

}  // namespace

TEST_CASE("quire search --json counts the matches, pages with --offset and counts facets") {
  TempDir dir;
  const std::string archive = Ingest(dir);
  for (const std::string query : {"NOT zzqxv", "total OR invoice OR rechnung", "-type:letter"}) {
    INFO(query);
    const json whole = Search(archive, {"--limit", "100"}, query);
    const int64_t total = whole["total"];
    CHECK(whole["total_exact"] == true);
    REQUIRE(whole["results"].size() == static_cast<size_t>(total));
    CHECK(total >= 5);
    std::vector<uint64_t> paged;
    for (int offset = 0; offset < total + 3; offset += 3) {
      const json page =
          Search(archive, {"--limit", "3", "--offset", std::to_string(offset)}, query);
      CHECK(page["total"] == total);
      CHECK(page["results"].size() ==
            static_cast<size_t>(std::max(0, std::min(3, static_cast<int>(total) - offset))));
      for (const json& hit : page["results"]) paged.push_back(hit["id"]);
    }
    // Each match once, in the order of the whole list.
    REQUIRE(paged.size() == static_cast<size_t>(total));
    for (size_t i = 0; i < paged.size(); ++i) CHECK(paged[i] == whole["results"][i]["id"]);
    CHECK(std::set<uint64_t>(paged.begin(), paged.end()).size() == paged.size());

    // The facets count every match.
    const json& facets = whole["facets"];
    for (const char* key : {"type", "vendor", "year", "tag", "review"}) CHECK(facets.contains(key));
    int64_t typed = 0;
    for (const auto& [type, count] : facets["type"].items()) typed += count.get<int64_t>();
    CHECK(typed == total);
    int64_t reviewed = 0;
    for (const auto& [answer, count] : facets["review"].items()) reviewed += count.get<int64_t>();
    CHECK(reviewed == total);
  }
  CHECK(Search(archive, {}, "-type:letter")["facets"]["type"].count("letter") == 0);
  // Each hit box carries the word read there.
  const json rechnung = Search(archive, {}, "rechnung");
  REQUIRE(rechnung["results"].size() >= 1);
  bool word_found = false;
  for (const json& hit : rechnung["results"][0]["hits"]) word_found |= hit["word"] == "Rechnung";
  CHECK(word_found);
}

TEST_CASE("quire search says how many match and refuses what it cannot read, exit code 2") {
  TempDir dir;
  const std::string archive = Ingest(dir);
  const ProcessOutput all = RunQuire({"search", "--archive", archive, "--limit", "2", "NOT zzqxv"});
  CHECK(all.exit_code == 0);
  CHECK(all.out.starts_with("7 documents match; showing 1-2\n"));
  const ProcessOutput page =
      RunQuire({"search", "--archive", archive, "--limit", "2", "--offset", "6", "NOT zzqxv"});
  CHECK(page.out.starts_with("7 documents match; showing 7-7\n"));
  const ProcessOutput count =
      RunQuire({"search", "--archive", archive, "--limit", "0", "NOT zzqxv"});
  CHECK(count.out == "7 documents match\n");

  const ProcessOutput paperless = RunQuire({"search", "--archive", archive, "correspondent:acme"});
  CHECK(paperless.exit_code == 2);
  CHECK(paperless.err.find("in quire write vendor:acme") != std::string::npos);
  const ProcessOutput created =
      RunQuire({"search", "--archive", archive, "created:[2024 to 2025]"});
  CHECK(created.exit_code == 2);
  CHECK(created.err.find("in quire write date:2024..2025") != std::string::npos);
  const ProcessOutput unknown = RunQuire({"search", "--archive", archive, "toner foo:bar"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown field 'foo' at column 7: the fields are type:, vendor:") !=
        std::string::npos);
  const ProcessOutput unclosed = RunQuire({"search", "--archive", archive, "(toner OR paper"});
  CHECK(unclosed.exit_code == 2);
  CHECK(unclosed.err.find("unclosed parenthesis at column 1") != std::string::npos);
}
