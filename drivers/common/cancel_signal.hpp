// Wakes a thread blocked in poll() from another thread: an eventfd that
// Cancel() makes readable. Readers poll it beside their device descriptor.
#pragma once

#include <atomic>

#include "common/unique_fd.hpp"
#include "loyalty/status.hpp"

namespace loyalty::readers {

class CancelSignal {
 public:
  // Creates the eventfd. kIoError when the process is out of descriptors.
  Status Init();

  // Called by the waiting thread when it starts a wait: drops a Cancel() made
  // while nothing waited ("harmless when nothing waits") and marks the wait.
  void BeginWait();
  // Called when the wait ends, whatever the outcome.
  void EndWait();

  // Thread-safe. Wakes the current wait; a no-op when nothing waits.
  void Cancel();

  // True once Cancel() was called during the current wait.
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  int fd() const { return fd_.get(); }

 private:
  void Drain();

  UniqueFd fd_;
  std::atomic<bool> waiting_{false};
  std::atomic<bool> cancelled_{false};
};

}  // namespace loyalty::readers
