// STS: the AssumeRole and AssumeRoleWithWebIdentity bodies, their answers
// in the shapes of AWS's API reference (and STS's error body), and hostile
// bodies given to every parser.
#include <catch2/catch.hpp>

#include "solvers/dns/route53/api.hpp"
#include "solvers/dns/route53/xml.hpp"
#include "tests/solvers/route53_test_support.hpp"

using namespace certmill;
using namespace certmill::solvers::route53;
using namespace route53_test;

namespace {

const std::string kStsError = R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>User: arn:aws:iam::123456789012:user/certmill is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/dns</Message>
  </Error>
  <RequestId>4e5d3a1c-7b52-4f0e-a1de-0b5b8e9c3f11</RequestId>
</ErrorResponse>)";

const std::string kAssumeRole =
    R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>DevUser123</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/cert-manager</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:cert-manager</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>)";

const std::string kAssumeRoleWithWebIdentity =
    R"(<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:cert-manager:cert-manager</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/dns/cert-manager</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:cert-manager</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2014-10-24T23:00:23.5+02:00</Expiration>
      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <SourceIdentity>SourceIdentityValue</SourceIdentity>
    <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>)";

}  // namespace

TEST_CASE("STS AssumeRole bodies are form-encoded", "[route53]") {
  CHECK(assume_role_body("arn:aws:iam::123456789012:role/dns", "cert-manager") ==
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdns"
        "&RoleSessionName=cert-manager&Version=2011-06-15");
  CHECK(assume_role_with_web_identity_body("arn:aws:iam::123456789012:role/dns", "certmill",
                                           "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_w") ==
        "Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdns"
        "&RoleSessionName=certmill&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_w"
        "&Version=2011-06-15");
  // A '+', '=' or '&' in a value cannot end it or change its meaning.
  CHECK_THAT(assume_role_body("arn", "a+b=c&d"), Catch::Contains("RoleSessionName=a%2Bb%3Dc%26d&"));
}

TEST_CASE("STS answers give temporary credentials and their expiry", "[route53]") {
  auto c = parse_assumed_role(kAssumeRole);
  REQUIRE(c.ok());
  CHECK(c->credentials.access_key_id == "ASIAIOSFODNN7EXAMPLE");
  CHECK(c->credentials.secret_access_key == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  CHECK(c->credentials.session_token.starts_with("AQoDYXdzEPT//////////wEXAMPLE"));
  CHECK(c->credentials.session_token.ends_with("oLxBA=="));
  CHECK(c->expiration ==
        std::chrono::sys_days{std::chrono::year{2019} / 11 / 9} + 13h + 34min + 41s);

  c = parse_assumed_role(kAssumeRoleWithWebIdentity);
  REQUIRE(c.ok());
  CHECK(c->credentials.access_key_id == "ASgeIAIOSFODNN7EXAMPLE");
  CHECK(c->credentials.session_token == "AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE");
  // 23:00:23.5+02:00 is 21:00:23 UTC, the fraction dropped.
  CHECK(c->expiration == std::chrono::sys_days{std::chrono::year{2014} / 10 / 24} + 21h + 23s);

  for (const char* field : {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}) {
    INFO(field);
    const std::string open = std::string("<") + field + ">";
    const std::size_t at = kAssumeRole.find(open);
    const std::size_t end = kAssumeRole.find(std::string("</") + field + ">") + open.size() + 1;
    std::string without = kAssumeRole;
    without.erase(at, end - at);
    CHECK(fails_with(parse_assumed_role(without), Errc::missing_field));
  }
  CHECK(fails_with(parse_assumed_role(replaced(kAssumeRole, "2019-11-09T13:34:41Z", "tomorrow")),
                   Errc::invalid_value));
  // The result must be the one of the action answered.
  CHECK(fails_with(
      parse_assumed_role(
          replaced(replaced(kAssumeRole, "<AssumeRoleResult>", "<AssumeRoleWithWebIdentityResult>"),
                   "</AssumeRoleResult>", "</AssumeRoleWithWebIdentityResult>")),
      Errc::missing_field));
  CHECK(fails_with(parse_assumed_role(kStsError), Errc::wrong_kind));
  every_prefix_fails(kAssumeRole, parse_assumed_role);
  every_prefix_fails(kAssumeRoleWithWebIdentity, parse_assumed_role);
}

TEST_CASE("STS's error body gives a code and a message", "[route53]") {
  const auto e = parse_error(kStsError);
  REQUIRE(e.ok());
  CHECK(e->type == "Sender");
  CHECK(e->code == "AccessDenied");
  CHECK(e->message.starts_with("User: arn:aws:iam::123456789012:user/certmill is not authorized"));
}

TEST_CASE("every parser turns a hostile body into an Error", "[route53]") {
  std::string deep;
  for (int i = 0; i < 10'000; ++i)
    deep += "<ErrorResponse>";
  const std::string huge = "<ErrorResponse><Error><Code>" + std::string(kMaxXmlSize, 'x') +
                           "</Code></Error></ErrorResponse>";
  const std::string entity = "<GetChangeResponse>&" + std::string(1 << 16, '#') + ";";
  for (const std::string& body : {deep, huge, entity, std::string("\0\0\0", 3)}) {
    CHECK(fails_with(parse_change_info(body), Errc::invalid_value));
    CHECK(fails_with(parse_txt_record_set(body, "x"), Errc::invalid_value));
    CHECK(fails_with(parse_hosted_zones(body), Errc::invalid_value));
    CHECK(fails_with(parse_error(body), Errc::invalid_value));
    CHECK(fails_with(parse_assumed_role(body), Errc::invalid_value));
  }
}
