// Problem documents read member by member instead of through a Schema: a CA's
// error must survive odd members (a numeric detail, a string status), because
// the error is what tells the user what went wrong.
#include "core/acme/problem.hpp"

#include <array>
#include <utility>

#include "core/acme/problem_json.hpp"

namespace certmill::acme {
namespace {

constexpr std::string_view kUrnPrefix = "urn:ietf:params:acme:error:";

constexpr std::array kNames = {
    std::pair{std::string_view("accountDoesNotExist"), ProblemType::AccountDoesNotExist},
    std::pair{std::string_view("alreadyReplaced"), ProblemType::AlreadyReplaced},
    std::pair{std::string_view("alreadyRevoked"), ProblemType::AlreadyRevoked},
    std::pair{std::string_view("badCSR"), ProblemType::BadCSR},
    std::pair{std::string_view("badNonce"), ProblemType::BadNonce},
    std::pair{std::string_view("badPublicKey"), ProblemType::BadPublicKey},
    std::pair{std::string_view("badRevocationReason"), ProblemType::BadRevocationReason},
    std::pair{std::string_view("badSignatureAlgorithm"), ProblemType::BadSignatureAlgorithm},
    std::pair{std::string_view("caa"), ProblemType::Caa},
    std::pair{std::string_view("compound"), ProblemType::Compound},
    std::pair{std::string_view("connection"), ProblemType::Connection},
    std::pair{std::string_view("dns"), ProblemType::Dns},
    std::pair{std::string_view("externalAccountRequired"), ProblemType::ExternalAccountRequired},
    std::pair{std::string_view("incorrectResponse"), ProblemType::IncorrectResponse},
    std::pair{std::string_view("invalidContact"), ProblemType::InvalidContact},
    std::pair{std::string_view("invalidProfile"), ProblemType::InvalidProfile},
    std::pair{std::string_view("malformed"), ProblemType::Malformed},
    std::pair{std::string_view("orderNotReady"), ProblemType::OrderNotReady},
    std::pair{std::string_view("rateLimited"), ProblemType::RateLimited},
    std::pair{std::string_view("rejectedIdentifier"), ProblemType::RejectedIdentifier},
    std::pair{std::string_view("serverInternal"), ProblemType::ServerInternal},
    std::pair{std::string_view("tls"), ProblemType::Tls},
    std::pair{std::string_view("unauthorized"), ProblemType::Unauthorized},
    std::pair{std::string_view("unsupportedContact"), ProblemType::UnsupportedContact},
    std::pair{std::string_view("unsupportedIdentifier"), ProblemType::UnsupportedIdentifier},
    std::pair{std::string_view("userActionRequired"), ProblemType::UserActionRequired},
};

std::string string_member(simdjson::dom::object object, std::string_view key) {
  std::string_view text;
  if (object[key].get(text) != simdjson::SUCCESS)
    return {};
  return std::string(text);
}

// `nested` is false inside a subproblem: RFC 8555 defines one level, and
// stopping there bounds the work a hostile document can cause.
void read_problem(simdjson::dom::object object, Problem& out, bool nested) {
  out.type_uri = string_member(object, "type");
  out.type = problem_type_of(out.type_uri);
  out.detail = string_member(object, "detail");
  out.instance = string_member(object, "instance");
  int64_t status = 0;
  if (object["status"].get(status) == simdjson::SUCCESS && status >= 100 && status <= 599)
    out.status = static_cast<int>(status);
  simdjson::dom::object identifier;
  if (object["identifier"].get(identifier) == simdjson::SUCCESS) {
    out.identifier =
        Identifier{string_member(identifier, "type"), string_member(identifier, "value")};
  }
  simdjson::dom::array subproblems;
  if (nested && object["subproblems"].get(subproblems) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : subproblems) {
      simdjson::dom::object sub;
      if (item.get(sub) == simdjson::SUCCESS)
        read_problem(sub, out.subproblems.emplace_back(), false);
    }
  }
}

// A printable, bounded excerpt of a body that is not a problem document, for
// messages and logs that must not carry control characters or megabytes.
std::string excerpt(std::string_view body) {
  constexpr std::size_t kMax = 200;
  std::string out;
  bool space = false;
  for (char c : body.substr(0, kMax)) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7F) {
      space = !out.empty();
      continue;
    }
    if (space)
      out.push_back(' ');
    space = false;
    out.push_back(u < 0x80 ? c : '?');
  }
  if (body.size() > kMax)
    out += "...";
  return out;
}

class ProblemCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "acme"; }
  std::string message(int value) const override {
    return std::string(problem_type_name(static_cast<ProblemType>(value)));
  }
};

}  // namespace

std::string_view problem_type_name(ProblemType type) noexcept {
  for (const auto& [name, value] : kNames) {
    if (value == type)
      return name;
  }
  return "other";
}

ProblemType problem_type_of(std::string_view type_uri) noexcept {
  if (!type_uri.starts_with(kUrnPrefix))
    return ProblemType::Other;
  const std::string_view name = type_uri.substr(kUrnPrefix.size());
  for (const auto& [known, value] : kNames) {
    if (known == name)
      return value;
  }
  return ProblemType::Other;
}

Result<Problem> decode_problem(std::string_view json) {
  auto root = json::parse_document(json);
  if (!root)
    return Error(root.error().code(), "ACME problem document: " + root.error().message());
  simdjson::dom::object object;
  if (root->get(object) != simdjson::SUCCESS) {
    return Error(Errc::wrong_type, "ACME problem document: expected an object, found " +
                                       std::string(json::type_name(*root)));
  }
  Problem out;
  read_problem(object, out, true);
  return out;
}

Problem problem_from_response(int http_status, std::string_view body) {
  auto decoded = decode_problem(body);
  Problem out;
  if (decoded) {
    out = std::move(*decoded);
  } else {
    out.detail = body.empty() ? "empty response body" : "response body: " + excerpt(body);
  }
  if (out.status == 0)
    out.status = http_status;
  return out;
}

const std::error_category& acme_problem_category() noexcept {
  static const ProblemCategory category;
  return category;
}

Error problem_error(const Problem& problem) {
  std::string message = problem.type_uri.empty() ? "ACME error" : problem.type_uri;
  if (problem.status != 0)
    message += " (HTTP " + std::to_string(problem.status) + ")";
  if (!problem.detail.empty())
    message += ": " + problem.detail;
  for (const Problem& sub : problem.subproblems) {
    message += "; ";
    if (sub.identifier)
      message += sub.identifier->type + " " + sub.identifier->value + ": ";
    message += sub.detail.empty() ? std::string(problem_type_name(sub.type)) : sub.detail;
  }
  return Error(make_error_code(problem.type), std::move(message));
}

}  // namespace certmill::acme

namespace certmill::json {

Status decode_value(Element e, const Path& path, acme::Problem& out) {
  simdjson::dom::object object;
  if (e.get(object) != simdjson::SUCCESS)
    return type_error(path, "problem document object", e);
  out = {};
  acme::read_problem(object, out, true);
  return {};
}

}  // namespace certmill::json
