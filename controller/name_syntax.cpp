// The syntax checks behind name_syntax.hpp.
#include "controller/name_syntax.hpp"

#include <arpa/inet.h>

namespace certmill::controller {

bool parses_as_ip(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// A DNS name as a CA takes it: dot-separated labels of letters, digits,
// hyphens and underscores, 1 to 63 bytes each, 253 in all; a wildcard only
// as the whole first label.
std::string dns_name_problem(std::string_view name) {
  if (name.empty())
    return "must not be empty";
  if (name.size() > 253)
    return "must be no more than 253 characters";
  std::size_t index = 0;
  for (std::size_t start = 0; start <= name.size(); ++index) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos)
      end = name.size();
    const std::string_view label = name.substr(start, end - start);
    if (label.empty())
      return "must not have an empty label";
    if (label.size() > 63)
      return "each label must be no more than 63 characters";
    if (label == "*") {
      if (index != 0)
        return "a wildcard may only be the whole first label";
    } else {
      for (char c : label) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!allowed)
          return "must consist of letters, digits, '-' and '_' in dot-separated labels, with "
                 "an optional '*' as the whole first label";
      }
      if (label.front() == '-' || label.back() == '-')
        return "a label must not start or end with '-'";
    }
    start = end + 1;
  }
  return {};
}

// RFC 3986: a scheme, then no spaces or control characters.
bool parses_as_uri(std::string_view uri) {
  const std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = uri[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!(letter || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
      return false;
  }
  for (char c : uri) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return false;
  }
  return true;
}

// Go's net/mail for a bare address: local@domain, nothing around it.
std::string email_problem(std::string_view email) {
  const std::size_t at_sign = email.rfind('@');
  if (email.find('<') != std::string_view::npos || email.find('>') != std::string_view::npos)
    return "invalid email address: make sure the supplied value only contains the email "
           "address itself";
  if (at_sign == std::string_view::npos)
    return "invalid email address: mail: missing '@' or angle-addr";
  if (at_sign == 0)
    return "invalid email address: mail: invalid string";
  if (at_sign + 1 == email.size())
    return "invalid email address: mail: no angle-addr";
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == ',' || c == ';' || c == '(' || c == ')')
      return "invalid email address: mail: expected single address";
  }
  return {};
}

namespace {

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool dns1123_subdomain(std::string_view name) {
  if (name.empty() || name.size() > 253)
    return false;
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos)
      end = name.size();
    const std::string_view label = name.substr(start, end - start);
    if (label.empty() || !lower_alnum(label.front()) || !lower_alnum(label.back()))
      return false;
    for (char c : label)
      if (!lower_alnum(c) && c != '-')
        return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

std::string dns1123_subdomain_problem(std::string_view name) {
  std::string problem;
  if (name.size() > 253)
    problem = "must be no more than 253 characters";
  if (!dns1123_subdomain(name.substr(0, 253))) {
    if (!problem.empty())
      problem += ", ";
    problem +=
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
        "used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  }
  return problem;
}

bool parses_as_nameserver(std::string_view nameserver) {
  while (!nameserver.empty() && nameserver.front() == ' ')
    nameserver.remove_prefix(1);
  while (!nameserver.empty() && nameserver.back() == ' ')
    nameserver.remove_suffix(1);
  std::string_view host = nameserver, port;
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos)
      return false;
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':'))
      return false;
    port = rest.empty() ? rest : rest.substr(1);
    host = host.substr(1, close - 1);
    unsigned char buffer[16];
    if (inet_pton(AF_INET6, std::string(host).c_str(), buffer) != 1)
      return false;
  } else {
    const auto colon = host.rfind(':');
    if (colon != std::string_view::npos) {
      if (host.find(':') != colon)
        return false;  // an IPv6 address without brackets
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    std::string lower(host);
    for (char& c : lower)
      if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
    if (host.empty() || (!parses_as_ip(std::string(host)) && !dns1123_subdomain(lower)))
      return false;
  }
  if (port.size() > 5)
    return false;
  unsigned number = 0;
  for (char c : port) {
    if (c < '0' || c > '9')
      return false;
    number = number * 10 + static_cast<unsigned>(c - '0');
  }
  return number <= 65535;
}

}  // namespace certmill::controller
