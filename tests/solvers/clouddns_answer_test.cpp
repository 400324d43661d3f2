// Cloud DNS's messages and the service account's token grant: TXT rrdatas
// quoted and read back, managed zones, record sets, changes and Google's
// errors read; the JSON key read, its RS256 assertion checked against the
// public key, and the token endpoint's answers and refusals.
#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include "core/acme/base64url.hpp"
#include "core/json/writer.hpp"
#include "core/pki/keys.hpp"
#include "solvers/dns/clouddns/answer.hpp"
#include "solvers/dns/clouddns/service_account.hpp"

using namespace certmill;
using namespace certmill::solvers::clouddns;

namespace {

std::string key_file(const std::string& pem, const std::string& token_uri) {
  json::JsonWriter out;
  out.begin_object();
  for (const auto& [name, value] : {std::pair{"type", "service_account"},
                                    {"project_id", "p1"},
                                    {"private_key_id", "kid1"},
                                    {"private_key", pem.c_str()},
                                    {"client_email", "sa@p1.iam.gserviceaccount.com"},
                                    {"token_uri", token_uri.c_str()}}) {
    if (*value == '\0')
      continue;
    out.key(name);
    out.string(value);
  }
  out.end_object();
  return out.take();
}

pki::PrivateKey rsa_key() {
  return pki::generate_private_key(pki::KeySpec{}).value();
}

// The decoded header (0) or claims (1) of a JWT.
std::string part(std::string_view jwt, int index) {
  std::size_t from = 0;
  for (int i = 0; i < index; ++i)
    from = jwt.find('.', from) + 1;
  return acme::base64url_decode(jwt.substr(from, jwt.find('.', from) - from)).value();
}

}  // namespace

TEST_CASE("TXT values are quoted as Cloud DNS holds them and read back", "[clouddns]") {
  CHECK(quote_txt("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0") ==
        "\"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\"");
  CHECK(quote_txt("a\"b\\c") == "\"a\\\"b\\\\c\"");
  const std::string long_value(300, 'v');
  CHECK(quote_txt(long_value) ==
        "\"" + std::string(255, 'v') + "\" \"" + std::string(45, 'v') + "\"");
  for (const std::string value : {"", "plain", "a \"q\" \\ b", long_value.c_str()}) {
    INFO(value);
    CHECK(unquote_txt(quote_txt(value)) == value);
  }
  CHECK(unquote_txt("\"split \" \"in two\"") == "split in two");
  CHECK(unquote_txt("\"\\065\\066\"") == "AB");
  CHECK(unquote_txt("bare") == "bare");
}

TEST_CASE("Cloud DNS's zones, record sets and changes are read", "[clouddns]") {
  const std::string zones = R"({"managedZones":[
    {"name":"private-one","dnsName":"example.test.","visibility":"private"},
    {"name":"example-test","dnsName":"Example.Test.","visibility":"public"}]})";
  CHECK(public_zone_name(zones, "example.test").value() == "example-test");
  const auto none = public_zone_name(R"({"managedZones":[]})", "example.test");
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error().message(), Catch::Contains("set hostedZoneName"));

  const auto set = txt_set(R"({"rrsets":[{"name":"_acme-challenge.example.test.","type":"TXT",
                              "ttl":60,"rrdatas":["\"a\"","\"b\""]}]})");
  REQUIRE(set);
  REQUIRE(*set);
  CHECK((*set)->name == "_acme-challenge.example.test.");
  CHECK((*set)->ttl == 60);
  CHECK((*set)->rrdatas == std::vector<std::string>{"\"a\"", "\"b\""});
  CHECK_FALSE(txt_set(R"({"kind":"dns#resourceRecordSetsListResponse"})").value());
  CHECK_FALSE(txt_set("<html>"));

  CHECK_FALSE(change_status(R"({"id":"7","status":"pending"})").value().done);
  CHECK(change_status(R"({"id":"7","status":"done"})").value().done);
  CHECK_FALSE(change_status(R"({"status":"done"})"));
}

TEST_CASE("a change deletes the set as read and adds the new one", "[clouddns]") {
  const RecordSet old{.name = "n.example.test.", .ttl = 60, .rrdatas = {"\"a\""}};
  const RecordSet next{.name = "n.example.test.", .ttl = 60, .rrdatas = {"\"a\"", "\"b\""}};
  CHECK(
      change_body(old, next) ==
      R"({"deletions":[{"name":"n.example.test.","type":"TXT","ttl":60,"rrdatas":["\"a\""]}],)"
      R"("additions":[{"name":"n.example.test.","type":"TXT","ttl":60,"rrdatas":["\"a\"","\"b\""]}]})");
  CHECK(change_body(std::nullopt, next).starts_with(R"({"additions":)"));
  CHECK(change_body(old, std::nullopt).find("additions") == std::string::npos);
}

