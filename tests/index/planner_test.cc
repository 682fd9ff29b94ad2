#include "planner.h"

#include <catch2/catch.hpp>

using quire::index::BoundedEditCost;
using quire::index::DefaultMaxEdits;
using quire::index::kConfusionCost;
using quire::index::kEditCost;

namespace {

// The Levenshtein distance, or bound + 1.
int Distance(std::string_view a, std::string_view b, int bound) {
  const int cost = BoundedEditCost(a, b, bound * kEditCost, /*confusions=*/false);
  return cost > bound * kEditCost ? bound + 1 : cost / kEditCost;
}

}  // namespace

TEST_CASE("edit distance counts characters, not bytes, and stops past the bound") {
  CHECK(Distance("invoice", "lnvoice", 2) == 1);
  CHECK(Distance("total", "t0tal", 1) == 1);
  CHECK(Distance("uber", "über", 1) == 1);  // ü is two bytes, one character
  CHECK(Distance("invoice", "invoices", 2) == 1);
  CHECK(Distance("invoice", "voice", 2) == 2);
  CHECK(Distance("invoice", "vice", 2) == 3);  // past the bound: bound + 1
  CHECK(Distance("abc", "xyz", 1) == 2);
  CHECK(Distance("", "ab", 2) == 2);
  CHECK(Distance("modern", "rnodern", 2) == 2);  // without confusions, "rn" is two edits
}

TEST_CASE("an edit between characters OCR confuses costs half") {
  CHECK(BoundedEditCost("t0tal", "total", 4) == kConfusionCost);
  CHECK(BoundedEditCost("t0ta1", "total", 4) == 2 * kConfusionCost);  // as one other edit
  CHECK(BoundedEditCost("tota1", "totai", 4) == kConfusionCost);      // 1, l and i
  CHECK(BoundedEditCost("5ub8", "subb", 4) == 2 * kConfusionCost);
  CHECK(BoundedEditCost("rnodern", "modern", 4) == kConfusionCost);  // "m" read as "rn"
  CHECK(BoundedEditCost("modem", "modern", 4) == kConfusionCost);    // and back
  CHECK(BoundedEditCost("rnodem", "modern", 4) == 2 * kConfusionCost);
  CHECK(BoundedEditCost("tqtal", "total", 4) == kEditCost);  // q is no misreading of o
  CHECK(BoundedEditCost("xxxxx", "total", 4) == 5);          // past the bound: bound + 1
}

TEST_CASE("fuzzy words allow one edit up to five characters, two beyond") {
  CHECK(DefaultMaxEdits("t0tal") == 1);
  CHECK(DefaultMaxEdits("lnvoice") == 2);
  CHECK(DefaultMaxEdits("überall") == 2);
}
