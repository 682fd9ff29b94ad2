// The broker that carries page jobs between an archive and `quire worker` processes: a Redis
// server (streams with consumer groups; XAUTOCLAIM needs Redis 6.2 or later), through hiredis.
//
// A BrokerConnection is one TCP connection, used by one thread at a time. When a command fails on
// the connection (refused, reset, timed out) it returns IoError with a message that names the
// broker and says what to do, and the connection is broken from then on: connect again. An error
// reply from Redis (a wrong type, NOGROUP) is a reply, not a failure of the connection.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "quire/common/status.h"

struct redisContext;

namespace quire::app {

struct BrokerAddress {
  std::string url;  // as given, for messages
  std::string host;
  int port = 6379;
  std::string password;  // empty: no AUTH
  int db = 0;
};

// Reads redis://[:PASSWORD@]HOST[:PORT][/DB]. InvalidArgument, with what a broker URL looks like,
// when `url` is not one.
Result<BrokerAddress> ParseBrokerUrl(const std::string& url);

struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError };
  Type type = Type::kNil;
  std::string str;                   // kString, kStatus, kError
  long long integer = 0;             // kInteger
  std::vector<RedisReply> elements;  // kArray

  bool is_error() const { return type == Type::kError; }
  bool is_nil() const { return type == Type::kNil; }
};

class BrokerConnection {
 public:
  // Connects, authenticates and selects the database; IoError naming the broker and what to do
  // when it cannot be reached. Each command may take up to `timeout` (a blocking read must ask
  // for less).
  static Result<std::unique_ptr<BrokerConnection>> Connect(const BrokerAddress& address,
                                                           std::chrono::milliseconds timeout);
  ~BrokerConnection();
  BrokerConnection(const BrokerConnection&) = delete;
  BrokerConnection& operator=(const BrokerConnection&) = delete;

  // Runs one command: IoError when the connection failed, else Redis' reply, errors included.
  Result<RedisReply> Run(const std::vector<std::string>& args);
  // As Run, with an error reply as an Internal status carrying Redis' message.
  Result<RedisReply> RunOk(const std::vector<std::string>& args);

  const BrokerAddress& address() const { return address_; }

 private:
  BrokerConnection(const BrokerAddress& address, redisContext* context)
      : address_(address), context_(context) {}

  Status Unreachable(const std::string& why) const;

  const BrokerAddress address_;
  redisContext* context_;
  bool broken_ = false;
};

}  // namespace quire::app
