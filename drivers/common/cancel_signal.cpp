#include "common/cancel_signal.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace loyalty::readers {

Status CancelSignal::Init() {
  if (fd_.valid()) return Status::Ok();
  int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) {
    return Status(StatusCode::kIoError,
                  std::string("cancel signal: eventfd failed: ") + std::strerror(errno));
  }
  fd_.reset(fd);
  return Status::Ok();
}

void CancelSignal::BeginWait() {
  cancelled_.store(false, std::memory_order_release);
  waiting_.store(true, std::memory_order_release);
  // A Cancel() racing this line may land before or after the drain; after it
  // the flag is set again, so the wait still sees it.
  Drain();
  if (cancelled_.load(std::memory_order_acquire)) Cancel();
}

void CancelSignal::EndWait() {
  waiting_.store(false, std::memory_order_release);
  Drain();
}

void CancelSignal::Cancel() {
  if (!waiting_.load(std::memory_order_acquire) || !fd_.valid()) return;
  cancelled_.store(true, std::memory_order_release);
  std::uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the waiter wakes anyway.
  [[maybe_unused]] ssize_t n = ::write(fd_.get(), &one, sizeof one);
}

void CancelSignal::Drain() {
  if (!fd_.valid()) return;
  std::uint64_t count = 0;
  [[maybe_unused]] ssize_t n = ::read(fd_.get(), &count, sizeof count);
}

}  // namespace loyalty::readers
