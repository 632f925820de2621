#include "sync/sigpipe_guard.hpp"

#include <pthread.h>

#include <ctime>

namespace loyalty::sync {

SigpipeGuard::SigpipeGuard() {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe, &old_mask_);
  was_blocked_ = sigismember(&old_mask_, SIGPIPE) == 1;
}

SigpipeGuard::~SigpipeGuard() {
  if (!was_pending_) {
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) == 1) {
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      const timespec zero{0, 0};
      // Takes the pending signal off this thread without delivering it.
      (void)sigtimedwait(&pipe, nullptr, &zero);
    }
  }
  if (!was_blocked_) pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

}  // namespace loyalty::sync
