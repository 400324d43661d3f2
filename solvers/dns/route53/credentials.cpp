// Finding the keys, assuming a role, and signing a request with them.
#include "solvers/dns/route53/credentials.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <simdjson.h>

#include "core/http_url.hpp"
#include "core/json/writer.hpp"
#include "solvers/dns/route53/api.hpp"

namespace certmill::solvers::route53 {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

// The query certmill escaped itself (url_escape), decoded again for SigV4,
// which escapes it its own way.
std::string decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// "a=b&c=d" as SigV4's query parameters.
std::vector<QueryParam> query_params(std::string_view query) {
  std::vector<QueryParam> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    out.push_back({decoded(pair.substr(0, eq)),
                   eq == std::string_view::npos ? std::string() : decoded(pair.substr(eq + 1))});
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return out;
}

// A token of the ServiceAccount for STS, by the TokenRequest API, in the
// namespace the Issuer's Secrets are read from.
boost::asio::awaitable<Result<std::string>> service_account_token(
    const dns::ProviderContext& context, const api::ServiceAccountRef& ref) {
  if (!context.kube_post)
    co_return Error(Errc::invalid_argument, "route53: auth.kubernetes needs the Kubernetes API");
  json::JsonWriter body;
  body.begin_object();
  body.key("apiVersion");
  body.string("authentication.k8s.io/v1");
  body.key("kind");
  body.string("TokenRequest");
  body.key("spec");
  body.begin_object();
  body.key("audiences");
  body.begin_array();
  for (const std::string& audience :
       ref.audiences.empty() ? std::vector<std::string>{"sts.amazonaws.com"} : ref.audiences)
    body.string(audience);
  body.end_array();
  body.key("expirationSeconds");
  body.number(600);
  body.end_object();
  body.end_object();
  auto answer =
      co_await context.kube_post("/api/v1/namespaces/" + url_escape(context.resource_namespace) +
                                     "/serviceaccounts/" + url_escape(ref.name) + "/token",
                                 body.take());
  if (!answer)
    co_return Error(answer.error().code(), "route53: a token for ServiceAccount " +
                                               context.resource_namespace + "/" + ref.name + ": " +
                                               answer.error().message());
  simdjson::dom::parser parser;
  std::string_view token;
  if (parser.parse(answer->data(), answer->size()).at_pointer("/status/token").get(token) !=
          simdjson::SUCCESS ||
      token.empty())
    co_return Error(Errc::missing_field, "route53: the TokenRequest's answer has no token");
  co_return std::string(token);
}

boost::asio::awaitable<Result<std::string>> file_token(std::string path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r'))
    token.pop_back();
  if (!in || token.empty())
    co_return Error(Errc::missing_field,
                    "route53: AWS_WEB_IDENTITY_TOKEN_FILE \"" + path + "\" cannot be read");
  co_return token;
}

}  // namespace

boost::asio::awaitable<Result<Identity>> base_identity(
    const api::ACMEIssuerDNS01ProviderRoute53& settings, const dns::ProviderContext& context) {
  if (settings.auth) {
    if (settings.role.empty())
      co_return Error(Errc::missing_field,
                      "route53: auth.kubernetes needs role, the role its token assumes");
    co_return Identity{
        std::nullopt,
        WebIdentity{settings.role, [ref = settings.auth->kubernetes.service_account_ref,
                                    context]() { return service_account_token(context, ref); }}};
  }
  Credentials keys;
  keys.access_key_id = settings.access_key_id;
  if (settings.access_key_id_secret_ref) {
    auto id = co_await dns::read_secret_field(context, *settings.access_key_id_secret_ref,
                                              "route53.accessKeyIDSecretRef");
    if (!id)
      co_return id.error();
    keys.access_key_id = std::move(*id);
  }
  if (settings.secret_access_key_secret_ref) {
    auto secret = co_await dns::read_secret_field(context, *settings.secret_access_key_secret_ref,
                                                  "route53.secretAccessKeySecretRef");
    if (!secret)
      co_return secret.error();
    keys.secret_access_key = std::move(*secret);
  }
  if (!keys.access_key_id.empty() && !keys.secret_access_key.empty())
    co_return Identity{keys, std::nullopt};
  if (!keys.access_key_id.empty() || !keys.secret_access_key.empty())
    co_return Error(Errc::missing_field,
                    "route53: an access key id needs its secretAccessKeySecretRef, and the "
                    "other way round");
  if (!context.ambient_credentials)
    co_return Error(Errc::missing_field,
                    "route53: no access key is set, and ambient credentials are off for this "
                    "issuer (--issuer-ambient-credentials, --cluster-issuer-ambient-credentials); "
                    "set accessKeyIDSecretRef and secretAccessKeySecretRef, or auth.kubernetes");
  keys = {environment("AWS_ACCESS_KEY_ID"), environment("AWS_SECRET_ACCESS_KEY"),
          environment("AWS_SESSION_TOKEN")};
  if (!keys.access_key_id.empty() && !keys.secret_access_key.empty())
    co_return Identity{keys, std::nullopt};
  const std::string role = environment("AWS_ROLE_ARN");
  const std::string token_file = environment("AWS_WEB_IDENTITY_TOKEN_FILE");
  if (!role.empty() && !token_file.empty())
    co_return Identity{std::nullopt,
                       WebIdentity{role, [token_file]() { return file_token(token_file); }}};
  co_return Error(Errc::missing_field,
                  "route53: ambient credentials are allowed but certmill's environment has "
                  "neither AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY nor AWS_ROLE_ARN and "
                  "AWS_WEB_IDENTITY_TOKEN_FILE");
}

