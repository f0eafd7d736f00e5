#pragma once
// Result<T>: a value or the diagnostics that prevented it (std::expected is C++23).
#include <utility>
#include <variant>

#include "base/diagnostic.h"

namespace qpod {

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                        // NOLINT: implicit by design
  Result(Diagnostics errors) : v_(std::move(errors)) {}            // NOLINT
  Result(Diagnostic error) : v_(Diagnostics{std::move(error)}) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Diagnostics& errors() const { return std::get<1>(v_); }

 private:
  std::variant<T, Diagnostics> v_;
};

// A step that makes no value: success (`return std::monostate{};`) or its diagnostics.
using Status = Result<std::monostate>;

// Success when `errors` is empty, else those errors: for steps that go on after a failure and
// report every one.
inline Status status_of(Diagnostics errors) {
  if (errors.empty()) return std::monostate{};
  return errors;
}

}  // namespace qpod
