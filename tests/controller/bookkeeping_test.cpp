// The reconciler's bookkeeping inputs and outputs: which old requests go
// (revisionHistoryLimit), and which Certificates contest a Secret.
#include <catch2/catch.hpp>

#include "controller/owner_index.hpp"
#include "controller/request_history.hpp"
#include "controller/secret_claims.hpp"

using namespace certmill;
using namespace certmill::controller;

namespace {

RequestView request(std::string name, std::optional<int32_t> revision, RequestState state) {
  RequestView r;
  r.name = std::move(name);
  r.revision = revision;
  r.state = state;
  return r;
}

CertificateView certificate(std::string name, std::string secret, bool deleting = false) {
  CertificateView v;
  v.name = std::move(name);
  v.secret_name = std::move(secret);
  v.deleting = deleting;
  return v;
}

}  // namespace

TEST_CASE("revisionHistoryLimit keeps the newest finished requests, 1 when unset") {
  const RequestView r1 = request("web-1", 1, RequestState::Issued);
  const RequestView r2 = request("web-2", 2, RequestState::Failed);
  const RequestView r3 = request("web-3", 3, RequestState::Issued);
  const RequestView r4 = request("web-4", 4, RequestState::Pending);
  const RequestView unnumbered = request("web-x", std::nullopt, RequestState::Issued);
  const std::vector<const RequestView*> owned = {&r3, &unnumbered, &r1, &r4, &r2};
  CHECK(requests_to_prune(owned, std::nullopt) == std::vector<std::string>{"web-1", "web-2"});
  CHECK(requests_to_prune(owned, 1) == std::vector<std::string>{"web-1", "web-2"});
  CHECK(requests_to_prune(owned, 2) == std::vector<std::string>{"web-1"});
  CHECK(requests_to_prune(owned, 5).empty());
  CHECK(requests_to_prune({&r4}, 1).empty());
}

TEST_CASE("Certificates that name the same Secret see each other") {
  const CertificateView web = certificate("web", "shared-tls");
  const CertificateView api = certificate("api", "shared-tls");
  const CertificateView old = certificate("old", "shared-tls", true);
  const CertificateView solo = certificate("solo", "solo-tls");
  const SecretClaims claims({&web, &api, &old, &solo});
  CHECK(claims.others(web) == std::vector<std::string>{"api"});
  CHECK(claims.others(api) == std::vector<std::string>{"web"});
  CHECK(claims.others(solo).empty());
}

TEST_CASE("claims follow the cache: renames, deletions and Certificates being deleted") {
  SecretClaims claims;
  const CertificateView web = certificate("web", "shared-tls");
  const CertificateView api = certificate("api", "shared-tls");
  CHECK(claims.update(nullptr, &web) == std::vector<std::string>{web.namespace_ + "/shared-tls"});
  claims.update(nullptr, &api);
  CHECK(claims.others(web) == std::vector<std::string>{"api"});
  // An unrelated change moves nothing.
  CHECK(claims.update(&api, &api).empty());
  // api moves to its own Secret: both Secrets' claimants changed.
  const CertificateView moved = certificate("api", "api-tls");
  CHECK(claims.update(&api, &moved) ==
        std::vector<std::string>{web.namespace_ + "/shared-tls", web.namespace_ + "/api-tls"});
  CHECK(claims.others(web).empty());
  const auto api_claimants = claims.claimants(web.namespace_ + "/api-tls");
  CHECK(std::vector<std::string>(api_claimants.begin(), api_claimants.end()) ==
        std::vector<std::string>{"api"});
  // Being deleted gives the claim up; deletion of the object changes nothing more.
  const CertificateView deleting = certificate("api", "api-tls", true);
  CHECK(claims.update(&moved, &deleting) == std::vector<std::string>{web.namespace_ + "/api-tls"});
  CHECK(claims.claimants(web.namespace_ + "/api-tls").empty());
  CHECK(claims.update(&deleting, nullptr).empty());
}

TEST_CASE("the owner index maps a uid to its Certificate and its requests") {
  OwnerIndex index;
  const HashedKey a = uid_key("uid-a"), b = uid_key("uid-b");
  CHECK(index.certificate(a) == nullptr);
  CHECK(index.requests(a).empty());

  // A request may arrive before its Certificate, and twice.
  index.add_request(a, "web-1");
  index.add_request(a, "web-1");
  CHECK(index.certificate(a) == nullptr);
  index.add_certificate(a, "web");
  index.add_request(a, "web-2");
  REQUIRE(index.certificate(a) != nullptr);
  CHECK(*index.certificate(a) == "web");
  const auto requests = index.requests(a);
  CHECK(std::vector<std::string>(requests.begin(), requests.end()) ==
        std::vector<std::string>{"web-1", "web-2"});
  CHECK(index.requests(b).empty());

  // An entry goes when neither a Certificate nor a request names it.
  index.drop_certificate(a);
  CHECK(index.certificate(a) == nullptr);
  CHECK(index.size() == 1);
  index.drop_request(a, "web-1");
  index.drop_request(a, "web-9");
  CHECK(index.size() == 1);
  index.drop_request(a, "web-2");
  CHECK(index.size() == 0);
  index.drop_request(a, "web-2");
  index.drop_certificate(a);
  CHECK(index.size() == 0);
}

TEST_CASE("a uid key is empty only for no uid and tells uids apart") {
  CHECK(uid_key("").empty());
  CHECK_FALSE(uid_key("3f1c2a9e-6d0b-4c47-9a51-0e2d8b7c4f10").empty());
  CHECK(uid_key("3f1c2a9e-6d0b-4c47-9a51-0e2d8b7c4f10") ==
        uid_key(std::string("3f1c2a9e-6d0b-4c47-9a51-0e2d8b7c4f10")));
  CHECK(uid_key("3f1c2a9e-6d0b-4c47-9a51-0e2d8b7c4f10") !=
        uid_key("3f1c2a9e-6d0b-4c47-9a51-0e2d8b7c4f11"));
}