std::string signing_region(const api::ACMEIssuerDNS01ProviderRoute53& settings) {
  if (!settings.region.empty())
    return settings.region;
  const std::string from_environment = environment("AWS_REGION");
  return from_environment.empty() ? "us-east-1" : from_environment;
}

Status sign(reactor::HttpsRequest& request, const dns::ProviderApi& api,
            const Credentials& credentials, const std::string& region, std::string_view service) {
  auto base = parse_http_url(api.base_url());
  if (!base)
    return base.error();
  const std::string host = base->authority();
  // The path as sent: the base URL's path, then the request's.
  const std::string target = (base->target == "/" ? std::string() : base->target) + request.url;
  const auto question = target.find('?');
  const std::string path = target.substr(0, question);
  std::vector<QueryParam> query = question == std::string::npos
                                      ? std::vector<QueryParam>()
                                      : query_params(std::string_view(target).substr(question + 1));
  std::vector<Header> headers{{"Host", host}};
  for (const reactor::HttpHeader& header : request.headers)
    headers.push_back({header.name, header.value});
  auto signature = sign_v4({.method = request.method,
                            .path = path,
                            .query = std::move(query),
                            .headers = std::move(headers),
                            .payload = request.body},
                           credentials, region, service, std::chrono::system_clock::now());
  if (!signature)
    return signature.error();
  request.headers.push_back({"Host", host});
  for (Header& header : signature->headers)
    request.headers.push_back({std::move(header.name), std::move(header.value)});
  return Status{};
}

namespace {

// An STS query-protocol request: a form POSTed to its root.
reactor::HttpsRequest sts_request(std::string body) {
  return {.method = "POST",
          .url = "/",
          .headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
          .body = std::move(body)};
}

// Sends one AssumeRole* request and reads the keys it hands out; `refused`
// and `action` say what was asked, for the error.
boost::asio::awaitable<Result<TemporaryCredentials>> exchange(
    dns::ProviderApi& sts, reactor::HttpsRequest request, const std::string& refused,
    std::string_view action, std::chrono::steady_clock::time_point deadline) {
  auto answer = co_await sts.call(std::move(request), deadline);
  if (!answer)
    co_return answer.error();
  if (!dns::succeeded(*answer)) {
    auto error = parse_error(answer->body);
    co_return Error(Errc::invalid_value,
                    "route53: STS refused " + refused + ": HTTP " + std::to_string(answer->status) +
                        (error ? ": " + error->code + ": " + error->message : std::string()));
  }
  auto assumed = parse_assumed_role(answer->body);
  if (!assumed)
    co_return Error(assumed.error().code(), "route53: STS's " + std::string(action) +
                                                " answer: " + assumed.error().message());
  co_return std::move(*assumed);
}

}  // namespace

boost::asio::awaitable<Result<TemporaryCredentials>> assume_role(
    dns::ProviderApi& sts, const Credentials& base, const std::string& role_arn,
    const std::string& region, std::chrono::steady_clock::time_point deadline) {
  reactor::HttpsRequest request = sts_request(assume_role_body(role_arn, "cert-manager"));
  if (Status signed_ = sign(request, sts, base, region, "sts"); !signed_)
    co_return signed_.error();
  co_return co_await exchange(sts, std::move(request), "to assume the role " + role_arn,
                              "AssumeRole", deadline);
}

boost::asio::awaitable<Result<TemporaryCredentials>> assume_role_with_web_identity(
    dns::ProviderApi& sts, const std::string& role_arn, const std::string& token,
    std::chrono::steady_clock::time_point deadline) {
  co_return co_await exchange(
      sts, sts_request(assume_role_with_web_identity_body(role_arn, "cert-manager", token)),
      "the web identity for the role " + role_arn, "AssumeRoleWithWebIdentity", deadline);
}

}  // namespace certmill::solvers::route53
