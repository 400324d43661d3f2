// kube-sim's own semantics: watch resume, history loss (410), bookmarks,
// conflicts, pagination, selectors, the status subresource, garbage
// collection, namespace deletion, fault injection, accounting, bad input.
#include <catch2/catch.hpp>

#include "tests/kube_sim/fixture.hpp"

namespace json = boost::json;
using namespace certmill::test;
using namespace std::chrono_literals;

namespace {

const std::string certs = "/apis/cert-manager.io/v1/namespaces/default/certificates";

std::string cert(const std::string& name, const std::string& labels = "{}",
                 const std::string& extra_meta = "") {
  return R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":")" + name +
         R"(","labels":)" + labels + extra_meta + R"(},"spec":{"secretName":")" + name +
         R"(-tls","dnsNames":[")" + name + R"(.example.com"],"issuerRef":{"name":"ca"}}})";
}

std::string rv_of(const HttpResponse& r) {
  return std::string(body_of(r).at("metadata").at("resourceVersion").as_string());
}

struct Sim {
  explicit Sim(std::vector<std::string> args = {}) : sim(std::move(args)) { apply_crds(sim); }
  HttpResponse create(const std::string& name, const std::string& labels = "{}") {
    auto r = request(sim, "POST", certs, cert(name, labels));
    INFO(r.body);
    REQUIRE(r.status == 201);
    return r;
  }
  LineStream watch(const std::string& query) {
    HttpRequest r;
    r.target = certs + "?watch=1&" + query;
    r.token = sim.token;
    LineStream s(sim.port, r);
    REQUIRE(s.status() == 200);
    return s;
  }
  void faults(const std::string& body) {
    REQUIRE(request(sim, "PUT", "/kube-sim/faults", body).status == 200);
  }
  KubeSim sim;
};

// The type and object name of a watch line.
std::pair<std::string, std::string> event(const std::optional<std::string>& line) {
  REQUIRE(line);
  auto v = json::parse(*line);
  const auto& o = v.at("object").as_object();
  std::string name;
  if (auto* m = o.if_contains("metadata"); m && m->as_object().contains("name"))
    name = m->at("name").as_string();
  return {std::string(v.at("type").as_string()), name};
}

using Event = std::pair<std::string, std::string>;

}  // namespace

TEST_CASE("a watch resumes from a resourceVersion with every later event in order", "[watch]") {
  Sim s;
  const std::string from = rv_of(s.create("a"));
  s.create("b");
  REQUIRE(request(s.sim, "PATCH", certs + "/a", R"({"spec":{"secretName":"other"}})",
                  "application/merge-patch+json")
              .status == 200);
  REQUIRE(request(s.sim, "DELETE", certs + "/b").status == 200);
  auto w = s.watch("resourceVersion=" + from);
  CHECK(event(w.next(5s)) == Event{"ADDED", "b"});
  CHECK(event(w.next(5s)) == Event{"MODIFIED", "a"});
  CHECK(event(w.next(5s)) == Event{"DELETED", "b"});
  s.create("c");
  CHECK(event(w.next(5s)) == Event{"ADDED", "c"});
}

TEST_CASE("a watch without resourceVersion starts with the current objects", "[watch]") {
  Sim s;
  s.create("a");
  s.create("b");
  auto w = s.watch("resourceVersion=0");
  CHECK(event(w.next(5s)) == Event{"ADDED", "a"});
  CHECK(event(w.next(5s)) == Event{"ADDED", "b"});
}

TEST_CASE("after the history is forgotten a resume gets one ERROR event with 410", "[watch]") {
  Sim s;
  const std::string from = rv_of(s.create("a"));
  s.create("b");
  s.faults(R"({"forgetHistory":true})");
  auto w = s.watch("resourceVersion=" + from);
  auto line = w.next(5s);
  REQUIRE(line);
  auto v = json::parse(*line);
  CHECK(v.at("type") == "ERROR");
  CHECK(v.at("object").at("code") == 410);
  CHECK(v.at("object").at("reason") == "Expired");
  CHECK_FALSE(w.next(5s));
  CHECK(w.ended());
}

