// Checking cert-manager's rfc2136 settings, with its defaults.
#include "solvers/dns/rfc2136/settings.hpp"

#include "core/base64.hpp"

namespace certmill::solvers::rfc2136 {

Result<Server> parse_settings(const Settings& settings) {
  Server server;
  auto nameservers = parse_nameservers(settings.nameserver);
  if (!nameservers)
    return Error(nameservers.error().code(),
                 "rfc2136.nameserver: " + nameservers.error().message());
  if (nameservers->size() != 1)
    return Error(Errc::invalid_value, "rfc2136.nameserver: expected one IP or IP:port, got \"" +
                                          settings.nameserver + "\"");
  server.nameserver = nameservers->front();

  if (settings.protocol == "TCP")
    server.protocol = Protocol::tcp;
  else if (settings.protocol.empty() || settings.protocol == "UDP")
    server.protocol = Protocol::udp;
  else
    return Error(Errc::invalid_value,
                 "rfc2136.protocol: \"" + settings.protocol + "\" is not TCP or UDP");

  auto algorithm = parse_tsig_algorithm(settings.tsig_algorithm);
  if (!algorithm)
    return Error(algorithm.error().code(), "rfc2136.tsigAlgorithm: " + algorithm.error().message());
  if (settings.tsig_key_name.empty() || settings.tsig_secret.empty())
    return server;
  auto secret = base64_decode(settings.tsig_secret);
  if (!secret)
    return Error(secret.error().code(), "rfc2136.tsigSecretSecretRef: the secret is not base64: " +
                                            secret.error().message());
  if (auto name = encode_name(settings.tsig_key_name); !name)
    return Error(name.error().code(), "rfc2136.tsigKeyName: " + name.error().message());
  server.key = TsigKey{settings.tsig_key_name, *algorithm, std::move(*secret)};
  return server;
}

}  // namespace certmill::solvers::rfc2136
