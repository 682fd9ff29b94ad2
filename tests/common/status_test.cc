#include "quire/common/status.h"

#include <catch2/catch.hpp>

using quire::Result;
using quire::Status;

TEST_CASE("a default Status is OK and an error keeps its code and message") {
  CHECK(Status().ok());
  const Status s = Status::NotFound("no document 42");
  CHECK_FALSE(s.ok());
  CHECK(s.code() == Status::Code::kNotFound);
  CHECK(s.ToString() == "not found: no document 42");
  CHECK(s.WithContext("show").message() == "show: no document 42");
}

TEST_CASE("Result holds either a value or an error") {
  Result<int> good = 7;
  REQUIRE(good.ok());
  CHECK(*good == 7);
  Result<int> bad = Status::InvalidArgument("not a number");
  CHECK_FALSE(bad.ok());
  CHECK(bad.status().message() == "not a number");
}
