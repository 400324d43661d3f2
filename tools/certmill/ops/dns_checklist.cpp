// The DNS pre-flight's verdicts and checklist.
#include "tools/certmill/ops/dns_checklist.hpp"

#include <algorithm>

namespace certmill::ops {

namespace dns = solvers::dns;

std::string ca_domain_of(std::string_view directory_url) {
  std::string_view host = directory_url;
  if (const auto scheme = host.find("://"); scheme != std::string_view::npos)
    host.remove_prefix(scheme + 3);
  host = host.substr(0, host.find_first_of("/:"));
  // The CAA identifiers their documentation gives.
  static constexpr std::pair<std::string_view, std::string_view> kKnown[] = {
      {"letsencrypt.org", "letsencrypt.org"}, {"zerossl.com", "sectigo.com"},
      {"sectigo.com", "sectigo.com"},         {"pki.goog", "pki.goog"},
      {"buypass.com", "buypass.com"},         {"ssl.com", "ssl.com"},
      {"digicert.com", "digicert.com"}};
  for (const auto& [suffix, domain] : kKnown) {
    if (host == suffix || host.ends_with("." + std::string(suffix)))
      return std::string(domain);
  }
  const auto last = host.rfind('.');
  if (last == std::string_view::npos || last == 0)
    return std::string(host);
  const auto before = host.rfind('.', last - 1);
  return std::string(before == std::string_view::npos ? host : host.substr(before + 1));
}

std::vector<std::string> answer_lines(const dns::Message& answer) {
  if (answer.rcode != 0)
    return {dns::rcode_name(answer.rcode)};
  std::vector<std::string> lines;
  for (const dns::Record& r : answer.answers) {
    if (r.type == static_cast<std::uint16_t>(dns::RecordType::cname))
      lines.push_back("CNAME " + r.data);
    else if (r.type == static_cast<std::uint16_t>(dns::RecordType::txt))
      lines.push_back("TXT \"" + r.data + "\"");
  }
  std::sort(lines.begin(), lines.end());
  if (lines.empty())
    lines.push_back("no records");
  return lines;
}

namespace {

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += (out.empty() ? "" : ", ") + l;
  return out;
}

}  // namespace

CheckItem agreement_item(const std::vector<ServerAnswer>& servers, std::string_view challenge) {
  CheckItem item{.ok = !servers.empty(),
                 .title = "the authoritative servers agree on the SOA serial and on " +
                          std::string(challenge) + " TXT",
                 .details = {}};
  for (const ServerAnswer& s : servers) {
    if (!s.error.empty()) {
      item.ok = false;
      item.details.push_back(s.server + ": " + s.error);
      continue;
    }
    const ServerAnswer& first = servers.front();
    if (!first.error.empty() || s.serial != first.serial || s.challenge != first.challenge)
      item.ok = false;
    item.details.push_back(s.server + ": serial " +
                           (s.serial ? std::to_string(*s.serial) : std::string("none")) + "; " +
                           joined(s.challenge));
  }
  if (servers.empty())
    item.details.push_back("no authoritative server to ask");
  else if (!item.ok)
    item.details.push_back(
        "a server that differs has not caught up (zone transfer) or serves other data: the CA "
        "may ask any of them");
  return item;
}

std::string format_checklist(const std::vector<CheckItem>& items, bool terminal,
                             const Paint& paint) {
  std::string out;
  for (const CheckItem& item : items) {
    const std::string mark = item.ok ? (terminal ? "✓" : "[ok]  ") : (terminal ? "✗" : "[FAIL]");
    out += paint(item.ok ? Colour::green : Colour::red, mark) + " " + item.title + "\n";
    const std::string indent(terminal ? 2 : 7, ' ');
    for (const std::string& d : item.details)
      out += indent + d + "\n";
  }
  return out;
}

}  // namespace certmill::ops
