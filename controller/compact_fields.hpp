// Field types for cached objects, each smaller than the standard type it
// stands for:
//   Boxed<T>        a value kept out of line and only when it is not empty
//   CompactText     an optional string that is usually one of a few
//                   well-known values (reasons, issuer kinds and groups)
//   PackedOptional  an optional time or duration without the flag
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace certmill::controller {

// One pointer in the object that holds it, deep copies, and equality by value
// (absent equals empty). For the fields most cached objects leave unset.
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

// An optional string in one pointer: a well-known value (a condition reason
// certmill writes, "Issuer", "ClusterIssuer", "cert-manager.io", "true", the
// empty string) points at a constant shared by every object; any other value
// is kept out of line. Reads like std::optional<std::string>.
class CompactText {
 public:
  CompactText() = default;  // absent
  CompactText(std::nullopt_t) {}
  CompactText(std::string_view text);
  CompactText(const std::string& text) : CompactText(std::string_view(text)) {}
  CompactText(const char* text) : CompactText(std::string_view(text)) {}
  CompactText(const std::optional<std::string>& text) {
    if (text)
      *this = CompactText(std::string_view(*text));
  }
  CompactText(const CompactText& other) : bits_(other.owned() ? own(other.str()) : other.bits_) {}
  CompactText(CompactText&& other) noexcept : bits_(std::exchange(other.bits_, 0)) {}
  CompactText& operator=(const CompactText& other) {
    if (this != &other)
      *this = CompactText(other);
    return *this;
  }
  CompactText& operator=(CompactText&& other) noexcept {
    if (this != &other) {
      release();
      bits_ = std::exchange(other.bits_, 0);
    }
    return *this;
  }
  ~CompactText() { release(); }

  bool has_value() const { return bits_ != 0; }
  explicit operator bool() const { return has_value(); }
  // The text; empty when absent.
  const std::string& str() const { return bits_ ? *pointer() : none(); }
  const std::string& operator*() const { return str(); }
  const std::string* operator->() const { return &str(); }
  bool empty() const { return str().empty(); }
  // Kept out of line rather than shared.
  bool out_of_line() const { return owned(); }

  friend bool operator==(const CompactText& a, const CompactText& b) {
    return a.has_value() == b.has_value() && a.str() == b.str();
  }
  friend bool operator==(const CompactText& a, std::string_view b) {
    return a.has_value() && a.str() == b;
  }
  friend bool operator==(const CompactText& a, const std::string& b) {
    return a == std::string_view(b);
  }
  friend bool operator==(const CompactText& a, const char* b) { return a == std::string_view(b); }

 private:
  static constexpr uintptr_t owned_bit = 1;
  bool owned() const { return (bits_ & owned_bit) != 0; }
  const std::string* pointer() const {
    return reinterpret_cast<const std::string*>(bits_ & ~owned_bit);
  }
  static uintptr_t own(std::string_view text) {
    return reinterpret_cast<uintptr_t>(new std::string(text)) | owned_bit;
  }
  void release() {
    if (owned())
      delete pointer();
    bits_ = 0;
  }
  static const std::string& none();

  // 0: absent; a shared constant's address; or an owned string's address | 1.
  uintptr_t bits_ = 0;
};

// std::optional<T> in sizeof(T) for a T whose min() no API value reaches (a
// time in seconds, a duration in nanoseconds): min() means absent. Converts
// to and from std::optional<T> and compares with it.
template <class T>
class PackedOptional {
 public:
  constexpr PackedOptional() = default;
  constexpr PackedOptional(std::nullopt_t) {}
  constexpr PackedOptional(T value) : value_(value) {}
  constexpr PackedOptional(const std::optional<T>& value) : value_(value ? *value : T::min()) {}

  constexpr bool has_value() const { return value_ != T::min(); }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr const T& operator*() const { return value_; }
  constexpr const T* operator->() const { return &value_; }
  constexpr T value_or(T fallback) const { return has_value() ? value_ : fallback; }
  constexpr void reset() { value_ = T::min(); }
  constexpr operator std::optional<T>() const {
    return has_value() ? std::optional<T>(value_) : std::nullopt;
  }

  friend constexpr bool operator==(const PackedOptional&, const PackedOptional&) = default;
  friend constexpr bool operator==(const PackedOptional& a, const std::optional<T>& b) {
    return a.has_value() ? b && *b == a.value_ : !b;
  }
  // A plain value of T or of a type comparable with it (hours with a
  // Duration): equal when present and the same.
  template <class U, class = std::enable_if_t<std::is_convertible_v<const U&, T>>>
  friend constexpr bool operator==(const PackedOptional& a, const U& b) {
    return a.has_value() && a.value_ == b;
  }

 private:
  T value_ = T::min();
};

namespace detail {

// The values CompactText shares: what certmill writes itself.
inline const std::string* known_text(std::string_view text) {
  static const std::string known[] = {
      "",
      "true",
      "Issuer",
      "ClusterIssuer",
      "cert-manager.io",
      "Ready",
      "Issuing",
      "Issued",
      "Pending",
      "Failed",
      "Denied",
      "Renewing",
      "Expired",
      "DoesNotExist",
      "MissingData",
      "InvalidKeyPair",
      "InvalidCertificate",
      "InvalidCertificateRequest",
      "IncorrectIssuer",
      "IncorrectCertificate",
      "SecretMismatch",
      "RequestChanged",
      "SecretManagedMetadataMismatch",
      "SecretTemplateMismatch",
      "AdditionalOutputFormatsMismatch",
      "DuplicateSecretName",
      "InvalidPrivateKeySpec",
      "InvalidIssuerKind",
      "IssuerNotFound",
      "IssuerNotReady",
      "KeyPairVerified",
      "ErrGetKeyPair",
      "ErrInvalidKeyPair",
      "IsReady",
      "ConfigError",
  };
  for (const std::string& k : known) {
    if (k == text)
      return &k;
  }
  return nullptr;
}

}  // namespace detail

inline CompactText::CompactText(std::string_view text) {
  const std::string* shared = detail::known_text(text);
  bits_ = shared ? reinterpret_cast<uintptr_t>(shared) : own(text);
}

inline const std::string& CompactText::none() {
  static const std::string empty;
  return empty;
}

}  // namespace certmill::controller
