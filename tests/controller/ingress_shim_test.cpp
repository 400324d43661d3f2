// ingress-shim: an annotated Ingress → the Certificates it owns, each
// annotation of cert-manager's certificate-shim, and what a bad one does.
#include "controller/ingress_shim.hpp"

#include <catch2/catch.hpp>

#include "tests/controller/fixtures.hpp"

using namespace certmill;
using namespace certmill::controller;
using std::chrono::hours;

namespace {

api::Ingress ingress(api::StringMap annotations) {
  api::Ingress ing;
  ing.metadata.namespace_ = "apps";
  ing.metadata.name = "shop";
  ing.metadata.uid = "5d2c7e1a-1b2c-4d3e-8f90-a1b2c3d4e5f6";
  ing.metadata.labels = {{"app", "shop"}};
  ing.metadata.annotations = std::move(annotations);
  ing.spec.tls = {{{"shop.example.com", "www.shop.example.com"}, "shop-tls"},
                  {{"10.0.0.5", "api.shop.example.com"}, "api-tls"}};
  return ing;
}

api::StringMap with(api::StringMap base, const std::string& key, const std::string& value) {
  base["cert-manager.io/" + key] = value;
  return base;
}

const api::StringMap cluster_issuer = {{"cert-manager.io/cluster-issuer", "letsencrypt"}};

}  // namespace

TEST_CASE("an Ingress with cert-manager.io/cluster-issuer gets one Certificate per TLS entry") {
  const ShimResult r = ingress_certificates(ingress(cluster_issuer), {});
  CHECK(r.managed);
  CHECK(r.valid);
  CHECK(r.events.empty());
  REQUIRE(r.certificates.size() == 2);
  const api::Certificate& shop = r.certificates[0];
  CHECK(shop.metadata.name == "shop-tls");
  CHECK(shop.metadata.namespace_ == "apps");
  CHECK(shop.metadata.labels == api::StringMap{{"app", "shop"}});
  CHECK(shop.metadata.owner_references ==
        std::vector<api::OwnerReference>{{"networking.k8s.io/v1", "Ingress", "shop",
                                          "5d2c7e1a-1b2c-4d3e-8f90-a1b2c3d4e5f6", true, true}});
  CHECK(shop.spec.secret_name == "shop-tls");
  CHECK(shop.spec.dns_names ==
        std::vector<std::string>{"shop.example.com", "www.shop.example.com"});
  CHECK(shop.spec.issuer_ref == api::IssuerRef{"letsencrypt", "ClusterIssuer", "cert-manager.io"});
  CHECK(shop.spec.usages == std::vector<api::KeyUsage>{api::KeyUsage::DigitalSignature,
                                                       api::KeyUsage::KeyEncipherment});
  const api::Certificate& api_crt = r.certificates[1];
  CHECK(api_crt.spec.ip_addresses == std::vector<std::string>{"10.0.0.5"});
  CHECK(api_crt.spec.dns_names == std::vector<std::string>{"api.shop.example.com"});
}

