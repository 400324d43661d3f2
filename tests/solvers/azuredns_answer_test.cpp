// Azure DNS: Entra's and IMDS's token answers, record sets with their ETags
// and multi-string values, the PUT body, ARM's and Entra's errors as the
// Challenge tells them, and the clouds an environment names.
#include <catch2/catch.hpp>

#include "solvers/dns/azuredns/answer.hpp"
#include "solvers/dns/azuredns/credentials.hpp"

using namespace certmill;
using namespace certmill::solvers::azuredns;

TEST_CASE("Azure token answers: Entra's number and IMDS's string expiries", "[azuredns]") {
  auto entra = parse_token(
      R"({"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0"})");
  REQUIRE(entra.ok());
  CHECK(entra->value == "eyJ0");
  CHECK(entra->expires_in == std::chrono::seconds(3599));
  auto imds =
      parse_token(R"({"access_token":"eyJ1","expires_in":"86399","expires_on":"1765000000",)"
                  R"("resource":"https://management.azure.com/","token_type":"Bearer"})");
  REQUIRE(imds.ok());
  CHECK(imds->expires_in == std::chrono::seconds(86399));
  CHECK_FALSE(parse_token(R"({"expires_in":3599})").ok());
  CHECK_FALSE(parse_token(R"({"access_token":"x","expires_in":"soon"})").ok());
  CHECK_FALSE(parse_token(R"({"access_token":"x","expires_in":0})").ok());
  CHECK_FALSE(parse_token("<html>").ok());
}

TEST_CASE("Azure record sets: ETag, TTL and each record's strings", "[azuredns]") {
  auto set = parse_txt_set(
      R"({"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/a.test/TXT/_acme-challenge",
          "name":"_acme-challenge","type":"Microsoft.Network/dnszones/TXT",
          "etag":"4b5c-etag","properties":{"fqdn":"_acme-challenge.a.test.","TTL":300,
          "TXTRecords":[{"value":["one"]},{"value":["two-","parts"]}]}})",
      "");
  REQUIRE(set.ok());
  CHECK(set->etag == "4b5c-etag");
  CHECK(set->ttl == 300);
  REQUIRE(set->records.size() == 2);
  CHECK(joined(set->records[1]) == "two-parts");
  // The header stands in for a body without an etag.
  auto headed = parse_txt_set(R"({"properties":{"TTL":60,"TXTRecords":[]}})", "from-header");
  REQUIRE(headed.ok());
  CHECK(headed->etag == "from-header");
  CHECK(headed->records.empty());
  CHECK_FALSE(parse_txt_set(R"({"etag":"x"})", "").ok());
  CHECK_FALSE(parse_txt_set(R"({"properties":{"TXTRecords":[{"value":[7]}]}})", "").ok());
  CHECK_FALSE(parse_txt_set(R"({"properties":{"TXTRecords":[{}]}})", "").ok());
}

TEST_CASE("Azure record set bodies keep each record's strings as they were", "[azuredns]") {
  const std::string body = txt_set_body(60, {{"one"}, {"two-", "parts"}, {"q\"uote"}});
  CHECK(body ==
        R"({"properties":{"TTL":60,"TXTRecords":[{"value":["one"]},{"value":["two-","parts"]},)"
        R"({"value":["q\"uote"]}]}})");
  auto back = parse_txt_set(body, "e");
  REQUIRE(back.ok());
  CHECK(back->records == std::vector<TxtStrings>{{"one"}, {"two-", "parts"}, {"q\"uote"}});
}

TEST_CASE("Azure errors: ARM's codes and Entra's first line", "[azuredns]") {
  const std::string zone_missing =
      R"({"error":{"code":"ResourceNotFound","message":"The Resource 'Microsoft.Network/dnszones/a.test' under resource group 'rg' was not found."}})";
  CHECK(arm_error_code(zone_missing) == "ResourceNotFound");
  CHECK(arm_error_code(
            R"({"code":"NotFound","message":"The resource record 'x' does not exist."})") ==
        "NotFound");
  CHECK(arm_error_code("not json").empty());
  CHECK(failure(404, zone_missing) ==
        "HTTP 404: ResourceNotFound: The Resource 'Microsoft.Network/dnszones/a.test' under "
        "resource group 'rg' was not found.");
  CHECK(
      failure(
          401,
          R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\nTimestamp: 2026-12-07 00:00:00Z","error_codes":[7000215]})") ==
      "HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided.");
  CHECK(failure(502, "Bad\x01Gateway") == "HTTP 502: Bad?Gateway");
  CHECK(failure(500, "") == "HTTP 500");
  CHECK(failure(500, R"({"success":false})") == R"(HTTP 500: {"success":false})");
}

TEST_CASE("Azure clouds: the environments cert-manager knows, case aside", "[azuredns]") {
  auto public_cloud = cloud("");
  REQUIRE(public_cloud.ok());
  CHECK(public_cloud->resource_manager == "https://management.azure.com");
  CHECK(public_cloud->login == "https://login.microsoftonline.com");
  CHECK(cloud("AzurePublicCloud")->resource_manager == "https://management.azure.com");
  CHECK(cloud("azurechinacloud")->login == "https://login.chinacloudapi.cn");
  CHECK(cloud("AzureUSGovernmentCloud")->resource_manager ==
        "https://management.usgovcloudapi.net");
  auto unknown = cloud("AzureGermanCloud");
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.error().message(), Catch::Contains("AzureGermanCloud") &&
                                            Catch::Contains("AzureChinaCloud") &&
                                            Catch::Contains("AzureUSGovernmentCloud"));
}
