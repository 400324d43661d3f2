// The management API's routes over the front's state.
#include "tools/acme-front/management.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <boost/json.hpp>

#include "tools/acme-front/jws_peek.hpp"

namespace certmill::acmefront {
namespace {

namespace json = boost::json;

Response reply(unsigned status, const json::value& body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = json::serialize(body);
  return response;
}

Response bad(std::string message) {
  return reply(400, json::object{{"error", std::move(message)}});
}

json::object counts(const std::map<std::string, std::uint64_t>& map) {
  json::object out;
  for (const auto& [name, n] : map)
    out[name] = n;
  return out;
}

// Whole seconds: Boost.JSON writes doubles as "1.8E3", which is hard to read.
std::int64_t offset_seconds(Front& front) {
  return std::chrono::duration_cast<std::chrono::seconds>(front.clock().offset()).count();
}

Response stats(Front& front) {
  const Stats& s = front.stats();
  json::object body;
  body["requests"] = counts(s.requests);
  body["rate_limited"] = counts(s.rate_limited);
  body["problems"] = counts(s.problems);
  body["faults"] = counts(s.faults);
  body["orders_with_replaces"] = s.orders_with_replaces;
  body["certificates_issued"] = s.certificates_issued;
  body["certificates_downloaded"] = s.certificates_downloaded;
  body["early_retries"] = counts(s.early_retries);
  body["new_orders_by_names"] = counts(s.new_orders_by_names);
  body["issued_by_names"] = counts(s.issued_by_names);
  body["certificates_known"] = front.certificates().known();
  body["clock_offset_seconds"] = offset_seconds(front);
  return reply(200, body);
}

Result<Time> time_member(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string())
    return Error(Errc::missing_field, "\"" + std::string(name) + "\" must be an RFC 3339 time");
  auto parsed = parse_rfc3339(value->as_string());
  if (!parsed)
    return Error(Errc::invalid_value, "\"" + std::string(name) + "\": " + parsed.error().message());
  return std::chrono::floor<std::chrono::seconds>(*parsed);
}

// A CertID member; `required` false allows it to be absent (nullopt).
Result<std::optional<std::string>> cert_id_member(const json::object& object, bool required) {
  const json::value* value = object.if_contains("certID");
  if (value == nullptr && !required)
    return std::optional<std::string>();
  if (value == nullptr || !value->is_string() || !is_cert_id(value->as_string()))
    return Error(Errc::invalid_value, "\"certID\" must be an ARI CertID (base64url.base64url)");
  return std::optional<std::string>(std::string(value->as_string()));
}

Response renewal_window(Front& front, const json::object& body) {
  auto cert_id = cert_id_member(body, false);
  auto start = time_member(body, "start");
  auto end = time_member(body, "end");
  if (!cert_id)
    return bad(cert_id.error().message());
  if (!start)
    return bad(start.error().message());
  if (!end)
    return bad(end.error().message());
  if (*end <= *start)
    return bad("\"end\" must be after \"start\"");
  std::string explanation_url;
  if (const auto* url = body.if_contains("explanationURL")) {
    if (!url->is_string() || !url->as_string().starts_with("https://"))
      return bad("\"explanationURL\" must be an https URL");
    explanation_url = std::string(url->as_string());
  }
  front.certificates().set_window(*cert_id, RenewalWindow{*start, *end},
                                  std::move(explanation_url));
  return reply(200, json::object{{"certID", cert_id->value_or("*")}});
}

Response replaced(Front& front, const json::object& body) {
  auto cert_id = cert_id_member(body, true);
  if (!cert_id)
    return bad(cert_id.error().message());
  front.certificates().mark_replaced(**cert_id);
  return reply(200, json::object{{"certID", **cert_id}});
}

Response replaces_answer(Front& front, const json::object& body) {
  const json::value* answer = body.if_contains("answer");
  const std::string_view text =
      answer != nullptr && answer->is_string() ? std::string_view(answer->as_string()) : "";
  if (text == "accept")
    front.set_replaces_answer(ReplacesAnswer::Accept);
  else if (text == "malformed")
    front.set_replaces_answer(ReplacesAnswer::Malformed);
  else if (text == "alreadyReplaced")
    front.set_replaces_answer(ReplacesAnswer::AlreadyReplaced);
  else
    return bad("\"answer\" must be \"accept\", \"malformed\" or \"alreadyReplaced\"");
  return reply(200, json::object{{"answer", text}});
}

Response clock(Front& front, const json::object& body) {
  const json::value* advance = body.if_contains("advance_seconds");
  if (advance == nullptr || !advance->is_number())
    return bad("\"advance_seconds\" must be a number of seconds");
  const double seconds = advance->to_number<double>();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e9)
    return bad("\"advance_seconds\" must be between 0 and 1e9: the front's clock only moves on");
  front.clock().advance(
      std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds)));
  return reply(200, json::object{{"clock_offset_seconds", offset_seconds(front)}});
}