TEST_CASE("each certificate-shim annotation sets its Certificate field") {
  struct Row {
    const char* annotation;
    const char* value;
    bool (*check)(const api::CertificateSpec&);
  };
  const Row rows[] = {
      {"common-name", "shop.example.com",
       [](const api::CertificateSpec& s) { return s.common_name == "shop.example.com"; }},
      {"email-sans", "ops@example.com,sec@example.com",
       [](const api::CertificateSpec& s) {
         return s.email_addresses == std::vector<std::string>{"ops@example.com", "sec@example.com"};
       }},
      {"subject-organizations", "\"Shop, Inc.\",Other",
       [](const api::CertificateSpec& s) {
         return s.subject &&
                s.subject->organizations == std::vector<std::string>{"Shop, Inc.", "Other"};
       }},
      {"subject-countries", "DE",
       [](const api::CertificateSpec& s) {
         return s.subject && s.subject->countries == std::vector<std::string>{"DE"};
       }},
      {"subject-serialnumber", "42",
       [](const api::CertificateSpec& s) { return s.subject && s.subject->serial_number == "42"; }},
      {"duration", "2160h",
       [](const api::CertificateSpec& s) { return s.duration == std::chrono::hours(2160); }},
      {"renew-before", "360h",
       [](const api::CertificateSpec& s) { return s.renew_before == std::chrono::hours(360); }},
      {"renew-before-percentage", "25",
       [](const api::CertificateSpec& s) { return s.renew_before_percentage == 25; }},
      {"usages", "digital signature, key encipherment,server auth",
       [](const api::CertificateSpec& s) {
         return s.usages == std::vector<api::KeyUsage>{api::KeyUsage::DigitalSignature,
                                                       api::KeyUsage::KeyEncipherment,
                                                       api::KeyUsage::ServerAuth};
       }},
      {"revision-history-limit", "7",
       [](const api::CertificateSpec& s) { return s.revision_history_limit == 7; }},
      {"private-key-algorithm", "ECDSA",
       [](const api::CertificateSpec& s) {
         return s.private_key && s.private_key->algorithm == api::PrivateKeyAlgorithm::ECDSA;
       }},
      {"private-key-encoding", "PKCS8",
       [](const api::CertificateSpec& s) {
         return s.private_key && s.private_key->encoding == api::PrivateKeyEncoding::PKCS8;
       }},
      {"private-key-size", "4096",
       [](const api::CertificateSpec& s) { return s.private_key && s.private_key->size == 4096; }},
      {"private-key-rotation-policy", "Never",
       [](const api::CertificateSpec& s) {
         return s.private_key && s.private_key->rotation_policy == api::RotationPolicy::Never;
       }},
  };
  for (const Row& row : rows) {
    const ShimResult r =
        ingress_certificates(ingress(with(cluster_issuer, row.annotation, row.value)), {});
    INFO(row.annotation << ": " << row.value);
    REQUIRE(r.valid);
    REQUIRE(r.certificates.size() == 2);
    CHECK(row.check(r.certificates[0].spec));
    CHECK(row.check(r.certificates[1].spec));
  }
  // An ECDSA size is judged against the algorithm annotation beside it.
  api::StringMap ec = with(cluster_issuer, "private-key-algorithm", "ECDSA");
  CHECK(ingress_certificates(ingress(with(ec, "private-key-size", "384")), {}).valid);
  CHECK_FALSE(ingress_certificates(ingress(with(ec, "private-key-size", "4096")), {}).valid);
}

TEST_CASE("a malformed annotation is one BadConfig Event, and no Certificate is touched") {
  struct Row {
    const char* annotation;
    const char* value;
    const char* message;  // a prefix
  };
  const Row rows[] = {
      {"duration", "90 days", "invalid ingress annotation \"cert-manager.io/duration\": "},
      {"renew-before", "soon", "invalid ingress annotation \"cert-manager.io/renew-before\": "},
      {"renew-before-percentage", "150",
       "invalid ingress annotation \"cert-manager.io/renew-before-percentage\": "},
      {"usages", "digital signature,digital signing",
       "invalid ingress annotation \"cert-manager.io/usages\": invalid key usage name \"digital "
       "signing\""},
      {"revision-history-limit", "0",
       "invalid ingress annotation \"cert-manager.io/revision-history-limit\": revision history "
       "limit must be a positive number \"0\""},
      {"private-key-algorithm", "DSA",
       "invalid ingress annotation \"cert-manager.io/private-key-algorithm\": invalid private key "
       "algorithm \"DSA\""},
      {"private-key-encoding", "DER",
       "invalid ingress annotation \"cert-manager.io/private-key-encoding\": invalid private key "
       "encoding \"DER\""},
      {"private-key-size", "1024",
       "invalid ingress annotation \"cert-manager.io/private-key-size\": invalid private key size "
       "for RSA algorithm \"1024\""},
      {"private-key-rotation-policy", "Sometimes",
       "invalid ingress annotation \"cert-manager.io/private-key-rotation-policy\": invalid "
       "private key rotation policy \"Sometimes\""},
      {"subject-organizations", "\"Shop",
       "invalid ingress annotation \"cert-manager.io/subject-organizations\": "},
  };
  for (const Row& row : rows) {
    const ShimResult r =
        ingress_certificates(ingress(with(cluster_issuer, row.annotation, row.value)), {});
    INFO(row.annotation << ": " << row.value);
    CHECK(r.managed);
    CHECK_FALSE(r.valid);
    CHECK(r.certificates.empty());
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].type == "Warning");
    CHECK(r.events[0].reason == "BadConfig");
    CHECK(r.events[0].message.rfind(row.message, 0) == 0);
    // The plan for a broken Ingress keeps its existing Certificates.
    CertificateView owned;
    owned.name = "shop-tls";
    owned.owner_uid = uid_key("5d2c7e1a-1b2c-4d3e-8f90-a1b2c3d4e5f6");
    const ShimPlan plan = plan_shim(r, owned.owner_uid, {&owned});
    CHECK(plan.create.empty());
    CHECK(plan.remove.empty());
  }
  // Other Ingresses are unaffected by one's mistake.
  CHECK(ingress_certificates(ingress(cluster_issuer), {}).certificates.size() == 2);
}