TEST_CASE("history is bounded: a resume older than it gets 410", "[watch]") {
  Sim s({"--history", "3"});
  const std::string from = rv_of(s.create("a"));
  for (const char* n : {"b", "c", "d", "e"})
    s.create(n);
  auto w = s.watch("resourceVersion=" + from);
  auto v = json::parse(*w.next(5s));
  CHECK(v.at("object").at("code") == 410);
}

TEST_CASE("bookmarks carry only the resourceVersion: timeoutSeconds ends the stream", "[watch]") {
  Sim s({"--bookmark-interval", "100ms"});
  const std::string rv = rv_of(s.create("a"));
  auto w = s.watch("resourceVersion=" + rv + "&allowWatchBookmarks=true&timeoutSeconds=1");
  auto v = json::parse(*w.next(5s));
  CHECK(v.at("type") == "BOOKMARK");
  const auto& o = v.at("object").as_object();
  CHECK(o.at("kind") == "Certificate");
  CHECK(o.at("apiVersion") == "cert-manager.io/v1");
  CHECK(o.at("metadata").as_object().size() == 1);
  CHECK(o.at("metadata").at("resourceVersion") == json::value(rv));
  while (w.next(5s)) {
  }
  CHECK(w.ended());
}

TEST_CASE("watches filter by label and field selectors", "[watch]") {
  Sim s;
  auto by_label = s.watch("labelSelector=team%3Dweb");
  auto by_name = s.watch("fieldSelector=metadata.name%3Dz");
  s.create("x", R"({"team":"db"})");
  s.create("y", R"({"team":"web"})");
  s.create("z");
  CHECK(event(by_label.next(5s)) == Event{"ADDED", "y"});
  CHECK(event(by_name.next(5s)) == Event{"ADDED", "z"});
  CHECK_FALSE(by_label.next(200ms));
}

TEST_CASE("the closeWatches fault ends every watch stream", "[watch][faults]") {
  Sim s;
  auto w = s.watch("");
  s.faults(R"({"closeWatches":true})");
  CHECK_FALSE(w.next(5s));
  CHECK(w.ended());
}

TEST_CASE("the holdWatch fault keeps a type's events back from a given one until released",
          "[watch][faults]") {
  Sim s;
  auto w = s.watch("resourceVersion=" + rv_of(s.create("a")));
  s.faults(R"({"holdWatch":{"type":"cert-manager.io/certificates","from":["\"name\":\"c\""]}})");
  s.create("b");
  CHECK(event(w.next(5s)) == Event{"ADDED", "b"});
  s.create("c");  // the first held
  s.create("d");
  CHECK_FALSE(w.next(300ms));
  // Held from the watchers only: the store and a list have them.
  CHECK(request(s.sim, "GET", certs + "/d").status == 200);
  s.faults(R"({"releaseWatch":true})");
  CHECK(event(w.next(5s)) == Event{"ADDED", "c"});
  CHECK(event(w.next(5s)) == Event{"ADDED", "d"});
  s.create("e");
  CHECK(event(w.next(5s)) == Event{"ADDED", "e"});
}

TEST_CASE("a stale resourceVersion is a 409 Conflict: a write that changes nothing keeps it",
          "[writes]") {
  Sim s;
  auto created = body_of(s.create("a"));
  const std::string first = std::string(created.at("metadata").at("resourceVersion").as_string());
  auto updated = created;
  updated.at("spec").as_object()["secretName"] = "changed";
  auto r = request(s.sim, "PUT", certs + "/a", json::serialize(updated));
  REQUIRE(r.status == 200);
  CHECK(body_of(r).at("metadata").at("generation") == 2);
  auto stale = request(s.sim, "PUT", certs + "/a", json::serialize(updated));
  CHECK(stale.status == 409);
  CHECK(body_of(stale).at("reason") == "Conflict");
  auto patch_stale = request(s.sim, "PATCH", certs + "/a",
                             R"({"metadata":{"resourceVersion":")" + first + R"("}})",
                             "application/merge-patch+json");
  CHECK(patch_stale.status == 409);
  auto current = body_of(request(s.sim, "GET", certs + "/a"));
  auto same = request(s.sim, "PUT", certs + "/a", json::serialize(current));
  REQUIRE(same.status == 200);
  CHECK(rv_of(same) == std::string(current.at("metadata").at("resourceVersion").as_string()));
}

