// A value kept out of line and only when it is not empty: one pointer in the
// object that holds it, deep copies, and equality by value (absent equals
// empty). For the fields most cached objects leave unset.
#pragma once

#include <memory>

namespace certmill::controller {

template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other)
      value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;

  const T& get() const { return value_ ? *value_ : empty(); }
  T& edit() {
    if (!value_)
      value_ = std::make_unique<T>();
    return *value_;
  }
  // Drops the box when what it holds became empty again.
  void shrink() {
    if (value_ && *value_ == empty())
      value_.reset();
  }

  bool operator==(const Boxed& other) const { return get() == other.get(); }

 private:
  static const T& empty() {
    static const T value{};
    return value;
  }
  std::unique_ptr<T> value_;
};

}  // namespace certmill::controller
