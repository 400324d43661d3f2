// Decoding what a real API server sent: watch streams, paged lists and error
// Status bodies recorded in tests/core/kube-api/.
#include <catch2/catch.hpp>

#include "core/api/certificate.hpp"
#include "core/api/codec.hpp"
#include "core/api/status.hpp"
#include "tests/support/files.hpp"
#include "tests/support/http_recording.hpp"

using namespace certmill;
using namespace certmill::api;

namespace {

std::string recording(const std::string& name) {
  return test::read_file("tests/core/kube-api/" + name + ".response.txt");
}

}  // namespace

TEST_CASE("a watch stream with bookmarks decodes event by event") {
  const auto lines = test::body_lines(recording("10-watch-bookmarks"));
  REQUIRE(lines.size() == 19);
  std::map<WatchEventType, int> seen;
  for (const std::string& line : lines) {
    auto event = decode_watch_event<Certificate>(line);
    if (!event.ok())
      FAIL(event.error().message());
    ++seen[event->type];
    if (event->type == WatchEventType::Bookmark) {
      CHECK(event->bookmark_resource_version == "239");
      CHECK_FALSE(event->object.has_value());
    } else {
      REQUIRE(event->object.has_value());
      CHECK_FALSE(event->object->metadata.resource_version.empty());
      CHECK_FALSE(event->object->spec.secret_name.empty());
      CHECK(event->bookmark_resource_version.empty());
    }
    CHECK_FALSE(event->error.has_value());
  }
  CHECK(seen[WatchEventType::Added] == 4);
  CHECK(seen[WatchEventType::Modified] == 8);
  CHECK(seen[WatchEventType::Deleted] == 4);
  CHECK(seen[WatchEventType::Bookmark] == 3);

  auto first = decode_watch_event<Certificate>(lines.front());
  REQUIRE(first.ok());
  CHECK(first->type == WatchEventType::Modified);
  CHECK(first->object->metadata.name == "web");
  CHECK(first->object->metadata.generation == 2);
  CHECK(first->object->spec.dns_names ==
        std::vector<std::string>{"web.example.com", "api.example.com"});
}

TEST_CASE("the initial events of a watch from resourceVersion 0 are ADDED") {
  const auto lines = test::body_lines(recording("10-watch-rv0-initial-events"));
  REQUIRE(lines.size() == 5);
  std::vector<std::string> names;
  for (const std::string& line : lines) {
    auto event = decode_watch_event<Certificate>(line);
    REQUIRE(event.ok());
    CHECK(event->type == WatchEventType::Added);
    names.push_back(event->object->metadata.name);
  }
  CHECK(names == std::vector<std::string>{"c1", "c2", "c3", "c4", "c5"});
}

TEST_CASE("a watch from a compacted resourceVersion ends with 410 Expired") {
  const auto lines = test::body_lines(recording("11-watch-rv-too-old"));
  REQUIRE(lines.size() == 1);
  auto event = decode_watch_event<Certificate>(lines[0]);
  REQUIRE(event.ok());
  CHECK(event->type == WatchEventType::Error);
  CHECK_FALSE(event->object.has_value());
  REQUIRE(event->error.has_value());
  CHECK(event->error->code == 410);
  CHECK(event->error->reason == "Expired");
  CHECK(event->error->status == "Failure");
  CHECK(event->error->message == "too old resource version: 1 (198)");
}

TEST_CASE("malformed watch lines are errors that say why") {
  struct Case {
    const char* line;
    Errc code;
    const char* message;
  };
  const Case cases[] = {
      {R"({"object":{}})", Errc::missing_field, "type: required field is missing"},
      {R"({"type":"ADDED"})", Errc::missing_field, "object: required field is missing"},
      {R"({"type":"ADDED","object":null})", Errc::missing_field,
       "object: required field is missing"},
      {R"({"type":"SYNC","object":{}})", Errc::invalid_value,
       "type: unknown value \"SYNC\"; expected one of ADDED, MODIFIED, DELETED, BOOKMARK, ERROR"},
      {R"({"type":7,"object":{}})", Errc::wrong_type, "type: expected string, got number"},
      {R"({"type":"BOOKMARK","object":{"metadata":{}}})", Errc::missing_field,
       "object.metadata.resourceVersion: required field is missing"},
      {R"({"type":"BOOKMARK","object":{"kind":"Secret","metadata":{"resourceVersion":"1"}}})",
       Errc::wrong_kind, "object.kind: expected \"Certificate\", got \"Secret\""},
      {R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":12}}})", Errc::wrong_type,
       "object.metadata.resourceVersion: expected string, got number"},
      {R"({"type":"ERROR","object":{"kind":"Status","code":"410"}})", Errc::wrong_type,
       "object.code: expected integer, got string"},
      {R"(["ADDED"])", Errc::wrong_type, "(document): expected object, got array"},
      {R"({"type":"ADDED","object":{)", Errc::invalid_json, nullptr},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    auto event = decode_watch_event<Certificate>(c.line);
    REQUIRE_FALSE(event.ok());
    CHECK(event.error().code() == c.code);
    if (c.message != nullptr)
      CHECK(event.error().message() == c.message);
  }
}