TEST_CASE("the status subresource and the main resource ignore each other's changes", "[writes]") {
  Sim s;
  auto o = body_of(s.create("a"));
  o.as_object()["status"] = json::object{{"revision", 3}};
  o.at("spec").as_object()["secretName"] = "via-status";
  auto r = request(s.sim, "PUT", certs + "/a/status", json::serialize(o));
  REQUIRE(r.status == 200);
  auto after = body_of(r);
  CHECK(after.at("status").at("revision") == 3);
  CHECK(after.at("spec").at("secretName") == "a-tls");
  CHECK(after.at("metadata").at("generation") == 1);
  auto main = request(s.sim, "PATCH", certs + "/a", R"({"status":{"revision":9}})",
                      "application/merge-patch+json");
  REQUIRE(main.status == 200);
  CHECK(body_of(main).at("status").at("revision") == 3);
}

TEST_CASE("lists page with limit and continue, counting what remains", "[lists]") {
  Sim s;
  for (int i = 0; i < 7; ++i)
    s.create("c" + std::to_string(i));
  std::vector<std::string> seen;
  std::string cont;
  std::vector<std::int64_t> remaining;
  do {
    auto page = body_of(
        request(s.sim, "GET", certs + "?limit=3" + (cont.empty() ? "" : "&continue=" + cont)));
    for (const auto& item : page.at("items").as_array())
      seen.emplace_back(item.at("metadata").at("name").as_string());
    const auto& m = page.at("metadata").as_object();
    cont = std::string(m.at("continue").as_string());
    remaining.push_back(m.contains("remainingItemCount") ? m.at("remainingItemCount").as_int64()
                                                         : -1);
  } while (!cont.empty());
  CHECK(seen == std::vector<std::string>{"c0", "c1", "c2", "c3", "c4", "c5", "c6"});
  CHECK(remaining == std::vector<std::int64_t>{4, 1, -1});
}

