// The watch verb: replays the store or its history from the asked
// resourceVersion, then registers the watcher for what comes next.
#include "tools/kube-sim/api.hpp"
#include "tools/kube-sim/api_call.hpp"
#include "tools/kube-sim/meta.hpp"
#include "tools/kube-sim/objects_internal.hpp"
#include "tools/kube-sim/status.hpp"
#include "tools/kube-sim/table.hpp"

namespace certmill::kubesim {

namespace json = boost::json;

Response Api::watch(Call& call) {
  call.verb = "watch";
  const auto& t = *call.type;
  std::string error;
  std::optional<Selector> labels, fields;
  if (!parse_selectors(call.param("labelSelector"), call.param("fieldSelector"), t.builtin, labels,
                       fields, error))
    return bad_request(error);
  std::uint64_t from = 0;
  const std::string rv_text = call.param("resourceVersion");
  if (!rv_text.empty() && !uint_param(rv_text, from))
    return bad_request("invalid resource version: " + rv_text);
  auto w = std::make_shared<Watcher>();
  w->type_key = t.key();
  if (t.namespaced && call.ns_in_path)
    w->ns = call.ns;
  w->labels = std::move(*labels);
  w->fields = std::move(*fields);
  const std::string b = call.param("allowWatchBookmarks");
  w->bookmarks = b == "true" || b == "1";
  w->bookmark_api_version = t.group_version();
  w->bookmark_kind = t.kind;
  if (wants_table(call.request->accept)) {
    auto type = call.type;
    auto first = std::make_shared<bool>(true);
    w->render = [type, first](std::string_view event, const json::object& o) {
      json::object table = render_table(*type, {&o}, meta_string(o, "resourceVersion"), *first);
      *first = false;
      return event_line(event, table);
    };
  }
  auto deliver = [&](std::string_view event, const json::object& o, const Line& line) {
    if (w->render)
      w->push(std::make_shared<const std::string>(w->render(event, o)));
    else
      w->push(line ? line : std::make_shared<const std::string>(event_line(event, o)));
  };
  if (from == 0) {
    const auto& bucket = store_.bucket(t.key());
    const std::string prefix = w->ns.empty() ? "" : w->ns + "/";
    for (auto it = bucket.lower_bound(prefix);
         it != bucket.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
      if (w->wants(it->second))
        deliver("ADDED", it->second, nullptr);
    w->delivered_rv = store_.rv();
  } else if (from < store_.history_start()) {
    json::object s = status_object(410, "Expired",
                                   "too old resource version: " + std::to_string(from) + " (" +
                                       std::to_string(store_.history_start()) + ")");
    w->push(std::make_shared<const std::string>(event_line("ERROR", s)));
    w->closing = true;
  } else {
    for (const auto& e : store_.history())
      if (e.rv > from && e.type_key == w->type_key && w->wants(*e.object))
        deliver(e.event, *e.object, e.line);
    w->delivered_rv = std::max(from, store_.rv());
  }
  Response r;
  r.watch = w;
  std::uint64_t timeout = 0;
  r.watch_timeout = uint_param(call.param("timeoutSeconds"), timeout) && timeout > 0
                        ? std::chrono::seconds(timeout)
                        : options_.default_watch_timeout;
  if (!w->closing)
    store_.add_watcher(w);
  return r;
}

}  // namespace certmill::kubesim
