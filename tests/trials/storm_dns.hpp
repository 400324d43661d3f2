// The fault storm's DNS weather (issue #25): BIND serves example.test, where
// every fourth ACME Certificate of the storm's fleet is proven by DNS-01
// (rfc2136 with TSIG), and every way the controller has to it goes through a
// relay at 127.0.0.2 that misbehaves: the dynamic updates, and the
// propagation checks on the recursive nameserver and on the zone's
// authoritative one (its NS record names the relay). While the storm blows,
// the relay answers every 7th query SERVFAIL itself, drops every 11th, and
// holds every 5th 400 ms, stalling what comes behind it as a lagging server
// does. Pebble takes every challenge as valid, so the controller's own
// checks are the only DNS reads. Header-only.
#pragma once

#include <string>

#include "core/base64.hpp"
#include "tests/support/named_server.hpp"
#include "tests/support/udp_relay.hpp"
#include "tests/trials/kill_trial.hpp"

namespace certmill::test {

class StormDns {
 public:
  static constexpr int kEvery = 4;  // of the ACME Certificates, by DNS-01

  // The ClusterIssuer's solver for example.test, its TSIG Secret (in the
  // cluster resource namespace) and the controller's DNS settings.
  TrialDns01 trial() const {
    const NamedKey& key = named_.keys[2];  // hmac-sha256
    const std::string relay = "127.0.0.2:" + std::to_string(named_.port);
    TrialDns01 dns01;
    dns01.every = kEvery;
    dns01.solver =
        "    - selector:\n        dnsZones: [example.test]\n      dns01:\n"
        "        rfc2136:\n          nameserver: " +
        relay + "\n          tsigKeyName: " + key.name +
        "\n          tsigAlgorithm: " + key.cert_manager_algorithm +
        "\n          tsigSecretSecretRef:\n            name: storm-tsig\n"
        "            key: key\n";
    dns01.manifests =
        "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: storm-tsig\n"
        "  namespace: kube-system\ndata:\n  key: " +
        base64_encode(key.secret) + "\n";
    dns01.flags = "--dns01-recursive-nameservers=" + relay +
                  " --dns01-authoritative-port=" + std::to_string(named_.port);
    return dns01;
  }

  void blow() {
    relay_.set_faults({.servfail_every = 7, .drop_every = 11, .delay_every = 5, .delay_ms = 400});
  }
  void calm() { relay_.set_faults({}); }
  UdpRelay::Counts counts() const { return relay_.counts(); }

 private:
  NamedServer named_{NamedOptions{.ns_addresses = {"127.0.0.2"}}};
  UdpRelay relay_{"127.0.0.2", named_.port, named_.port};
};

}  // namespace certmill::test
