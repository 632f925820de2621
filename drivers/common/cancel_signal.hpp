// Wakes a thread blocked in poll() from another thread: an eventfd that
// Cancel() makes readable. Readers poll it beside their device descriptor.
//
// A cancel is kept until a wait uses it up: one made while no wait is in
// progress (the POS was busy showing a card, or the reader was being
// reopened) ends the next wait. A cancel dropped there is how a till
// ignored Ctrl-C while its reader was unplugged (issue 13).
#pragma once

#include <atomic>

#include "common/unique_fd.hpp"
#include "loyalty/status.hpp"

namespace loyalty::readers {

class CancelSignal {
 public:
  // The eventfd is made here, once, so that Cancel() from another thread
  // never sees it change.
  CancelSignal();

  // kIoError when the eventfd could not be made (out of descriptors).
  Status Init() const;

  // Thread-safe, also from a thread other than the waiter's. Marks a cancel
  // and wakes a poll() on fd().
  void Cancel();

  // True while a cancel is waiting to be used up.
  bool pending() const { return pending_.load(); }
  // Uses the pending cancel up, if any: true when there was one. The waiting
  // thread calls it when it returns kCancelled.
  bool Take();
  // Empties the eventfd after poll() said it is readable; the cancel, if
  // any, stays pending.
  void Drain();

  int fd() const { return fd_.get(); }

 private:
  const UniqueFd fd_;
  // Sequentially consistent: readers pair it with their own "in a blocking
  // call" flag (either the waiter sees the cancel or Cancel() sees the call).
  std::atomic<bool> pending_{false};
};

}  // namespace loyalty::readers
