// Logins, tokens, expiry, revocation and the slowing of failed logins (app/sessions.h).
#include "sessions.h"

#include <catch2/catch.hpp>
#include <thread>

#include "temp_dir.h"

namespace quire::app {
namespace {

using quire::testing::TempDir;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr ScryptCost kTestCost{1 << 10, 8, 1};

// A users.json with ann (operator) and a clock the test moves.
struct Fixture {
  TempDir dir;
  UserStore users{dir.path(), kTestCost};
  SessionOptions::Clock::time_point now = SessionOptions::Clock::now();

  Fixture() { REQUIRE(users.Add("ann", Role::kOperator, "ann's password").ok()); }

  SessionOptions Options() {
    SessionOptions options;
    options.now = [this] { return now; };
    return options;
  }
};

TEST_CASE("a login with the right password gives a token for the user's role") {
  Fixture f;
  Sessions sessions(f.users, f.Options());
  Result<Login> login = sessions.LogIn("ann", "ann's password");
  REQUIRE(login.ok());
  CHECK(login->token.size() == 64);
  CHECK(login->token.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(login->role == Role::kOperator);
  CHECK(login->expires == f.now + hours(12));

  const std::optional<Session> session = sessions.Find(login->token);
  REQUIRE(session.has_value());
  CHECK(session->user == "ann");
  CHECK(session->role == Role::kOperator);

  Result<Login> again = sessions.LogIn("ann", "ann's password");
  REQUIRE(again.ok());
  CHECK(again->token != login->token);
  CHECK_FALSE(sessions.Find("").has_value());
  CHECK_FALSE(sessions.Find(std::string(64, '0')).has_value());
}

TEST_CASE("a wrong password and an unknown user get the same answer") {
  Fixture f;
  Sessions sessions(f.users, f.Options());
  Result<Login> wrong = sessions.LogIn("ann", "bob's password");
  Result<Login> unknown = sessions.LogIn("bob", "ann's password");
  REQUIRE_FALSE(wrong.ok());
  REQUIRE_FALSE(unknown.ok());
  CHECK(wrong.status().code() == Status::Code::kInvalidArgument);
  CHECK(wrong.status().message() == unknown.status().message());
}

TEST_CASE("a token expires after its lifetime") {
  Fixture f;
  SessionOptions options = f.Options();
  options.lifetime = hours(1);
  Sessions sessions(f.users, options);
  Result<Login> login = sessions.LogIn("ann", "ann's password");
  REQUIRE(login.ok());
  CHECK(login->expires == f.now + hours(1));
  f.now += std::chrono::minutes(59);
  CHECK(sessions.Find(login->token).has_value());
  f.now += std::chrono::minutes(1);
  CHECK_FALSE(sessions.Find(login->token).has_value());
  f.now -= std::chrono::minutes(1);  // gone for good, even if the clock steps back
  CHECK_FALSE(sessions.Find(login->token).has_value());
}

TEST_CASE("a revoked token stops working, others go on") {
  Fixture f;
  Sessions sessions(f.users, f.Options());
  Result<Login> a = sessions.LogIn("ann", "ann's password");
  Result<Login> b = sessions.LogIn("ann", "ann's password");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  sessions.Revoke(a->token);
  CHECK_FALSE(sessions.Find(a->token).has_value());
  CHECK(sessions.Find(b->token).has_value());
  sessions.Revoke("not a token");
}

TEST_CASE("a removed user's token stops working, also when the name is added again") {
  Fixture f;
  Sessions sessions(f.users, f.Options());
  Result<Login> login = sessions.LogIn("ann", "ann's password");
  REQUIRE(login.ok());
  UserStore command(f.dir.path(), kTestCost);  // `quire user` beside the server
  REQUIRE(command.Remove("ann").ok());
  REQUIRE(command.Add("ann", Role::kOperator, "ann's password").ok());
  CHECK_FALSE(sessions.Find(login->token).has_value());

  Result<Login> again = sessions.LogIn("ann", "ann's password");
  REQUIRE(again.ok());
  REQUIRE(command.Remove("ann").ok());
  REQUIRE(command.Add("ann", Role::kViewer, "ann's password").ok());
  CHECK_FALSE(sessions.Find(again->token).has_value());  // not an operator any more
}

TEST_CASE("failed logins are slowed down: 1 s after three, doubling to 30 s, reset by success") {
  Fixture f;
  Sessions sessions(f.users, f.Options());
  for (int i = 0; i < 3; ++i) {
    CHECK(sessions.LogIn("ann", "guess").status().code() == Status::Code::kInvalidArgument);
    CHECK(sessions.RetryAfter("ann") == milliseconds(0));
  }
  std::vector<milliseconds> waits;
  for (int i = 0; i < 8; ++i) {
    CHECK(sessions.LogIn("ann", "guess").status().code() == Status::Code::kInvalidArgument);
    waits.push_back(sessions.RetryAfter("ann"));
    // While the wait runs, even the right password is not checked.
    Result<Login> early = sessions.LogIn("ann", "ann's password");
    REQUIRE_FALSE(early.ok());
    CHECK(early.status().code() == Status::Code::kResourceExhausted);
    CHECK_THAT(early.status().message(), Catch::Contains("try again in"));
    f.now += waits.back();
  }
  CHECK(waits == std::vector<milliseconds>{seconds(1), seconds(2), seconds(4), seconds(8),
                                           seconds(16), seconds(30), seconds(30), seconds(30)});
  CHECK(sessions.RetryAfter("bob") == milliseconds(0));  // per user name

  REQUIRE(sessions.LogIn("ann", "ann's password").ok());
  CHECK(sessions.LogIn("ann", "guess").status().code() == Status::Code::kInvalidArgument);
  CHECK(sessions.RetryAfter("ann") == milliseconds(0));  // counting starts again
}

TEST_CASE("unknown user names are slowed down like known ones") {
  Fixture f;
  Sessions sessions(f.users, f.Options());
  for (int i = 0; i < 4; ++i) CHECK_FALSE(sessions.LogIn("mallory", "guess").ok());
  CHECK(sessions.RetryAfter("mallory") == seconds(1));
}

TEST_CASE("sessions are used from many threads at once") {
  Fixture f;
  Sessions sessions(f.users, f.Options());
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        Result<Login> login = sessions.LogIn("ann", "ann's password");
        if (!login.ok()) continue;
        if (sessions.Find(login->token)) ++found;
        sessions.Revoke(login->token);
        if (sessions.Find(login->token)) --found;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(found == 20);
}

}  // namespace
}  // namespace quire::app