TEST_CASE("the issuer annotations, their conflicts, and kubernetes.io/tls-acme") {
  struct Row {
    const char* behaviour;
    api::StringMap annotations;
    ShimDefaults defaults;
    bool managed;
    std::optional<api::IssuerRef> issuer;
    const char* error;
  };
  const ShimDefaults le{{"letsencrypt", "ClusterIssuer", "cert-manager.io"}};
  const Row rows[] = {
      {"cert-manager.io/issuer",
       {{"cert-manager.io/issuer", "ca"}},
       {},
       true,
       api::IssuerRef{"ca", "Issuer", "cert-manager.io"},
       ""},
      {"an external issuer",
       {{"cert-manager.io/issuer", "vault"},
        {"cert-manager.io/issuer-kind", "VaultIssuer"},
        {"cert-manager.io/issuer-group", "example.com"}},
       {},
       true,
       api::IssuerRef{"vault", "VaultIssuer", "example.com"},
       ""},
      {"no annotation", {}, {}, false, std::nullopt, ""},
      {"tls-acme without a default issuer",
       {{"kubernetes.io/tls-acme", "true"}},
       {},
       false,
       std::nullopt,
       ""},
      {"tls-acme with a default issuer",
       {{"kubernetes.io/tls-acme", "true"}},
       le,
       true,
       le.issuer,
       ""},
      {"issuer and cluster-issuer",
       {{"cert-manager.io/issuer", "a"}, {"cert-manager.io/cluster-issuer", "b"}},
       {},
       true,
       std::nullopt,
       "Could not determine issuer for ingress due to bad annotations: both "
       "\"cert-manager.io/issuer\" and \"cert-manager.io/cluster-issuer\" may not be set"},
      {"cluster-issuer and issuer-kind",
       {{"cert-manager.io/cluster-issuer", "b"}, {"cert-manager.io/issuer-kind", "Issuer"}},
       {},
       true,
       std::nullopt,
       "Could not determine issuer for ingress due to bad annotations: both "
       "\"cert-manager.io/cluster-issuer\" and \"cert-manager.io/issuer-kind\" may not be set"},
  };
  for (const Row& row : rows) {
    const ShimResult r = ingress_certificates(ingress(row.annotations), row.defaults);
    INFO(row.behaviour);
    CHECK(r.managed == row.managed);
    if (row.issuer) {
      REQUIRE(r.certificates.size() == 2);
      CHECK(r.certificates[0].spec.issuer_ref == *row.issuer);
    } else {
      CHECK(r.certificates.empty());
    }
    if (*row.error) {
      CHECK_FALSE(r.valid);
      REQUIRE(r.events.size() == 1);
      CHECK(r.events[0].message == row.error);
    }
  }
}