TEST_CASE("Google's errors are told in its words", "[clouddns]") {
  CHECK(failure(403,
                R"({"error":{"code":403,"message":"Forbidden","status":"PERMISSION_DENIED"}})") ==
        "HTTP 403: PERMISSION_DENIED: Forbidden");
  CHECK(failure(502, "bad\ngateway") == "HTTP 502: bad?gateway");
  CHECK(failure(500, "") == "HTTP 500");
  CHECK(token_failure(
            400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})") ==
        "HTTP 400: invalid_grant: Invalid JWT Signature.");
  CHECK(token_failure(401, "nope") == "HTTP 401: nope");
}

TEST_CASE("the service account key is read, and a wrong one refused", "[clouddns]") {
  const auto key = parse_service_account_key(key_file("PEM", "http://127.0.0.1:1/token"));
  REQUIRE(key);
  CHECK(key->project_id == "p1");
  CHECK(key->client_email == "sa@p1.iam.gserviceaccount.com");
  CHECK(key->token_uri == "http://127.0.0.1:1/token");
  CHECK(parse_service_account_key(key_file("PEM", "")).value().token_uri == kGoogleTokenUri);
  const auto user = parse_service_account_key(R"({"type":"authorized_user"})");
  REQUIRE_FALSE(user);
  CHECK_THAT(user.error().message(), Catch::Contains("authorized_user"));
  CHECK_FALSE(parse_service_account_key(R"({"type":"service_account"})"));
  CHECK_FALSE(parse_service_account_key("not json"));
}

TEST_CASE("the assertion is an RS256 JWT the public key verifies", "[clouddns]") {
  const pki::PrivateKey rsa = rsa_key();
  const std::string pem = pki::encode_private_key(rsa, api::PrivateKeyEncoding::PKCS8).value();
  const auto key = parse_service_account_key(key_file(pem, "https://oauth2.example/token")).value();
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  const std::string jwt = jwt_assertion(key, kScope, now).value();

  CHECK(part(jwt, 0) == R"({"alg":"RS256","typ":"JWT","kid":"kid1"})");
  CHECK(part(jwt, 1) == std::string(R"({"iss":"sa@p1.iam.gserviceaccount.com","scope":")") +
                            kScope +
                            R"(","aud":"https://oauth2.example/token","iat":1800000000,)"
                            R"("exp":1800003600})");
  const auto dot = jwt.rfind('.');
  const std::string signature = acme::base64url_decode(jwt.substr(dot + 1)).value();
  const std::string input = jwt.substr(0, dot);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  CHECK(EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, rsa.get()) == 1);
  CHECK(EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                         signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                         input.size()) == 1);
  EVP_MD_CTX_free(ctx);

  ServiceAccountKey broken = key;
  broken.private_key = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n";
  const auto refused = jwt_assertion(broken, kScope, now);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message(), !Catch::Contains("c2VjcmV0LWJ5dGVz"));
}

TEST_CASE("the token grant's form and answers", "[clouddns]") {
  CHECK(token_request_body("a.b-c_d") ==
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b-c_d");
  const auto token =
      parse_access_token(R"({"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer"})");
  REQUIRE(token);
  CHECK(token->token == "ya29.x");
  CHECK(token->expires_in == std::chrono::seconds(3599));
  CHECK_FALSE(parse_access_token(R"({"access_token":"ya29.x"})"));
  CHECK_FALSE(parse_access_token(R"({"expires_in":10})"));
}
