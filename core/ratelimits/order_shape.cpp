// Keys an order is counted under, as Let's Encrypt counts them.
#include "core/ratelimits/order_shape.hpp"

#include <algorithm>
#include <cctype>

namespace certmill::ratelimits {
namespace {

std::string normalised(std::string_view value) {
  std::string out(value);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!out.empty() && out.back() == '.')
    out.pop_back();
  return out;
}

void sort_unique(std::vector<std::string>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

}  // namespace

std::string exact_set_key(const std::vector<acme::Identifier>& identifiers) {
  std::vector<std::string> names;
  names.reserve(identifiers.size());
  for (const acme::Identifier& id : identifiers)
    names.push_back(normalised(id.value));
  sort_unique(names);
  std::string key;
  for (const std::string& name : names)
    key += (key.empty() ? "" : ",") + name;
  return key;
}

std::string authorization_key(const acme::Identifier& identifier) {
  std::string value = normalised(identifier.value);
  if (value.starts_with("*."))
    value.erase(0, 2);
  return identifier.type + ":" + value;
}

OrderShape order_shape(const std::vector<acme::Identifier>& identifiers,
                       const PublicSuffixList& suffixes, bool replaces, bool renewal) {
  OrderShape shape;
  shape.exact_set = exact_set_key(identifiers);
  for (const acme::Identifier& id : identifiers) {
    shape.registered_domains.push_back(suffixes.registered_domain(id.type, id.value));
    shape.identifiers.push_back(authorization_key(id));
  }
  sort_unique(shape.registered_domains);
  sort_unique(shape.identifiers);
  shape.replaces = replaces;
  shape.renewal = renewal;
  return shape;
}

}  // namespace certmill::ratelimits
