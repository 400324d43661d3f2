// The syntax of the names a certificate carries, which cert-manager's webhook
// leaves to the CA: IP addresses, DNS names, URIs and email addresses. Each
// problem is said in words a Certificate's status can carry; empty (or true)
// when the name is fine.
#pragma once

#include <string>
#include <string_view>

namespace certmill::controller {

// IPv4 or IPv6, as Go's net.ParseIP reads them.
bool parses_as_ip(const std::string& text);
// What is wrong with a DNS name, completing "a DNS name ...".
std::string dns_name_problem(std::string_view name);
// A scheme, then no spaces or control characters (RFC 3986).
bool parses_as_uri(std::string_view uri);
// What is wrong with a bare email address, in net/mail's words.
std::string email_problem(std::string_view email);

}  // namespace certmill::controller
