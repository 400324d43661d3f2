// Re-pointing certmill's HTTP-01 EndpointSlices at the new leader.
#include "controller/solver_endpoints.hpp"

#include "core/log.hpp"
#include "k8s/api_error.hpp"

namespace certmill::controller {

boost::asio::awaitable<Status> repoint(k8s::Client& client, const api::EndpointSlice& slice,
                                       const solvers::PodEndpoint& pod) {
  using Action = solvers::RepointPlan::Action;
  auto plan = solvers::repoint_plan(slice, pod);
  if (!plan)
    co_return plan.error();
  if (plan->action == Action::Keep)
    co_return Status{};
  if (plan->action == Action::Update) {
    auto updated = co_await client.update(plan->slice);
    co_return updated ? Status{} : Status(updated.error());
  }
  auto removed =
      co_await client.remove<api::EndpointSlice>(slice.metadata.namespace_, slice.metadata.name);
  if (!removed && !k8s::is_not_found(removed.error()))
    co_return removed;
  auto created = co_await client.create(plan->slice);
  co_return created ? Status{} : Status(created.error());
}

boost::asio::awaitable<RepointReport> repoint_solver_endpoints(k8s::Client& client,
                                                               std::string namespace_,
                                                               solvers::PodEndpoint pod) {
  RepointReport report;
  k8s::ListOptions options;
  options.label_selector = solvers::managed_slices_selector();
  do {
    auto page = co_await client.list<api::EndpointSlice>(namespace_, options);
    if (!page) {
      log::warn(
          "certmill's HTTP-01 EndpointSlices cannot be listed; open Challenges may "
          "still be routed to the former leader",
          {{"error", page.error().message()}});
      ++report.failed;
      co_return report;
    }
    for (const api::EndpointSlice& slice : page->items) {
      ++report.seen;
      if (Status done = co_await repoint(client, slice, pod); !done) {
        ++report.failed;
        log::warn("an HTTP-01 EndpointSlice cannot be pointed at this pod",
                  {{"endpointslice", slice.metadata.namespace_ + "/" + slice.metadata.name},
                   {"error", done.error().message()}});
      }
    }
    options.continue_token = page->continue_token;
  } while (!options.continue_token.empty());
  log::info("HTTP-01 EndpointSlices point at this pod",
            {{"seen", report.seen}, {"failed", report.failed}, {"pod_ip", pod.ip}});
  co_return report;
}

}  // namespace certmill::controller
