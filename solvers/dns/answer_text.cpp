// Members, excerpts and name keys for the providers' answer readers.
#include "solvers/dns/answer_text.hpp"

namespace certmill::solvers::dns {

std::string json_member(simdjson::dom::object object, std::string_view key) {
  std::string_view text;
  if (object[key].get(text) != simdjson::SUCCESS)
    return {};
  return std::string(text);
}

std::string excerpt(std::string_view text, std::size_t limit) {
  std::string out;
  for (char c : text.substr(0, limit))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

std::string_view first_line(std::string_view text) {
  return text.substr(0, text.find_first_of("\r\n"));
}

std::string dns_name_key(std::string_view name) {
  while (name.ends_with('.'))
    name.remove_suffix(1);
  std::string out;
  for (char c : name)
    out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

}  // namespace certmill::solvers::dns
