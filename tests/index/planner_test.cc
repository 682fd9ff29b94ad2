#include "planner.h"

#include <catch2/catch.hpp>

using quire::index::BoundedEditDistance;
using quire::index::DefaultMaxEdits;

TEST_CASE("edit distance counts characters, not bytes, and stops past the bound") {
  CHECK(BoundedEditDistance("invoice", "lnvoice", 2) == 1);
  CHECK(BoundedEditDistance("total", "t0tal", 1) == 1);
  CHECK(BoundedEditDistance("uber", "über", 1) == 1);  // ü is two bytes, one character
  CHECK(BoundedEditDistance("invoice", "invoices", 2) == 1);
  CHECK(BoundedEditDistance("invoice", "voice", 2) == 2);
  CHECK(BoundedEditDistance("invoice", "vice", 2) == 3);  // past the bound: bound + 1
  CHECK(BoundedEditDistance("abc", "xyz", 1) == 2);
  CHECK(BoundedEditDistance("", "ab", 2) == 2);
}

TEST_CASE("fuzzy words allow one edit up to five characters, two beyond") {
  CHECK(DefaultMaxEdits("t0tal") == 1);
  CHECK(DefaultMaxEdits("lnvoice") == 2);
  CHECK(DefaultMaxEdits("überall") == 2);
}
