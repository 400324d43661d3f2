// An order's observer called one at a time while its authorizations run at
// once (order.cpp authorize_all), as order_observer.hpp promises.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "issuers/acme/order_observer.hpp"
#include "reactor/notifier.hpp"

namespace certmill::issuers::acme {

// The observer's calls one at a time, as when the authorizations ran one
// after the other: order_observer.hpp promises that, and the controller's
// observer relies on it (it adds an HTTP-01 path to a user's Ingress with one
// read and one write, which a second such edit at once would meet with 409
// Conflict). Each challenge's calls still come in its own order; calls about
// different challenges wait for each other. A caller cancelled while waiting
// still gets its turn, so a challenge's end is always reported.
class OneCallAtATime final : public OrderObserver {
 public:
  OneCallAtATime(OrderObserver& inner, const asio::any_io_executor& executor)
      : inner_(inner), turn_(executor) {}

  asio::awaitable<void> order_created(std::string url, certmill::acme::Order order) override {
    co_await enter();
    co_await inner_.order_created(std::move(url), std::move(order));
    leave();
  }
  asio::awaitable<void> challenge_started(std::string authorization_url,
                                          certmill::acme::Authorization authorization,
                                          certmill::acme::Challenge challenge,
                                          std::string key_authorization) override {
    co_await enter();
    co_await inner_.challenge_started(std::move(authorization_url), std::move(authorization),
                                      std::move(challenge), std::move(key_authorization));
    leave();
  }
  asio::awaitable<void> challenge_presented(certmill::acme::Challenge challenge,
                                            std::string error) override {
    co_await enter();
    co_await inner_.challenge_presented(std::move(challenge), std::move(error));
    leave();
  }
  asio::awaitable<void> challenge_waiting(certmill::acme::Challenge challenge,
                                          std::string reason) override {
    co_await enter();
    co_await inner_.challenge_waiting(std::move(challenge), std::move(reason));
    leave();
  }
  asio::awaitable<void> challenge_finished(certmill::acme::Challenge challenge, std::string state,
                                           std::string reason) override {
    co_await enter();
    co_await inner_.challenge_finished(std::move(challenge), std::move(state), std::move(reason));
    leave();
  }
  asio::awaitable<void> order_state(std::string state, std::string reason) override {
    co_await enter();
    co_await inner_.order_state(std::move(state), std::move(reason));
    leave();
  }

 private:
  // A cancellation wakes a waiter once; it then waits for its turn again.
  asio::awaitable<void> enter() {
    while (busy_)
      co_await turn_.wait();
    busy_ = true;
  }
  void leave() {
    busy_ = false;
    turn_.notify_all();
  }

  OrderObserver& inner_;
  reactor::Notifier turn_;
  bool busy_ = false;
};

}  // namespace certmill::issuers::acme
