#include "common/cancel_signal.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace loyalty::readers {

CancelSignal::CancelSignal() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

Status CancelSignal::Init() const {
  if (fd_.valid()) return Status::Ok();
  return Status(StatusCode::kIoError,
                "cancel signal: eventfd failed (the process is out of file descriptors?)");
}

void CancelSignal::Cancel() {
  pending_.store(true);
  if (!fd_.valid()) return;
  std::uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the waiter wakes anyway.
  [[maybe_unused]] ssize_t n = ::write(fd_.get(), &one, sizeof one);
}

bool CancelSignal::Take() {
  if (!pending_.exchange(false)) return false;
  // A Cancel() between the exchange and this read leaves its write in the
  // eventfd with no cancel pending: the next poll() wakes for nothing,
  // drains and waits on (every wait loop handles that).
  Drain();
  return true;
}

void CancelSignal::Drain() {
  if (!fd_.valid()) return;
  std::uint64_t count = 0;
  [[maybe_unused]] ssize_t n = ::read(fd_.get(), &count, sizeof count);
}

}  // namespace loyalty::readers
