// certmill budgets: each ACME account's rate-limit budgets as the
// controller's scheduler counts them after a restart, read from the cluster
// (the Issuers, the Orders certmill labelled with their account, the
// closings on the account key Secrets) and replayed (budget_replay.hpp).
// Exit code 0, 2 for usage errors, 3 when the API cannot be asked.
#include <cstdio>

#include "core/ratelimits/closings.hpp"
#include "k8s/api_error.hpp"
#include "tools/certmill/commands.hpp"
#include "tools/certmill/ops/budget_table.hpp"
#include "tools/certmill/ops/command_support.hpp"

namespace certmill::cmd {

using namespace certmill::ops;

namespace {

// Reads what the replay needs. ClusterIssuers only with -A: their Orders are
// in every namespace, and one namespace's would undercount them.
Result<BudgetObjects> read_objects(Session& session, const std::string& ns, bool all,
                                   std::string cluster_resource_namespace) {
  BudgetObjects in{.issuers = {},
                   .orders = {},
                   .closings = {},
                   .cluster_resource_namespace = std::move(cluster_resource_namespace)};
  auto issuers = session.list<api::Issuer>(ns);
  if (!issuers)
    return issuers.error();
  for (auto& issuer : *issuers)
    in.issuers.push_back(controller::project_issuer(std::move(issuer)));
  if (all) {
    auto cluster = session.list<api::ClusterIssuer>("");
    if (!cluster)
      return cluster.error();
    for (auto& issuer : *cluster)
      in.issuers.push_back(controller::project_cluster_issuer(std::move(issuer)));
  }
  auto orders = session.list<api::Order>(ns, std::string(ratelimits::kAccountLabel));
  if (!orders)
    return orders.error();
  in.orders = std::move(*orders);
  for (const auto& issuer : in.issuers) {
    if (issuer.acme_key_secret.empty())
      continue;
    const auto slash = issuer.acme_key_secret.find('/');
    const std::string secret_ns =
        issuer.cluster ? in.cluster_resource_namespace : issuer.acme_key_secret.substr(0, slash);
    const std::string key = secret_ns + "/" + issuer.acme_key_secret.substr(slash + 1);
    if (in.closings.contains(key))
      continue;
    auto secret = session.get<api::Secret>(secret_ns, issuer.acme_key_secret.substr(slash + 1));
    if (!secret) {
      // No key yet: the account was never registered, so nothing was closed.
      if (k8s::is_not_found(secret.error()))
        continue;
      return secret.error();
    }
    const auto& annotations = secret->metadata.annotations;
    if (auto kept = annotations.find(std::string(ratelimits::kClosingsAnnotation));
        kept != annotations.end())
      in.closings.emplace(key, kept->second);
  }
  return in;
}

}  // namespace

int budgets(Args args) {
  cli::FlagSet flags("certmill budgets",
                     "Shows each ACME account's rate-limit budgets as certmill's scheduler\n"
                     "counts them: the new orders per account, the certificates per registered\n"
                     "domain and per exact set of names (the most spent first), how much of\n"
                     "each limit is used (its bucket's missing tokens: a certificate counts\n"
                     "from an hour after its order, when the CA may issue it), when the next\n"
                     "order fits, and until when a CA's 429 closed one. Counted from the\n"
                     "Orders certmill placed (label certmill.io/acme-account), the\n"
                     "Issuers' certmill.io/rate-limits and the account key Secrets' closings.\n"
                     "ClusterIssuers' accounts only with -A. Exit code 0, 2 for usage errors,\n"
                     "3 when the API cannot be asked.");
  OpsFlags ops;
  ops.add_to(flags, true, {"json"});
  std::string cluster_resource_namespace = "cert-manager";
  flags.add("cluster-resource-namespace", &cluster_resource_namespace,
            "where the controller keeps ClusterIssuers' Secrets (its flag of that name)");
  std::string suffix_list = ratelimits::PublicSuffixList::kDebianPath;
  flags.add("public-suffix-list", &suffix_list,
            "the Public Suffix List the controller reads (its flag of that name)");
  std::vector<std::string> positional;
  if (int code = parse_command(flags, args, 0, positional); code >= 0)
    return code;
  // As the controller: without the list a name counts under its last two labels.
  auto suffixes = ratelimits::PublicSuffixList::load(suffix_list);
  if (!suffixes)
    std::fprintf(stderr, "certmill: %s; registered domains are the last two labels\n",
                 suffixes.error().message().c_str());
  auto session = open_or_report(ops);
  if (!session)
    return kExitApi;
  const std::string ns = ops.all_namespaces ? "" : session->namespace_();
  auto in = read_objects(*session, ns, ops.all_namespaces, cluster_resource_namespace);
  if (!in)
    return report_error(*session, in.error(), "reading the ACME accounts", "cert-manager.io/v1");
  const Time now = now_seconds();
  const auto accounts =
      replay_budgets(*in, suffixes ? *suffixes : ratelimits::PublicSuffixList::parse(""), now);
  if (ops.output == "json") {
    print_structured(budget_document(accounts), "json");
    return kExitOk;
  }
  if (accounts.empty()) {
    std::fprintf(stderr, "No ACME Issuers found%s.\n",
                 ns.empty() ? "" : (" in namespace " + ns).c_str());
    return kExitOk;
  }
  std::fputs(budget_table(accounts, now).c_str(), stdout);
  return kExitOk;
}

}  // namespace certmill::cmd
