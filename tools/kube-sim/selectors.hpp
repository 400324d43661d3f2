// Label and field selectors as kube-apiserver parses them, with its error
// messages for what it rejects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace certmill::kubesim {

struct Requirement {
  enum class Op { equals, not_equals, in, not_in, exists, not_exists };
  std::string key;
  Op op = Op::exists;
  std::vector<std::string> values;
};

struct Selector {
  std::vector<Requirement> requirements;
  bool empty() const { return requirements.empty(); }
};

// On a syntax error returns nothing and sets `error` to the Status message.
std::optional<Selector> parse_label_selector(std::string_view text, std::string& error);
// Field selectors: `path=value`, `path==value`, `path!=value`, comma-separated.
// `allowed` limits the paths (custom resources allow only metadata.name and
// metadata.namespace); empty allows any path.
std::optional<Selector> parse_field_selector(std::string_view text,
                                             const std::vector<std::string>& allowed,
                                             std::string& error);

bool matches_labels(const Selector& s, const boost::json::object& object);
bool matches_fields(const Selector& s, const boost::json::object& object);

}  // namespace certmill::kubesim
