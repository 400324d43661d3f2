// The error category behind certmill::Errc.
#include "core/error.hpp"

namespace certmill {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "certmill"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::ok:
        return "success";
      case Errc::invalid_json:
        return "invalid JSON";
      case Errc::wrong_type:
        return "wrong JSON type";
      case Errc::missing_field:
        return "required field missing";
      case Errc::invalid_value:
        return "invalid value";
      case Errc::wrong_kind:
        return "wrong apiVersion or kind";
      case Errc::invalid_argument:
        return "invalid argument";
    }
    return "unknown certmill error";
  }
};

}  // namespace

const std::error_category& certmill_category() noexcept {
  static const Category category;
  return category;
}

}  // namespace certmill
