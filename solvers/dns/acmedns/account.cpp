// Reading acme-dns accounts and answers with simdjson.
#include "solvers/dns/acmedns/account.hpp"

#include <algorithm>
#include <cctype>

#include <simdjson.h>

namespace certmill::solvers::acmedns {
namespace {

constexpr std::size_t kExcerpt = 200;
constexpr std::string_view kChallengeLabel = "_acme-challenge.";

std::string member(simdjson::dom::object object, std::string_view key) {
  std::string_view text;
  if (object[key].get(text) != simdjson::SUCCESS)
    return {};
  return std::string(text);
}

// Names compare as DNS compares them: without case or a trailing dot.
std::string normal(std::string_view name) {
  std::string out(name);
  while (!out.empty() && out.back() == '.')
    out.pop_back();
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string excerpt(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, kExcerpt))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

Result<Accounts> parse_accounts(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object document;
  if (parser.parse(json.data(), json.size()).get(document) != simdjson::SUCCESS)
    return Error(Errc::invalid_json,
                 "the account is not a JSON object of acme-dns accounts keyed by domain");
  Accounts out;
  for (auto [domain, value] : document) {
    simdjson::dom::object fields;
    if (value.get(fields) != simdjson::SUCCESS)
      return Error(Errc::wrong_type, "the account of " + excerpt(domain) + " is not a JSON object");
    Account account{member(fields, "username"), member(fields, "password"),
                    normal(member(fields, "fulldomain")), member(fields, "subdomain")};
    if (account.username.empty() || account.password.empty() || account.subdomain.empty())
      return Error(Errc::missing_field,
                   "the account of " + excerpt(domain) + " needs username, password and subdomain");
    out[normal(domain)] = std::move(account);
  }
  return out;
}

const Account* account_for(const Accounts& accounts, std::string_view dns_name,
                           std::string_view fqdn) {
  if (dns_name.starts_with("*."))
    dns_name.remove_prefix(2);
  if (const auto it = accounts.find(normal(dns_name)); !dns_name.empty() && it != accounts.end())
    return &it->second;
  const std::string name = normal(fqdn);
  if (name.starts_with(kChallengeLabel)) {
    const auto it = accounts.find(name.substr(kChallengeLabel.size()));
    if (it != accounts.end())
      return &it->second;
  }
  const auto it = std::ranges::find_if(
      accounts, [&](const auto& entry) { return entry.second.fulldomain == name; });
  return it == accounts.end() ? nullptr : &it->second;
}

std::string failure(unsigned status, std::string_view body) {
  std::string why = "HTTP " + std::to_string(status);
  simdjson::dom::parser parser;
  simdjson::dom::object answer;
  if (parser.parse(body.data(), body.size()).get(answer) != simdjson::SUCCESS ||
      member(answer, "error").empty())
    return body.empty() ? why : why + ": " + excerpt(body);
  return why + ": acme-dns: " + excerpt(member(answer, "error"));
}

}  // namespace certmill::solvers::acmedns
