#include "sessions.h"

#include <algorithm>

namespace quire::app {
namespace {

using Clock = SessionOptions::Clock;
using std::chrono::milliseconds;

constexpr size_t kTokenBytes = 32;
// Failure counts kept before old ones are forgotten, so that guessing with made-up names cannot
// grow the table without bound.
constexpr size_t kMaxFailureEntries = 10000;
// A name without failures for this long starts again from zero.
constexpr auto kFailureMemory = std::chrono::hours(1);

std::string DecoyHash(const ScryptCost& cost) {
  Result<std::string> hash = HashPassword("no one's password", cost);
  return hash.ok() ? *hash : std::string();
}

}  // namespace

Sessions::Sessions(const UserStore& users, SessionOptions options)
    : users_(users), options_(std::move(options)), decoy_hash_(DecoyHash(users.cost())) {}

milliseconds Sessions::WaitLocked(const std::string& user, Clock::time_point now) const {
  const auto it = failures_.find(user);
  if (it == failures_.end() || it->second.next_try <= now) return milliseconds(0);
  return std::chrono::ceil<milliseconds>(it->second.next_try - now);
}

void Sessions::CountFailureLocked(const std::string& user, Clock::time_point now) {
  if (failures_.size() >= kMaxFailureEntries) ForgetOldLocked(now);
  Failures& f = failures_[user];
  if (now - f.last > kFailureMemory) f.count = 0;
  ++f.count;
  f.last = now;
  f.next_try = now;
  const int delayed = f.count - options_.free_failures;  // 1 for the first delayed failure
  if (delayed > 0) {
    milliseconds delay = options_.first_delay;
    for (int i = 1; i < delayed && delay < options_.max_delay; ++i) delay *= 2;
    f.next_try = now + std::min(delay, options_.max_delay);
  }
}

void Sessions::ForgetOldLocked(Clock::time_point now) {
  std::erase_if(failures_,
                [&](const auto& entry) { return now - entry.second.last > kFailureMemory; });
  if (failures_.size() >= kMaxFailureEntries) failures_.clear();  // a flood of made-up names
  std::erase_if(held_, [&](const auto& entry) { return entry.second.session.expires <= now; });
}

Result<Login> Sessions::LogIn(const std::string& user, std::string_view password) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const milliseconds wait = WaitLocked(user, options_.now());
    if (wait.count() > 0) {
      const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
      return Status::ResourceExhausted("too many failed logins for " + user + "; try again in " +
                                       std::to_string(seconds) + " s");
    }
  }
  // The password check takes a tenth of a second: outside the lock, so logins run in parallel.
  QUIRE_ASSIGN_OR_RETURN(std::optional<User> found, users_.Find(user));
  const bool matches = PasswordMatches(password, found ? found->password_hash : decoy_hash_);

  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = options_.now();
  if (!found || !matches) {
    CountFailureLocked(user, now);
    return Status::InvalidArgument("the user name or the password is wrong");
  }
  failures_.erase(user);
  ForgetOldLocked(now);
  QUIRE_ASSIGN_OR_RETURN(std::string token, RandomHex(kTokenBytes));
  const Session session{user, found->role, now + options_.lifetime};
  held_[token] = Held{session, found->password_hash};
  return Login{token, session.role, session.expires};
}

std::optional<Session> Sessions::Find(const std::string& token) {
  std::optional<Held> held;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = held_.find(token);
    if (it == held_.end()) return std::nullopt;
    if (it->second.session.expires <= options_.now()) {
      held_.erase(it);
      return std::nullopt;
    }
    held = it->second;
  }
  // users.json may have changed since the login: the user removed, or added again.
  Result<std::optional<User>> user = users_.Find(held->session.user);
  const bool current = user.ok() && user->has_value() && (*user)->role == held->session.role &&
                       (*user)->password_hash == held->password_hash;
  if (current) return held->session;
  if (user.ok()) Revoke(token);  // an unreadable file may be mended; a removed user is gone
  return std::nullopt;
}

void Sessions::Revoke(const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  held_.erase(token);
}

milliseconds Sessions::RetryAfter(const std::string& user) {
  std::lock_guard<std::mutex> lock(mu_);
  return WaitLocked(user, options_.now());
}

}  // namespace quire::app
