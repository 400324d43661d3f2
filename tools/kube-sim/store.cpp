// Store bookkeeping and event fan-out: an event is serialized once and the
// same bytes are queued for every watcher that wants it.
#include "tools/kube-sim/store.hpp"

#include <algorithm>

namespace certmill::kubesim {

namespace json = boost::json;

namespace {

std::string_view namespace_of(const json::object& object) {
  if (auto* m = object.if_contains("metadata"); m && m->is_object())
    if (auto* ns = m->as_object().if_contains("namespace"); ns && ns->is_string())
      return ns->as_string();
  return {};
}

}  // namespace

bool Watcher::wants(const json::object& object) const {
  if (!ns.empty() && namespace_of(object) != ns)
    return false;
  return matches_labels(labels, object) && matches_fields(fields, object);
}

void Watcher::push(Line line) {
  if (closing)
    return;
  if (queue.size() >= max_queue) {
    // A consumer this far behind is cut off, as kube-apiserver does.
    closing = true;
  } else {
    queue.push_back(std::move(line));
  }
  if (wake)
    wake();
}

std::string Store::key(std::string_view ns, std::string_view name) {
  std::string k(ns);
  k += '/';
  k += name;
  return k;
}

json::object* Store::find(const std::string& type_key, std::string_view ns, std::string_view name) {
  auto b = buckets_.find(type_key);
  if (b == buckets_.end())
    return nullptr;
  auto it = b->second.find(key(ns, name));
  return it == b->second.end() ? nullptr : &it->second;
}

std::string event_line(std::string_view type, const json::object& object) {
  std::string line = "{\"type\":\"";
  line += type;
  line += "\",\"object\":";
  line += json::serialize(object);
  line += "}\n";
  return line;
}

std::string bookmark_line(const Watcher& w, std::uint64_t rv) {
  json::object o;
  o["apiVersion"] = w.bookmark_api_version;
  o["kind"] = w.bookmark_kind;
  o["metadata"] = json::object{{"resourceVersion", std::to_string(rv)}};
  return event_line("BOOKMARK", o);
}

void Store::deliver(const std::string& type_key, std::string_view event, const json::object& object,
                    std::uint64_t rv, const Line& line) {
  for (auto it = watchers_.begin(); it != watchers_.end(); ++it) {
    Watcher& w = **it;
    if (w.type_key != type_key || !w.wants(object))
      continue;
    if (w.render) {
      w.push(std::make_shared<const std::string>(w.render(event, object)));
    } else {
      w.push(line);
    }
    w.delivered_rv = rv;
  }
}

void Store::record(const std::string& type_key, std::string_view event, const json::object& object,
                   std::uint64_t rv) {
  auto snapshot = std::make_shared<const json::object>(object);
  Line line = std::make_shared<const std::string>(event_line(event, object));
  if (hold_ && hold_->type_key == type_key && !hold_->started) {
    hold_->started = std::all_of(hold_->from.begin(), hold_->from.end(), [&](const auto& part) {
      return line->find(part) != std::string::npos;
    });
  }
  if (hold_ && hold_->type_key == type_key && hold_->started)
    hold_->events.push_back({rv, type_key, std::string(event), snapshot, line});
  else
    deliver(type_key, event, object, rv, line);
  history_.push_back({rv, type_key, std::string(event), std::move(snapshot), std::move(line)});
  while (history_.size() > history_limit_) {
    history_start_ = history_.front().rv;
    history_.pop_front();
  }
}

void Store::forget_history() {
  history_.clear();
  history_start_ = rv_;
}

void Store::remove_watcher(const Watcher* w) {
  watchers_.remove_if([w](const std::shared_ptr<Watcher>& p) { return p.get() == w; });
}

void Store::close_watchers() {
  for (auto& w : watchers_) {
    w->closing = true;
    if (w->wake)
      w->wake();
  }
}

void Store::send_raw(const std::string& line) {
  auto shared = std::make_shared<const std::string>(line);
  for (auto& w : watchers_)
    w->push(shared);
}

void Store::hold_events(std::string type_key, std::vector<std::string> from) {
  release_held();
  hold_ = Hold{std::move(type_key), std::move(from), false, {}};
}

void Store::release_held() {
  if (!hold_)
    return;
  Hold held = std::move(*hold_);
  hold_.reset();
  for (HistoryEntry& e : held.events)
    deliver(e.type_key, e.event, *e.object, e.rv, e.line);
}

void Store::bookmark_all() {
  for (auto& w : watchers_)
    if (w->bookmarks)
      w->push(std::make_shared<const std::string>(bookmark_line(*w, rv_)));
}

}  // namespace certmill::kubesim