TEST_CASE("label selectors support =, ==, !=, in, notin, exists and !exists", "[lists]") {
  Sim s;
  s.create("a", R"({"tier":"web","env":"prod"})");
  s.create("b", R"({"tier":"db","env":"prod"})");
  s.create("c", R"({"tier":"web"})");
  auto names = [&](const std::string& selector) {
    std::vector<std::string> out;
    auto r = request(s.sim, "GET", certs + "?labelSelector=" + selector);
    REQUIRE(r.status == 200);
    const auto list = body_of(r);
    for (const auto& item : list.at("items").as_array())
      out.emplace_back(item.at("metadata").at("name").as_string());
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(names("tier%3Dweb") == V{"a", "c"});
  CHECK(names("tier%3D%3Dweb") == V{"a", "c"});
  CHECK(names("tier!%3Dweb") == V{"b"});
  CHECK(names("tier+in+(db,cache)") == V{"b"});
  CHECK(names("tier+notin+(db)") == V{"a", "c"});
  CHECK(names("env") == V{"a", "b"});
  CHECK(names("!env") == V{"c"});
  CHECK(names("tier%3Dweb,env") == V{"a"});
  auto bad = request(s.sim, "GET", certs + "?labelSelector=tier+in+(web");
  CHECK(bad.status == 400);
  CHECK(body_of(bad).at("reason") == "BadRequest");
}

TEST_CASE("dependents are garbage-collected with their owner, per propagation policy", "[gc]") {
  Sim s;
  const std::string cms = "/api/v1/namespaces/default/configmaps";
  auto owner_of = [&](const std::string& name) {
    auto r =
        request(s.sim, "POST", cms,
                R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name + R"("}})");
    REQUIRE(r.status == 201);
    return std::string(body_of(r).at("metadata").at("uid").as_string());
  };
  auto dependent = [&](const std::string& name, const std::string& uid) {
    auto r = request(
        s.sim, "POST", certs,
        cert(name, "{}",
             R"(,"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"o","uid":")" +
                 uid + R"("}])"));
    REQUIRE(r.status == 201);
  };
  SECTION("background") {
    dependent("d", owner_of("o"));
    REQUIRE(request(s.sim, "DELETE", cms + "/o").status == 200);
    CHECK(request(s.sim, "GET", certs + "/d").status == 404);
  }
  SECTION("foreground: the owner goes once its dependents are gone") {
    dependent("d", owner_of("o"));
    auto r = request(s.sim, "DELETE", cms + "/o", R"({"propagationPolicy":"Foreground"})");
    REQUIRE(r.status == 200);
    CHECK(request(s.sim, "GET", certs + "/d").status == 404);
    CHECK(request(s.sim, "GET", cms + "/o").status == 404);
  }
  SECTION("a dependent of two owners stays until both are gone") {
    const std::string a = owner_of("a"), b = owner_of("b");
    auto r = request(
        s.sim, "POST", certs,
        cert("d", "{}",
             R"(,"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"a","uid":")" + a +
                 R"("},{"apiVersion":"v1","kind":"ConfigMap","name":"b","uid":")" + b + R"("}])"));
    REQUIRE(r.status == 201);
    REQUIRE(request(s.sim, "DELETE", cms + "/a").status == 200);
    CHECK(request(s.sim, "GET", certs + "/d").status == 200);
    REQUIRE(request(s.sim, "DELETE", cms + "/b").status == 200);
    CHECK(request(s.sim, "GET", certs + "/d").status == 404);
  }
  SECTION("a chain of dependents goes with its first owner") {
    dependent("d", owner_of("o"));
    const std::string d_uid = std::string(
        body_of(request(s.sim, "GET", certs + "/d")).at("metadata").at("uid").as_string());
    auto r = request(
        s.sim, "POST", cms,
        R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"e","ownerReferences":[{"apiVersion":"cert-manager.io/v1","kind":"Certificate","name":"d","uid":")" +
            d_uid + R"("}]}})");
    REQUIRE(r.status == 201);
    REQUIRE(request(s.sim, "DELETE", cms + "/o").status == 200);
    CHECK(request(s.sim, "GET", certs + "/d").status == 404);
    CHECK(request(s.sim, "GET", cms + "/e").status == 404);
  }
  SECTION("a dependent whose owner never existed goes") {
    dependent("d", "no-such-uid");
    REQUIRE(request(s.sim, "DELETE", cms + "/unrelated").status == 404);
    const std::string unrelated = owner_of("u");
    REQUIRE(request(s.sim, "DELETE", cms + "/u").status == 200);
    CHECK(request(s.sim, "GET", certs + "/d").status == 404);
    CHECK_FALSE(unrelated.empty());
  }
  SECTION("orphan: dependents stay, without the owner reference") {
    dependent("d", owner_of("o"));
    REQUIRE(request(s.sim, "DELETE", cms + "/o?propagationPolicy=Orphan").status == 200);
    auto d = request(s.sim, "GET", certs + "/d");
    REQUIRE(d.status == 200);
    CHECK(body_of(d).at("metadata").at("ownerReferences").as_array().empty());
    CHECK(request(s.sim, "GET", cms + "/o").status == 404);
  }
}

TEST_CASE("finalizers hold a deleted object until they are removed", "[gc]") {
  Sim s;
  REQUIRE(request(s.sim, "POST", certs, cert("held", "{}", R"(,"finalizers":["example.com/hold"])"))
              .status == 201);
  auto deleted = request(s.sim, "DELETE", certs + "/held");
  REQUIRE(deleted.status == 200);
  CHECK(body_of(deleted).at("metadata").as_object().contains("deletionTimestamp"));
  CHECK(request(s.sim, "GET", certs + "/held").status == 200);
  auto w = s.watch("resourceVersion=" + rv_of(deleted));
  REQUIRE(request(s.sim, "PATCH", certs + "/held", R"({"metadata":{"finalizers":null}})",
                  "application/merge-patch+json")
              .status == 200);
  CHECK(request(s.sim, "GET", certs + "/held").status == 404);
  CHECK(event(w.next(5s)) == Event{"DELETED", "held"});
}