TEST_CASE("a well-formed event whose object does not decode names the object and the field") {
  struct Case {
    const char* line;
    Errc code;
    const char* message;
    const char* name;
  };
  const Case cases[] = {
      {R"({"type":"MODIFIED","object":{"kind":"Issuer","metadata":{"name":"x"}}})",
       Errc::wrong_kind, "object.kind: expected \"Certificate\", got \"Issuer\"", "x"},
      {R"({"type":"ADDED","object":{"metadata":{"name":"a","namespace":"n","resourceVersion":"9"},)"
       R"("spec":{"secretName":"s"}}})",
       Errc::missing_field, "object.spec.issuerRef: required field is missing", "a"},
      {R"({"type":"DELETED","object":{"metadata":{"name":"b"},"spec":{"secretName":"s",)"
       R"("issuerRef":{"name":"i"},"dnsNames":[7]}}})",
       Errc::wrong_type, "object.spec.dnsNames[0]: expected string, got number", "b"},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    auto event = decode_watch_event<Certificate>(c.line);
    REQUIRE(event.ok());
    CHECK_FALSE(event->object.has_value());
    REQUIRE(event->invalid.has_value());
    CHECK(event->invalid->name == c.name);
    CHECK(event->invalid->error.code() == c.code);
    CHECK(event->invalid->error.message() == c.message);
  }
  auto added = decode_watch_event<Certificate>(cases[1].line);
  CHECK(added->invalid->namespace_ == "n");
  CHECK(added->invalid->resource_version == "9");
}

TEST_CASE("a list keeps its good items and names the ones that do not decode") {
  auto list = decode_list<Certificate>(
      R"({"kind":"CertificateList","metadata":{"resourceVersion":"5"},"items":[)"
      R"({"metadata":{"name":"good","namespace":"n"},"spec":{"secretName":"s","issuerRef":{"name":"i"}}},)"
      R"({"metadata":{"name":"bad","namespace":"n"},"spec":{"secretName":"s","issuerRef":{"name":"i"},)"
      R"("duration":"90 days"}}]})");
  REQUIRE(list.ok());
  REQUIRE(list->items.size() == 1);
  CHECK(list->items[0].metadata.name == "good");
  REQUIRE(list->invalid.size() == 1);
  CHECK(list->invalid[0].name == "bad");
  CHECK(list->invalid[0].namespace_ == "n");
  CHECK_THAT(list->invalid[0].error.message(),
             Catch::StartsWith("items[1].spec.duration: invalid duration \"90 days\""));
}

TEST_CASE("paged list responses decode with their continue tokens") {
  std::vector<std::string> names;
  const char* pages[] = {"05-list-limit2-page1", "05-list-limit2-page2", "05-list-limit2-page3"};
  std::vector<std::optional<int64_t>> remaining;
  std::vector<bool> has_continue;
  for (const char* page : pages) {
    auto list = decode_list<Certificate>(test::response_body(recording(page)));
    REQUIRE(list.ok());
    CHECK(list->resource_version == "205");
    remaining.push_back(list->remaining_item_count);
    has_continue.push_back(!list->continue_token.empty());
    for (const Certificate& cert : list->items) {
      names.push_back(cert.metadata.name);
      CHECK(cert.spec.issuer_ref.name == "ca-issuer");
      CHECK(cert.spec.secret_name == cert.metadata.name + "-tls");
    }
  }
  CHECK(names == std::vector<std::string>{"c1", "c2", "c3", "c4", "c5"});
  CHECK(remaining == std::vector<std::optional<int64_t>>{3, 1, std::nullopt});
  CHECK(has_continue == std::vector<bool>{true, true, false});
}

TEST_CASE("error responses decode as Status") {
  SECTION("404 on a missing object") {
    auto status = decode<api::Status>(test::response_body(recording("07-get-missing")));
    REQUIRE(status.ok());
    CHECK(status->code == 404);
    CHECK(status->reason == "NotFound");
    CHECK(status->message == "certificates.cert-manager.io \"missing\" not found");
    REQUIRE(status->details.has_value());
    CHECK(status->details->name == "missing");
    CHECK(status->details->group == "cert-manager.io");
    CHECK(status->details->kind == "certificates");
  }
  SECTION("409 on a stale resourceVersion") {
    auto status =
        decode<api::Status>(test::response_body(recording("06-put-stale-resourceversion")));
    REQUIRE(status.ok());
    CHECK(status->code == 409);
    CHECK(status->reason == "Conflict");
    CHECK_THAT(status->message, Catch::Contains("the object has been modified"));
  }
  SECTION("causes and retryAfterSeconds") {
    auto status = decode<api::Status>(
        R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422,)"
        R"("details":{"name":"web","kind":"Certificate","retryAfterSeconds":5,"causes":[)"
        R"({"reason":"FieldValueRequired","message":"Required value","field":"spec.secretName"}]}})");
    REQUIRE(status.ok());
    CHECK(status->details->retry_after_seconds == 5);
    REQUIRE(status->details->causes.size() == 1);
    CHECK(status->details->causes[0].field == "spec.secretName");
    auto again = decode<api::Status>(encode(*status));
    REQUIRE(again.ok());
    CHECK(*again == *status);
  }
  SECTION("a body of another kind is refused") {
    auto status =
        decode<api::Status>(R"({"kind":"Certificate","apiVersion":"cert-manager.io/v1"})");
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code() == Errc::wrong_kind);
  }
}

TEST_CASE("recorded bodies are read with or without chunk framing") {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(test::body_lines(head +
                         "6\r\n{\"a\":1\r\n3\r\n}\n{\r\n5\r\n\"b\":2\r\n2\r\n}\n\r\n0\r\n\r\n") ==
        std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});
  CHECK(test::body_lines(head + "{\"a\":1}\r\n{\"b\":2}\r\n") ==
        std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});
  CHECK(test::response_body("HTTP/1.1 404 Not Found\nContent-Length: 2\n\n{}") == "{}");
}
