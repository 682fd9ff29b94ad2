// Status and Result<T>: how fallible calls report failure across module boundaries.
//
// A Status is either OK (cheap: no allocation) or carries a code and a message meant for the user,
// which says what went wrong and, where possible, what to do about it. Result<T> holds a T or a
// non-OK Status. Neither throws; adapters at each module's edge turn third-party errors
// (cv::Exception, Tesseract's int codes, rocksdb::Status) into these.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace quire {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,           // a file, document or key that does not exist
    kInvalidArgument,    // bad input from the user: unreadable file, bad query, bad option
    kUnsupported,        // a format or feature quire does not handle
    kCorruption,         // stored data that fails its checks
    kIoError,            // the operating system or the database refused an operation
    kResourceExhausted,  // too large, out of memory or disk
    kInternal,           // a bug in quire
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status ResourceExhausted(std::string msg) {
    return Status(Code::kResourceExhausted, std::move(msg));
  }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  const std::string& message() const;
  // "not found: archive has no document 42"
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` ("reading a.pdf: ...").
  Status WithContext(const std::string& context) const;

 private:
  struct State {
    Code code;
    std::string message;
  };
  Status(Code code, std::string msg)
      : state_(std::make_shared<const State>(State{code, std::move(msg)})) {}
  std::shared_ptr<const State> state_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: REQUIRES: !status.ok()

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace quire

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define QUIRE_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::quire::Status quire_status_ = (expr);        \
    if (!quire_status_.ok()) return quire_status_; \
  } while (0)

// Declares (or assigns) `lhs` from the value of `rexpr`, a Result, or returns its non-OK Status
// from the enclosing function: QUIRE_ASSIGN_OR_RETURN(Page page, ReadPage(path));
// A type with a comma (std::map<K, V>) needs an alias, since the macro would split it.
#define QUIRE_ASSIGN_OR_RETURN(lhs, rexpr) \
  QUIRE_ASSIGN_OR_RETURN_IMPL_(QUIRE_CONCAT_(quire_result_, __LINE__), lhs, rexpr)
#define QUIRE_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = (rexpr);                                 \
  if (!result.ok()) return result.status();              \
  lhs = std::move(result).value()
#define QUIRE_CONCAT_(a, b) QUIRE_CONCAT_INNER_(a, b)
#define QUIRE_CONCAT_INNER_(a, b) a##b