// A count member of /fault: absent is `fallback`; otherwise a whole number
// of at least `least`.
Result<std::uint64_t> count_member(const json::object& body, std::string_view name,
                                   std::uint64_t fallback, std::int64_t least) {
  const json::value* value = body.if_contains(name);
  if (value == nullptr)
    return fallback;
  if (!value->is_int64() || value->as_int64() < least)
    return Error(Errc::invalid_value, "\"" + std::string(name) + "\" must be a whole number of " +
                                          std::to_string(least) + " or more");
  return static_cast<std::uint64_t>(value->as_int64());
}

// {"kind": K, "status": N, "content_type": T, "body": B}, {"kind": K,
// "reset": true} or {"kind": K, "delay_ms": D} replaces, drops or delays later
// answers of kind K, each "every"th one, up to "times" times; a replacement or
// a delayed answer may carry "retry_after" seconds; {"kind": K} alone puts
// the CA's answers back.
Response fault(Front& front, const json::object& body) {
  static const std::string_view kinds[] = {"directory",     "newNonce",  "newAccount",
                                           "newOrder",      "order",     "finalize",
                                           "authorization", "challenge", "certificate"};
  const json::value* kind = body.if_contains("kind");
  if (kind == nullptr || !kind->is_string() ||
      std::find(std::begin(kinds), std::end(kinds), kind->as_string()) == std::end(kinds))
    return bad(
        "\"kind\" must be one of directory, newNonce, newAccount, newOrder, order, "
        "finalize, authorization, challenge, certificate");
  const std::string name(kind->as_string());
  if (body.size() == 1) {
    front.set_fault(name, std::nullopt);
    return reply(200, json::object{{"kind", name}, {"fault", nullptr}});
  }
  auto every = count_member(body, "every", 1, 1);
  if (!every)
    return bad(every.error().message());
  auto times = count_member(body, "times", 0, 1);
  if (!times)
    return bad(times.error().message());
  auto retry_after = count_member(body, "retry_after", 0, 1);
  if (!retry_after)
    return bad(retry_after.error().message());
  auto delay = count_member(body, "delay_ms", 0, 1);
  if (!delay)
    return bad(delay.error().message());
  Fault fault;
  fault.every = *every;
  fault.times = *times;
  fault.retry_after = *retry_after;
  fault.delay = std::chrono::milliseconds(*delay);
  if (const json::value* reset = body.if_contains("reset"); reset != nullptr) {
    if (!reset->is_bool() || !reset->as_bool())
      return bad("\"reset\" must be true, or absent for an answer with \"status\"");
    if (body.contains("status") || body.contains("content_type") || body.contains("body") ||
        body.contains("retry_after"))
      return bad(
          "a reset sends no answer: \"status\", \"content_type\", \"body\" and "
          "\"retry_after\" do not go with it");
    fault.reset = true;
    front.set_fault(name, std::move(fault));
    return reply(200, json::object{{"kind", name}, {"fault", body}});
  }
  if (!body.contains("status") && !body.contains("content_type") && !body.contains("body")) {
    if (*delay == 0 && *retry_after == 0)
      return bad("a fault needs \"status\", \"reset\", \"delay_ms\" or \"retry_after\"");
    front.set_fault(name, std::move(fault));  // the CA's own answer, late or with a Retry-After
    return reply(200, json::object{{"kind", name}, {"fault", body}});
  }
  const json::value* status = body.if_contains("status");
  const json::value* type = body.if_contains("content_type");
  const json::value* text = body.if_contains("body");
  if (status == nullptr || !status->is_int64() || status->as_int64() < 200 ||
      status->as_int64() > 599)
    return bad("\"status\" must be an HTTP status between 200 and 599");
  if (type == nullptr || !type->is_string() || text == nullptr || !text->is_string())
    return bad("\"content_type\" and \"body\" must be strings");
  fault.status = static_cast<unsigned>(status->as_int64());
  fault.content_type = std::string(type->as_string());
  fault.body = std::string(text->as_string());
  front.set_fault(name, std::move(fault));
  return reply(200, json::object{{"kind", name}, {"fault", body}});
}

}  // namespace

Response manage(Front& front, const Request& request) {
  const std::string_view path =
      std::string_view(request.target).substr(0, request.target.find('?'));
  using Route = Response (*)(Front&, const json::object&);
  static const std::pair<std::string_view, Route> posts[] = {
      {"/renewal-window", renewal_window},
      {"/replaced", replaced},
      {"/replaces-answer", replaces_answer},
      {"/clock", clock},
      {"/fault", fault},
  };
  if (path == "/stats")
    return request.method == "GET" ? stats(front) : reply(405, json::object{{"error", "GET only"}});
  for (const auto& [route, handler] : posts) {
    if (path != route)
      continue;
    if (request.method != "POST")
      return reply(405, json::object{{"error", "POST only"}});
    boost::system::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec || !body.is_object())
      return bad("the body must be a JSON object");
    return handler(front, body.as_object());
  }
  return reply(404, json::object{{"error", "no such management resource: " + std::string(path)}});
}

}  // namespace certmill::acmefront