TEST_CASE("deleting a namespace deletes its contents, then the namespace", "[gc]") {
  Sim s;
  REQUIRE(request(s.sim, "POST", "/api/v1/namespaces",
                  R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}})")
              .status == 201);
  const std::string team = "/apis/cert-manager.io/v1/namespaces/team/certificates";
  REQUIRE(request(s.sim, "POST", team, cert("free")).status == 201);
  REQUIRE(request(s.sim, "POST", team, cert("held", "{}", R"(,"finalizers":["example.com/hold"])"))
              .status == 201);
  auto r = request(s.sim, "DELETE", "/api/v1/namespaces/team");
  REQUIRE(r.status == 200);
  CHECK(body_of(r).at("status").at("phase") == "Terminating");
  CHECK(request(s.sim, "GET", team + "/free").status == 404);
  CHECK(request(s.sim, "GET", team + "/held").status == 200);
  auto refused = request(s.sim, "POST", team, cert("late"));
  CHECK(refused.status == 403);
  CHECK(body_of(refused).at("reason") == "Forbidden");
  REQUIRE(request(s.sim, "PATCH", team + "/held", R"({"metadata":{"finalizers":null}})",
                  "application/merge-patch+json")
              .status == 200);
  CHECK(request(s.sim, "GET", "/api/v1/namespaces/team").status == 404);
}

TEST_CASE("error faults answer a fraction of API requests, never the admin endpoints", "[faults]") {
  Sim s;
  SECTION("429 with Retry-After") {
    s.faults(R"({"error429":1})");
    auto r = request(s.sim, "GET", certs);
    CHECK(r.status == 429);
    CHECK(r.header("retry-after") == "1");
    CHECK(body_of(r).at("reason") == "TooManyRequests");
  }
  SECTION("500") {
    s.faults(R"({"error500":1})");
    CHECK(request(s.sim, "GET", certs).status == 500);
  }
  SECTION("the next requests that match, as many times as asked") {
    REQUIRE(request(s.sim, "POST", certs, cert("a")).status == 201);
    s.faults(R"({"failNext":{"method":"GET","path":"/certificates/a","status":500,"times":2}})");
    CHECK(request(s.sim, "GET", certs).status == 200);  // the list does not match
    CHECK(request(s.sim, "GET", certs + "/a").status == 500);
    CHECK(request(s.sim, "GET", certs + "/a").status == 500);
    CHECK(request(s.sim, "GET", certs + "/a").status == 200);
    s.faults(R"({"failNext":{"method":"POST","body":"\"name\":\"c\"","status":503}})");
    CHECK(request(s.sim, "POST", certs, cert("b")).status == 201);
    CHECK(request(s.sim, "POST", certs, cert("c")).status == 503);
    CHECK(request(s.sim, "POST", certs, cert("c")).status == 201);
  }
  SECTION("503") {
    s.faults(R"({"error503":1})");
    CHECK(request(s.sim, "GET", certs).status == 503);
  }
  SECTION("half of them") {
    s.faults(R"({"error503":0.5})");
    int failed = 0;
    for (int i = 0; i < 200; ++i)
      failed += request(s.sim, "GET", certs).status == 503;
    CHECK(failed > 40);
    CHECK(failed < 160);
  }
  CHECK(request(s.sim, "GET", "/kube-sim/stats").status == 200);
  s.faults(R"({"error429":0,"error500":0,"error503":0})");
  CHECK(request(s.sim, "GET", certs).status == 200);
}

TEST_CASE("added latency delays requests without failing them", "[faults]") {
  Sim s({"--fault-latency", "50ms"});
  auto f = body_of(request(s.sim, "GET", "/kube-sim/faults"));
  CHECK(f.at("latencyMs") == 50);
  CHECK(request(s.sim, "GET", certs).status == 200);
  s.faults(R"({"latencyMs":0})");
  CHECK(body_of(request(s.sim, "GET", "/kube-sim/faults")).at("latencyMs") == 0);
}

TEST_CASE("requests are counted by verb, resource and status code", "[stats]") {
  Sim s;
  s.create("a");
  s.create("b");
  request(s.sim, "GET", certs + "/missing");
  auto stats = body_of(request(s.sim, "GET", "/kube-sim/stats"));
  auto count = [&](const std::string& verb, const std::string& resource, int code) {
    for (const auto& e : stats.at("requests").as_array())
      if (e.at("verb") == json::value(verb) && e.at("resource") == json::value(resource) &&
          e.at("code") == code)
        return e.at("count").as_int64();
    return std::int64_t{0};
  };
  CHECK(count("create", "certificates", 201) == 2);
  CHECK(count("get", "certificates", 404) == 1);
  CHECK(count("create", "customresourcedefinitions", 201) == 6);
}

