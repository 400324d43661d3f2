// Reading acme-dns accounts and answers with simdjson.
#include "solvers/dns/acmedns/account.hpp"

#include <algorithm>
#include <cctype>

#include <simdjson.h>

#include "solvers/dns/answer_text.hpp"

namespace certmill::solvers::acmedns {
namespace {

constexpr std::string_view kChallengeLabel = "_acme-challenge.";

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
      return Error(Errc::wrong_type,
                   "the account of " + dns::excerpt(domain) + " is not a JSON object");
    Account account{dns::json_member(fields, "username"), dns::json_member(fields, "password"),
                    dns::dns_name_key(dns::json_member(fields, "fulldomain")),
                    dns::json_member(fields, "subdomain")};
    if (account.username.empty() || account.password.empty() || account.subdomain.empty())
      return Error(Errc::missing_field, "the account of " + dns::excerpt(domain) +
                                            " needs username, password and subdomain");
    out[dns::dns_name_key(domain)] = std::move(account);
  }
  return out;
}

const Account* account_for(const Accounts& accounts, std::string_view dns_name,
                           std::string_view fqdn) {
  if (dns_name.starts_with("*."))
    dns_name.remove_prefix(2);
  if (const auto it = accounts.find(dns::dns_name_key(dns_name));
      !dns_name.empty() && it != accounts.end())
    return &it->second;
  const std::string name = dns::dns_name_key(fqdn);
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
      dns::json_member(answer, "error").empty())
    return body.empty() ? why : why + ": " + dns::excerpt(body);
  return why + ": acme-dns: " + dns::excerpt(dns::json_member(answer, "error"));
}

}  // namespace certmill::solvers::acmedns
