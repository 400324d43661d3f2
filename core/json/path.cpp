// Rendering of decoder paths for error messages.
#include "core/json/path.hpp"

#include "core/json/writer.hpp"

namespace certmill::json {
namespace {

bool plain(std::string_view key) {
  if (key.empty())
    return false;
  for (const char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

}  // namespace

void Path::append_to(std::string& out) const {
  if (parent_ == nullptr)
    return;
  parent_->append_to(out);
  if (index_ != kNoIndex) {
    out += "[" + std::to_string(index_) + "]";
  } else if (plain(key_)) {
    if (!out.empty())
      out.push_back('.');
    out += key_;
  } else {
    out.push_back('[');
    append_quoted(out, key_);
    out.push_back(']');
  }
}

std::string Path::str() const {
  std::string out;
  append_to(out);
  return out.empty() ? "(document)" : out;
}

}  // namespace certmill::json
