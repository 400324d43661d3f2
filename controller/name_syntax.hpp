// The syntax of the names a certificate carries, which cert-manager's webhook
// leaves to the CA: IP addresses, DNS names, URIs and email addresses; and of
// the names an issuer's spec gives (an IngressClass, a nameserver). Each
// problem is said in words a status can carry; empty (or true) when the name
// is fine.
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
// What is wrong with the name of a Kubernetes object that must be a
// lowercase RFC 1123 subdomain (an IngressClass), in the API server's words
// (apimachinery's IsDNS1123Subdomain); empty when it is one.
std::string dns1123_subdomain_problem(std::string_view name);
// Whether `nameserver` is host[:port], the host an IPv4 address, an IPv6
// address in brackets or a host name, the port a number up to 65535 (as
// cert-manager's webhook reads an rfc2136 nameserver).
bool parses_as_nameserver(std::string_view nameserver);

}  // namespace certmill::controller
