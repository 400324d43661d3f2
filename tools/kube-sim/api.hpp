// kube-sim's API: turns one HTTP request into one answer (or a watch) with
// kube-apiserver's semantics. Single-threaded: the server calls it from the
// one thread that owns the store.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "tools/kube-sim/http.hpp"
#include "tools/kube-sim/rbac.hpp"
#include "tools/kube-sim/resources.hpp"
#include "tools/kube-sim/store.hpp"
#include "tools/kube-sim/tokens.hpp"
#include "tools/servers/retry_after_ledger.hpp"

namespace certmill::kubesim {

struct Options {
  std::string token;
  std::size_t history_limit = 100000;
  std::string git_version = "v1.26.4";
  std::string server_address = "127.0.0.1:0";
  std::chrono::seconds default_watch_timeout{1800};
};

// Faults a reliability test switches on while kube-sim runs.
// One request a test wants answered with an error: the next `times`
// requests whose method is `method`, whose path contains `path` and whose
// body contains `body` (each empty: any) get `status`.
struct TargetedFault {
  std::string method;
  std::string path;
  std::string body;
  int status = 503;
  int times = 1;
};

struct Faults {
  double error_429 = 0;  // fraction of API requests answered 429 (with Retry-After)
  double error_500 = 0;
  double error_503 = 0;
  std::chrono::milliseconds latency{0};
  std::vector<TargetedFault> targeted;
};

class Api {
 public:
  explicit Api(Options options);

  Response handle(const Request& request);
  // The latency to add before answering `request` (0 for admin requests).
  std::chrono::milliseconds latency_for(const Request& request) const;

  void set_server_address(std::string a) { options_.server_address = std::move(a); }
  Store& store() { return store_; }
  Registry& registry() { return registry_; }
  Faults& faults() { return faults_; }
  boost::json::object stats() const;

 private:
  struct Call;
  Response dispatch(const Request& request, const Target& target, Call& call);
  Response admin(const Request& request, const Target& target);
  // The answer of the first targeted fault `request` matches, if any.
  std::optional<Response> targeted_fault(const Request& request);
  Response discovery(const Target& target, const std::vector<std::string>& s,
                     std::string_view accept, bool& handled);
  Response openapi(const std::vector<std::string>& s, std::string_view accept);
  // aggregation.cpp: a request under /apis/G/V that an APIService serves.
  std::optional<Response> aggregated(const Target& target, Call& call);

  // auth.cpp: who sent the request (bearer token, then impersonation) and
  // whether RBAC lets them; an answer (401, 403) when the request stops here.
  std::optional<Response> authenticate(const Request& request, Call& call);
  std::optional<Response> impersonate(const Request& request, Call& call);
  std::optional<Response> authorize(const Request& request, const Target& target, Call& call);
  // An apply that creates needs "create" too, as kube-apiserver checks.
  std::optional<Response> authorize_create(Call& call);
  Policy policy();
  // reviews.cpp: TokenRequest and the self-subject reviews.
  Response token_request(Call& call);
  Response access_review(Call& call);
  Response rules_review(Call& call);
  // scale.cpp: a Deployment's scale subresource (`kubectl scale`).
  Response scale(Call& call);
  Response resource(Call& call);

  Response get(Call& call);
  Response list(Call& call);
  Response watch(Call& call);
  Response create(Call& call, boost::json::object object, bool from_apply);
  Response update(Call& call);
  Response patch(Call& call);
  Response apply(Call& call, boost::json::object* current);
  Response remove(Call& call);
  Response remove_collection(Call& call);

  Response write_existing(Call& call, boost::json::object& current, boost::json::object updated,
                          std::string_view operation);
  // `old`: the stored object on an update or apply, null on a create.
  Response check_new_object(Call& call, boost::json::object& object,
                            const boost::json::object* old);
  // Stores `object` (ordered, with a new resourceVersion) and tells watchers.
  void put(const ResourceType& type, boost::json::object object, std::string_view event);
  // Deletes or, when finalizers hold it, marks for deletion. True if removed.
  bool delete_object(const std::string& type_key, const std::string& key,
                     std::string_view propagation, boost::json::object* result);
  void remove_object(const std::string& type_key, const std::string& key,
                     const boost::json::object* shown);
  // Garbage collection and namespace cleanup after deletions.
  void sweep();
  bool namespace_exists(std::string_view ns, bool* terminating) const;
  std::string manager_of(const Call& call) const;

  Options options_;
  Registry registry_;
  Store store_;
  Faults faults_;
  TokenTable tokens_;
  std::map<std::string, std::uint64_t> counts_;  // "verb resource code"
  // Writes that succeeded, by namespace ("" for cluster-scoped objects): a
  // test puts one Certificate in a namespace of its own to count its writes.
  std::map<std::string, std::uint64_t> namespace_writes_;
  // Writes that succeeded, by the user who sent them (after impersonation):
  // replicas with a ServiceAccount each are told apart, so a test sees
  // which of them wrote while it was not the leader.
  std::map<std::string, std::uint64_t> user_writes_;
  // The 429s' Retry-After, and the requests that came back before it passed.
  servers::RetryAfterLedger retry_after_;
  std::map<std::string, std::uint64_t> early_retries_;  // "verb resource"
  // Requests by the User-Agent's product ("certmill", "kubectl"): a test
  // tells the controller's traffic from its own reads.
  std::map<std::string, std::uint64_t> agent_requests_;

  std::mt19937_64 rng_{std::random_device{}()};
  bool sweep_needed_ = false;
  // Objects the garbage collector must look at (owner references, GC
  // finalizers, terminating namespaces): with none, a delete skips the sweep.
  std::size_t gc_relevant_ = 0;

  // The garbage collector's indexes, kept by put() and remove_object(), so
  // that a sweep looks at what a change concerns rather than the whole store
  // (a sweep per deleted Challenge over 10,000 Certificates' objects made
  // kube-sim the bottleneck of a 10,000-Certificate ACME fleet).
  using ObjectRef = std::pair<std::string, std::string>;  // type key, "ns/name"
  void index_for_gc(const ObjectRef& ref, const boost::json::object& object);
  void unindex_for_gc(const ObjectRef& ref, const boost::json::object& object);
  std::unordered_set<std::string> live_uids_;
  std::unordered_map<std::string, std::set<ObjectRef>> dependents_;  // by owner uid
  // Dependents whose owners may all be gone: written with owner references,
  // or an owner of theirs was removed.
  std::set<ObjectRef> owners_to_check_;
  // Deleted objects held by foregroundDeletion or orphan.
  std::set<ObjectRef> finalizing_;
};

}  // namespace certmill::kubesim
