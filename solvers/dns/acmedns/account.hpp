// acme-dns's side of a Challenge, as cert-manager's acmeDNS block keeps it:
// the accountSecretRef holds the accounts that acme-dns's /register handed
// out, as JSON keyed by domain ({"example.test": {"username", "password",
// "fulldomain", "subdomain", "allowfrom"}}), and errors come as
// {"error": "forbidden"}. Pure; hostile documents are errors.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill::solvers::acmedns {

struct Account {
  std::string username;
  std::string password;  // secret: never logged
  std::string fulldomain;
  std::string subdomain;
};

using Accounts = std::map<std::string, Account>;  // by domain, lower case

// The accounts of the Secret's JSON; one without credentials or a subdomain
// is an error that names its domain.
Result<Accounts> parse_accounts(std::string_view json);

// The account for a challenge: by the name validated, a wildcard's without
// "*." ("www.a.test"), as cert-manager looks it up; else by the record's
// domain ("_acme-challenge.www.a.test" -> "www.a.test"); with cnameStrategy
// Follow the record is the end of the CNAME, an account's fulldomain.
const Account* account_for(const Accounts& accounts, std::string_view dns_name,
                           std::string_view fqdn);

// Why an update failed: "HTTP 401: acme-dns: forbidden".
std::string failure(unsigned status, std::string_view body);

}  // namespace certmill::solvers::acmedns