TEST_CASE("auto-certificate-annotations replace kubernetes.io/tls-acme, read as Go booleans") {
  ShimDefaults defaults{{"letsencrypt", "ClusterIssuer", "cert-manager.io"}};
  defaults.auto_annotations = {"example.com/want-tls", "kubernetes.io/tls-acme"};
  struct Row {
    api::StringMap annotations;
    bool managed;
  };
  const Row rows[] = {
      {{{"example.com/want-tls", "true"}}, true},
      {{{"kubernetes.io/tls-acme", "true"}}, true},
      {{{"example.com/want-tls", "false"}, {"kubernetes.io/tls-acme", "1"}}, true},
      {{{"example.com/want-tls", "no"}, {"kubernetes.io/tls-acme", "yes"}}, false},
      {{{"example.com/other", "true"}}, false},
      {{}, false},
  };
  for (std::size_t i = 0; i < std::size(rows); ++i) {
    const ShimResult r = ingress_certificates(ingress(rows[i].annotations), defaults);
    INFO("row " << i);
    CHECK(r.managed == rows[i].managed);
    REQUIRE(r.certificates.size() == (rows[i].managed ? 2u : 0u));
    if (rows[i].managed)
      CHECK(r.certificates[0].spec.issuer_ref == defaults.issuer);
  }
  // A list without tls-acme turns tls-acme off; an empty list turns the
  // default issuer's annotations off altogether.
  defaults.auto_annotations = {"example.com/want-tls"};
  CHECK_FALSE(
      ingress_certificates(ingress({{"kubernetes.io/tls-acme", "true"}}), defaults).managed);
  defaults.auto_annotations = {};
  CHECK_FALSE(ingress_certificates(ingress({{"example.com/want-tls", "true"}}), defaults).managed);
  // The issuer annotations need no auto annotation.
  CHECK(ingress_certificates(ingress(cluster_issuer), defaults).managed);
}

TEST_CASE("go_true is strconv.ParseBool's true") {
  for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"})
    CHECK(go_true(yes));
  for (const char* no : {"", "0", "f", "false", "yes", "y", "on", "tRUE", " true", "true ", "2"}) {
    INFO(no);
    CHECK_FALSE(go_true(no));
  }
}

TEST_CASE(
    "a TLS entry without hosts or secretName is skipped with an Event, and the others go on") {
  api::Ingress ing = ingress(cluster_issuer);
  ing.spec.tls.push_back({{}, "empty-tls"});
  ing.spec.tls.push_back({{"x.example.com"}, ""});
  const ShimResult r = ingress_certificates(ing, {});
  CHECK(r.valid);
  CHECK(r.certificates.size() == 2);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].message == "Skipped a TLS block: spec.tls[2].hosts: Required value");
  CHECK(r.events[1].message == "Skipped a TLS block: spec.tls[3].secretName: Required value");

  api::Ingress dup = ingress(cluster_issuer);
  dup.spec.tls[1].secret_name = "shop-tls";
  const ShimResult bad = ingress_certificates(dup, {});
  CHECK_FALSE(bad.valid);
  REQUIRE(bad.events.size() == 1);
  CHECK(bad.events[0].message ==
        "spec.tls[0].secretName: Invalid value: \"shop-tls\": this secret name must only appear "
        "in a single TLS entry but is also used in spec.tls[1].secretName");
}

TEST_CASE("the sync plan creates, puts back hand edits, deletes, and leaves others' alone") {
  const api::Ingress ing = ingress(cluster_issuer);
  const ShimResult desired = ingress_certificates(ing, {});
  const HashedKey uid = uid_key(ing.metadata.uid);

  CertificateView edited = project_certificate(api::Certificate(desired.certificates[0]));
  api::Certificate hand_edit = desired.certificates[1];
  hand_edit.spec.dns_names = {"evil.example.com"};
  CertificateView api_edited = project_certificate(std::move(hand_edit));
  CertificateView stale;
  stale.name = "old-tls";
  stale.owner_uid = uid;
  CertificateView foreign;
  foreign.name = "other-tls";
  foreign.owner_uid = uid_key("someone-else");

  const ShimPlan plan = plan_shim(desired, uid, {&edited, &api_edited, &stale, &foreign});
  CHECK(plan.create.empty());
  REQUIRE(plan.update.size() == 1);
  CHECK(plan.update[0].metadata.name == "api-tls");
  CHECK(plan.remove == std::vector<std::string>{"old-tls"});

  const ShimPlan fresh = plan_shim(desired, uid, {&foreign});
  CHECK(fresh.create.size() == 2);

  // A Certificate of the same name that the Ingress does not control stays as it is.
  CertificateView unowned = project_certificate(api::Certificate(desired.certificates[0]));
  unowned.owner_uid = {};
  unowned.spec_hash = 1;
  const ShimPlan careful = plan_shim(desired, uid, {&unowned});
  CHECK(careful.update.empty());
  CHECK(careful.create.size() == 1);
}
