// cert-manager's rfc2136 solver settings (an Issuer's
// spec.acme.solvers[].dns01.rfc2136, with the secret already read from
// tsigSecretSecretRef) checked and turned into what an update needs: the
// server's address, TCP or UDP, and the TSIG key, if any.
#pragma once

#include <optional>
#include <string>

#include "solvers/dns/nameservers.hpp"
#include "solvers/dns/rfc2136/tsig.hpp"

namespace certmill::solvers::rfc2136 {

struct Settings {
  std::string nameserver = {};      // "IP" or "IP:port" ("[IPv6]:port"), port 53 by default
  std::string tsig_key_name = {};   // tsigKeyName
  std::string tsig_algorithm = {};  // tsigAlgorithm: HMACMD5 (default) ... HMACSHA512
  std::string tsig_secret = {};     // the Secret's value, base64 as stored in the Secret
  std::string protocol = {};        // "TCP" or "UDP" (default), as the API spells them
};

enum class Protocol { udp, tcp };

struct Server {
  Nameserver nameserver = {};
  Protocol protocol = Protocol::udp;
  std::optional<TsigKey> key = {};  // as cert-manager: only with both a key name and a secret
};

Result<Server> parse_settings(const Settings& settings);

}  // namespace certmill::solvers::rfc2136
