// WatchState transitions.
#include "k8s/watch_state.hpp"

namespace certmill::k8s {

WatchAction WatchState::next() const {
  if (phase_ == Phase::Watching)
    return WatchRequest{resource_version_};
  return ListRequest{phase_ == Phase::Listing ? continue_token_ : std::string()};
}

void WatchState::on_list_page(const std::string& resource_version,
                              const std::string& continue_token) {
  if (continue_token.empty()) {
    phase_ = Phase::Watching;
    resource_version_ = resource_version;
    continue_token_.clear();
    listed_once_ = true;
  } else {
    phase_ = Phase::Listing;
    continue_token_ = continue_token;
  }
}

void WatchState::on_event(const std::string& resource_version) {
  if (phase_ == Phase::Watching && !resource_version.empty())
    resource_version_ = resource_version;
}

void WatchState::on_gone() {
  phase_ = Phase::Empty;
  continue_token_.clear();
}

void WatchState::on_stream_end() {
  // A list cut short cannot resume from its continue token safely after an
  // error: the pages already read and the next ones must come from one list.
  if (phase_ == Phase::Listing)
    on_gone();
}

}  // namespace certmill::k8s