TEST_CASE("bad input gets kube-apiserver's status codes and Status objects", "[errors]") {
  Sim s({"--body-limit", "65536"});
  auto status = [](const HttpResponse& r) { return body_of(r).at("reason"); };
  auto malformed = request(s.sim, "POST", certs, "{not json");
  CHECK(malformed.status == 400);
  CHECK(status(malformed) == "BadRequest");
  auto wrong_kind =
      request(s.sim, "POST", certs,
              R"({"apiVersion":"cert-manager.io/v1","kind":"Issuer","metadata":{"name":"x"}})");
  CHECK(wrong_kind.status == 422);
  CHECK(status(wrong_kind) == "Invalid");
  auto bad_labels = request(s.sim, "POST", certs, cert("l", "5"));
  CHECK(bad_labels.status == 422);
  CHECK(body_of(bad_labels).at("details").at("causes").at(0).at("field") == "metadata.labels");
  auto unknown = request(s.sim, "GET", "/apis/cert-manager.io/v1/namespaces/default/widgets");
  CHECK(unknown.status == 404);
  CHECK(unknown.body == "404 page not found\n");
  auto huge =
      request(s.sim, "POST", certs,
              cert("big", "{}", R"(,"annotations":{"x":")" + std::string(100000, 'x') + R"("})"));
  CHECK(huge.status == 413);
  CHECK(status(huge) == "RequestEntityTooLarge");
  auto field = request(s.sim, "GET", certs + "?fieldSelector=spec.secretName%3Dx");
  CHECK(field.status == 400);
  auto patch = request(s.sim, "PATCH", certs + "/a", "[1,2", "application/json-patch+json");
  CHECK(patch.status == 404);
  s.create("a");
  auto bad_patch = request(s.sim, "PATCH", certs + "/a", "[1,2", "application/json-patch+json");
  CHECK(bad_patch.status == 400);
  auto failed_op =
      request(s.sim, "PATCH", certs + "/a", R"([{"op":"remove","path":"/spec/nothing"}])",
              "application/json-patch+json");
  CHECK(failed_op.status == 422);
  HttpRequest anonymous;
  anonymous.target = certs;
  CHECK(send(s.sim.port, anonymous).status == 401);
}

TEST_CASE("kube-sim exits cleanly on SIGTERM, also with a watch open", "[process]") {
  Sim s;
  auto w = s.watch("");
  CHECK(s.sim.stop() == 0);
}

TEST_CASE("YAML bodies may use flow collections of plain scalars", "[writes]") {
  Sim s;
  auto r = request(s.sim, "POST", "/apis/cert-manager.io/v1/namespaces/default/certificates",
                   "apiVersion: cert-manager.io/v1\n"
                   "kind: Certificate\n"
                   "metadata:\n"
                   "  name: flow\n"
                   "  labels: {app: web, tier: \"front, end\"}\n"
                   "spec:\n"
                   "  secretName: flow-tls\n"
                   "  dnsNames: [a.example.com, 'b.example.com', [nested]]\n"
                   "  issuerRef: {name: ca, kind: Issuer}\n",
                   "application/yaml");
  INFO(r.body);
  // A nested sequence is not a DNS name: schema validation says so, which
  // shows the flow was read as structure rather than as one string.
  REQUIRE(r.status == 422);
  r = request(s.sim, "POST", "/apis/cert-manager.io/v1/namespaces/default/certificates",
              "apiVersion: cert-manager.io/v1\n"
              "kind: Certificate\n"
              "metadata:\n"
              "  name: flow\n"
              "  labels: {app: web, tier: \"front, end\"}\n"
              "spec:\n"
              "  secretName: flow-tls\n"
              "  dnsNames: [a.example.com, 'b.example.com']\n"
              "  issuerRef: {name: ca, kind: Issuer}\n",
              "application/yaml");
  INFO(r.body);
  REQUIRE(r.status == 201);
  const auto v = body_of(r);
  CHECK(v.at("spec").at("dnsNames") == json::array{"a.example.com", "b.example.com"});
  CHECK(v.at("spec").at("issuerRef").at("kind") == "Issuer");
  CHECK(v.at("metadata").at("labels").at("tier") == "front, end");
}
