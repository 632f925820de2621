// Keeps SIGPIPE from killing the POS while this thread talks to the server.
// OpenSSL writes to the socket with plain write(2), so a peer that closed
// the connection raises SIGPIPE even with CURLOPT_NOSIGNAL; the signal is
// thread-directed, so blocking it on this thread and swallowing one that
// became pending (the way libpq does) leaves the rest of the process alone.
#pragma once

#include <signal.h>

namespace loyalty::sync {

class SigpipeGuard {
 public:
  SigpipeGuard();
  ~SigpipeGuard();
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t old_mask_;
  bool was_pending_ = false;  // a SIGPIPE that is not ours to swallow
  bool was_blocked_ = false;
};

}  // namespace loyalty::sync
