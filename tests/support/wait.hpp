// Waiting in tests for something another thread does, bounded so a broken
// test fails instead of hanging. Asserts nothing about how long it took.
#pragma once

#include <chrono>
#include <thread>

namespace certmill::test {

template <class Predicate>
bool eventually(Predicate done, std::chrono::seconds bound = std::chrono::seconds(20)) {
  const auto give_up = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace certmill::test
