// The kill trial's positive controls: its checks see a fault when there is
// one. In the cluster, a Secret given another Secret's key under Ready=True
// (put back afterwards); in memory, a Secret without its key, one checked
// against another Certificate's names, one against the other issuer's root,
// a request whose certificate changed, a revision signed twice, and a name
// issued fewer certificates than it asked for.
// Header-only; Catch2 assertions.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/trials/kill_trial.hpp"

namespace certmill::test {

// With the controller stopped and the fleet Ready.
inline void kill_trial_positive_controls(KillTrial& trial) {
  KubeSim& sim = trial.sim();
  const auto key_of = [&](const std::string& secret) {
    const boost::json::value s = get(sim, "/api/v1/namespaces/shop/secrets/" + secret);
    return std::string(s.at("data").at("tls.key").as_string());
  };
  const auto set_key = [&](const std::string& key) {
    REQUIRE(request(sim, "PATCH", "/api/v1/namespaces/shop/secrets/ca-0-tls",
                    R"({"data": {"tls.key": ")" + key + "\"}}", "application/merge-patch+json")
                .status == 200);
  };
  const std::string own_key = key_of("ca-0-tls");
  set_key(key_of("ca-1-tls"));
  const auto found = trial.check(false);
  INFO(Catch::Detail::stringify(found));
  REQUIRE(found ==
          std::vector<std::string>{"ca-0: tls.key is not the key of tls.crt under Ready=True"});
  // Put back: the controller would mend it only a minute after its issuance
  // (its bound on re-issuing at once), a minute the CI run cannot spare.
  set_key(own_key);
  REQUIRE(trial.check(false).empty());

  const ClusterSnapshot s = snapshot(sim);
  const auto& fleet = trial.fleet();  // root, ca-0, acme-0, ca-1, ...
  const auto expect = [&](std::size_t i) { return expectation(fleet[i], s, trial.pebble_root()); };
  const auto secret = [&](const std::string& name) { return s.secrets.at(name).as_object(); };
  auto keyless = secret("ca-1-tls");
  keyless["data"].as_object().erase("tls.key");
  CHECK(secret_problems(keyless, expect(3)).at(0).starts_with("half-written"));
  CHECK(secret_problems(secret("ca-1-tls"), expect(1)) ==
        std::vector<std::string>{"tls.crt's DNS names are not the spec's"});
  auto acme_from_ca = expect(2);
  acme_from_ca.root_pem = expect(1).root_pem;
  CHECK(secret_problems(secret("acme-0-tls"), acme_from_ca) ==
        std::vector<std::string>{"tls.crt does not chain to the issuer's root"});

  SignedOnce fresh;
  boost::json::array requests = s.requests;
  REQUIRE(fresh.check(requests).empty());
  auto signed_request = std::find_if(requests.begin(), requests.end(), [](const auto& r) {
    const auto* c = status_field(r, "certificate");
    return c && c->is_string() && !c->as_string().empty();
  });
  REQUIRE(signed_request != requests.end());
  boost::json::value twin = *signed_request;
  twin.at("metadata").as_object()["uid"] = "twin";
  twin.at("metadata").as_object()["name"] = "twin";
  signed_request->at("status").as_object()["certificate"] = "Y2hhbmdlZA==";
  requests.push_back(twin);
  const auto faults = fresh.check(requests);
  INFO(Catch::Detail::stringify(faults));
  CHECK(faults.size() == 2);

  OrderLedger twice;
  twice.ask("acme-0.example.com");
  twice.ask("acme-0.example.com");
  CHECK(twice.read(trial.front()).violations ==
        std::vector<std::string>{
            "acme-0.example.com: 1 certificates issued for 2 issuances asked for"});
}

}  // namespace certmill::test
