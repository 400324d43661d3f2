// SigV4 checked by signing the request again with certmill's own signer
// (whose output AWS's test suite pins down) and comparing.
#include "tools/dns-api-sim/route53_auth.hpp"

#include <algorithm>
#include <chrono>

#include "solvers/dns/route53/sigv4.hpp"
#include "tools/dns-api-sim/sim.hpp"

namespace certmill::dnssim {
namespace {

// "key=value" out of "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
std::string part(std::string_view authorization, std::string_view key) {
  const std::string wanted = std::string(key) + "=";
  auto at = authorization.find(wanted);
  if (at == std::string_view::npos)
    return {};
  at += wanted.size();
  return std::string(authorization.substr(at, authorization.find(',', at) - at));
}

// "20261207T034500Z"
std::optional<std::chrono::system_clock::time_point> amz_time(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z')
    return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t length) {
    int value = 0;
    for (char c : text.substr(at, length))
      value = std::isdigit(static_cast<unsigned char>(c)) ? value * 10 + (c - '0') : -100000;
    return value;
  };
  const std::chrono::year_month_day day{std::chrono::year(number(0, 4)),
                                        std::chrono::month(number(4, 2)),
                                        std::chrono::day(number(6, 2))};
  if (!day.ok() || number(9, 2) < 0 || number(11, 2) < 0 || number(13, 2) < 0)
    return std::nullopt;
  return std::chrono::sys_days(day) + std::chrono::hours(number(9, 2)) +
         std::chrono::minutes(number(11, 2)) + std::chrono::seconds(number(13, 2));
}

}  // namespace

std::vector<AwsKey> aws_keys(const std::vector<std::string>& credentials) {
  std::vector<AwsKey> keys;
  for (const std::string& credential : credentials) {
    const auto first = credential.find(':');
    if (first == std::string::npos)
      continue;
    const auto second = credential.find(':', first + 1);
    keys.push_back({credential.substr(0, first),
                    credential.substr(first + 1, second == std::string::npos ? std::string::npos
                                                                             : second - first - 1),
                    second == std::string::npos ? std::string() : credential.substr(second + 1)});
  }
  return keys;
}

std::pair<std::string, std::string> check_sigv4(const reactor::ServerRequest& request,
                                                const std::vector<AwsKey>& keys,
                                                std::string_view service) {
  const std::string_view authorization = request.header("Authorization");
  if (!authorization.starts_with("AWS4-HMAC-SHA256 "))
    return {"MissingAuthenticationToken", "Missing Authentication Token"};
  const std::string credential = part(authorization, "Credential");
  const std::string access_key_id = credential.substr(0, credential.find('/'));
  const auto key = std::ranges::find(keys, access_key_id, &AwsKey::access_key_id);
  if (key == keys.end())
    return {"InvalidClientTokenId", "The security token included in the request is invalid."};
  // The scope: date/region/service/aws4_request.
  std::vector<std::string> scope;
  for (std::string_view rest = credential; !rest.empty();) {
    const auto slash = rest.find('/');
    scope.emplace_back(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  const auto when = amz_time(request.header("X-Amz-Date"));
  if (scope.size() != 5 || scope[3] != service || !when)
    return {"IncompleteSignature", "Authorization header requires a valid Credential scope."};
  std::vector<solvers::route53::Header> headers;
  const std::string signed_list = part(authorization, "SignedHeaders");
  for (std::string_view rest = signed_list; !rest.empty();) {
    const auto semi = rest.find(';');
    const std::string name(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    if (name == "x-amz-date" || name == "x-amz-security-token")
      continue;
    for (const reactor::HttpHeader& header : request.headers) {
      if (reactor::same_header_name(header.name, name))
        headers.push_back({header.name, header.value});
    }
  }
  const Target target = split_target(request.target);
  std::vector<solvers::route53::QueryParam> query;
  for (const auto& [name, value] : target.query)
    query.push_back({name, value});
  const std::string_view raw_path =
      std::string_view(request.target).substr(0, request.target.find('?'));
  auto expected = solvers::route53::sign_v4(
      {.method = request.method,
       .path = raw_path,
       .query = std::move(query),
       .headers = std::move(headers),
       .payload = request.body},
      {key->access_key_id, key->secret, std::string(request.header("X-Amz-Security-Token"))},
      scope[2], service, *when);
  if (!expected || expected->signature != part(authorization, "Signature"))
    return {"SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method."};
  if (!key->session_token.empty() && key->session_token != request.header("X-Amz-Security-Token"))
    return {"InvalidClientTokenId", "The security token included in the request is invalid."};
  return {};
}

}  // namespace certmill::dnssim
