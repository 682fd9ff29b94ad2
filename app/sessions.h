// Sessions: logins to a served archive, and the bearer tokens they hand out.
//
// LogIn checks a user's password against the UserStore and issues a token: 32 random bytes
// (OpenSSL RAND_bytes) in hex, valid for SessionOptions::lifetime. Find answers who holds a
// token, and only while it has not expired and its user still exists with the role and password
// they logged in with: `quire user remove` (or removing and adding the user again with another
// role or password) ends their sessions at once, without the server being told. Tokens live in
// memory only; a restarted server asks everyone to log in again.
//
// Failed logins are slowed down per user name: after `free_failures` failures in a row, each
// further attempt must wait first_delay, doubled with every further failure up to max_delay,
// and is refused unchecked until then; a successful login resets the count. Refusing (rather
// than sleeping) keeps the server's threads free while someone guesses. Unknown names are
// counted and hashed like known ones, so neither the answer nor its time tells which names exist.
//
// Typical use by the server:
//   Result<Login> login = sessions.LogIn(user, password);   // POST /api/login
//   std::optional<Session> who = sessions.Find(token);      // every request: 401 when nullopt
//   if (!Allows(who->role, Role::kOperator)) ...            // 403
//   sessions.Revoke(token);                                 // logout
//
// Thread safety: every method may be called from several threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "quire/common/status.h"
#include "users.h"

namespace quire::app {

struct SessionOptions {
  using Clock = std::chrono::system_clock;

  // How long a token is valid after its login.
  // Default: 12 hours, a working day.
  std::chrono::seconds lifetime = std::chrono::hours(12);

  // Failed logins in a row for one user name before attempts are delayed.
  // Default: 3.
  int free_failures = 3;

  // The wait after the first failure beyond free_failures; doubles with each further one.
  // Default: 1 second.
  std::chrono::milliseconds first_delay = std::chrono::seconds(1);

  // The longest wait between attempts.
  // Default: 30 seconds.
  std::chrono::milliseconds max_delay = std::chrono::seconds(30);

  // The time; tests set their own clock instead of sleeping.
  // Default: the system clock.
  std::function<Clock::time_point()> now = [] { return Clock::now(); };
};

// What a login hands back.
struct Login {
  std::string token;  // 64 hex characters; send as "Authorization: Bearer TOKEN"
  Role role = Role::kViewer;
  SessionOptions::Clock::time_point expires;
};

// Who holds a token.
struct Session {
  std::string user;
  Role role = Role::kViewer;
  SessionOptions::Clock::time_point expires;
};

class Sessions {
 public:
  // `users` must outlive the Sessions.
  explicit Sessions(const UserStore& users, SessionOptions options = {});

  Sessions(const Sessions&) = delete;
  Sessions& operator=(const Sessions&) = delete;

  // Checks `password` and starts a session. Failures, for the server to map:
  //   InvalidArgument    the user or the password is wrong (one message for both)   -> 401
  //   ResourceExhausted  too many failures: the message says how many seconds to wait;
  //                      RetryAfter(user) gives them                                    -> 429
  //   IoError, Corruption  users.json cannot be read                                  -> 500
  Result<Login> LogIn(const std::string& user, std::string_view password);

  // The session of `token`, or nullopt when it is unknown, expired, revoked, or its user was
  // removed or changed since the login.
  std::optional<Session> Find(const std::string& token);

  // Ends the session of `token`; nothing happens for an unknown one.
  void Revoke(const std::string& token);

  // How long `user` must wait before the next login attempt is checked; zero when it may try now.
  std::chrono::milliseconds RetryAfter(const std::string& user);

 private:
  struct Held {
    Session session;
    std::string password_hash;  // the user's at login: a new user of the same name differs
  };
  struct Failures {
    int count = 0;
    SessionOptions::Clock::time_point last;      // the latest failure
    SessionOptions::Clock::time_point next_try;  // attempts before it are refused
  };

  std::chrono::milliseconds WaitLocked(const std::string& user,
                                       SessionOptions::Clock::time_point now) const;
  void CountFailureLocked(const std::string& user, SessionOptions::Clock::time_point now);
  void ForgetOldLocked(SessionOptions::Clock::time_point now);

  const UserStore& users_;
  const SessionOptions options_;
  // A hash of no one's password, checked for unknown names so they take as long as known ones.
  const std::string decoy_hash_;

  std::mutex mu_;
  std::unordered_map<std::string, Held> held_;  // by token; guarded by mu_
  std::map<std::string, Failures> failures_;    // by user name; guarded by mu_
};

}  // namespace quire::app
