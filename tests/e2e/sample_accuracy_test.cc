// Field accuracy on sample-docs/: `quire eval fields` on the clean documents and on their
// degraded scans (skewed, rotated, speckled, faded, shaded, JPEG, 150 dpi, fax, image-only PDF),
// each field held to a floor, so an extraction or capture change that loses fields fails here.
// The floors are the F1 measured when they were set, rounded down a little (README: `quire eval
// fields`); raise them when extraction improves.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "quire_process.h"
#include "temp_dir.h"

namespace quire::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A clean original is NAME-NN.EXT (invoice-de-01.png); its degraded scans add a suffix
// (invoice-de-01-skew.jpg).
bool IsClean(const std::string& stem) {
  static const std::regex kClean("[a-z]+(-[a-z]{2})?-[0-9]{2}");
  return std::regex_match(stem, kClean);
}

// A folder holding links to the sample documents (with their truth) that are clean, or degraded.
void LinkSamples(const fs::path& folder, bool clean) {
  fs::create_directories(folder);
  const fs::path samples = fs::path(QUIRE_SOURCE_DIR) / "sample-docs";
  for (const auto& entry : fs::directory_iterator(samples)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".truth.json")) continue;
    const std::string stem = name.substr(0, name.size() - 11);
    if (IsClean(stem) != clean) continue;
    for (const auto& file : fs::directory_iterator(samples)) {
      if (file.path().stem() == stem || file.path().filename() == name) {
        fs::create_symlink(file.path(), folder / file.path().filename());
      }
    }
  }
}

// Runs `quire eval fields` on the clean or degraded samples and checks each field's F1.
void CheckFloors(bool clean, const std::map<std::string, double>& floors, double overall) {
  TempDir dir;
  LinkSamples(dir.Sub("samples"), clean);
  const ProcessOutput eval = RunQuire({"eval", "fields", "--json", dir.Sub("samples")});
  INFO(eval.err);
  REQUIRE(eval.exit_code == 0);
  const json report = json::parse(eval.out);
  for (const json& miss : report["misses"]) {
    UNSCOPED_INFO(miss["document"].get<std::string>()
                  << "  " << miss["field"].get<std::string>() << ": \""
                  << miss["expected"].get<std::string>() << "\" -> \""
                  << miss["found"].get<std::string>() << "\"");
  }
  for (const auto& [field, floor] : floors) {
    INFO(field);
    REQUIRE(report["fields"].contains(field));
    CHECK(report["fields"][field]["f1"].get<double>() >= floor);
  }
  CHECK(report["overall"]["f1"].get<double>() >= overall);
}

// Every invoice field's floor: `floor`, but for the fields `exceptions` names.
std::map<std::string, double> Floors(double floor, std::map<std::string, double> exceptions) {
  for (const char* field : {"vendor_name", "vendor_address", "customer_name", "invoice_number",
                            "invoice_date", "due_date", "po_number", "currency", "subtotal",
                            "tax_amount", "total", "iban", "bic", "vat_id"}) {
    exceptions.emplace(field, floor);  // an exception stays
  }
  return exceptions;
}

}  // namespace

// Measured 2026-12-06 (quire eval fields --json): every field of the 20 clean documents right
// (F1 1.000, 243 values); on the 32 degraded ones F1 0.990 overall (388 right, 3 wrong, 5 missed):
// invoice_number 0.933, vendor_address 0.926, every other invoice field 1.000.
TEST_CASE("field accuracy on the clean sample documents holds its floors", "[slow]") {
  CheckFloors(/*clean=*/true, Floors(0.98, {}), /*overall=*/0.98);
}

TEST_CASE("field accuracy on the degraded sample documents holds its floors", "[slow]") {
  CheckFloors(/*clean=*/false, Floors(0.98, {{"vendor_address", 0.90}, {"invoice_number", 0.91}}),
              /*overall=*/0.97);
}

}  // namespace quire::testing
