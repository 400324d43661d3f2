// Result<T>: a value or an Error, the return type of every fallible function.
// (std::expected is C++23; libstdc++ 12 does not have it in C++20 mode.)
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace certmill {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return assert(ok()), std::get<0>(v_); }
  const T& value() const& { return assert(ok()), std::get<0>(v_); }
  T&& value() && { return assert(ok()), std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return assert(!ok()), std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Success, or an Error: for operations that return nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const { return assert(failed_), error_; }

 private:
  Error error_{Errc::ok, {}};
  bool failed_ = false;
};

}  // namespace certmill
