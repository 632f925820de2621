#include "support/progress_pipe.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace loyalty::testing {

ProgressPipe::ProgressPipe() {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  read_fd_ = fds[0];
  write_fd_ = fds[1];
}

ProgressPipe::~ProgressPipe() {
  if (read_fd_ >= 0) close(read_fd_);
  if (write_fd_ >= 0) close(write_fd_);
}

void ProgressPipe::BecomeChild() {
  close(read_fd_);
  read_fd_ = -1;
}

void ProgressPipe::BecomeParent() {
  close(write_fd_);
  write_fd_ = -1;
}

void ProgressPipe::Report(std::string_view line) {
  std::string buffer(line);
  buffer += '\n';
  if (write(write_fd_, buffer.data(), buffer.size()) != static_cast<ssize_t>(buffer.size())) {
    _exit(4);
  }
}

ProgressPipe::Read ProgressPipe::ReadSome(int timeout_ms) {
  pollfd p{read_fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return Read::kNothingYet;
  char chunk[4096];
  const ssize_t n = read(read_fd_, chunk, sizeof chunk);
  if (n <= 0) return Read::kClosed;
  partial_.append(chunk, static_cast<std::size_t>(n));
  for (std::size_t end; (end = partial_.find('\n')) != std::string::npos;) {
    lines_.push_back(partial_.substr(0, end));
    partial_.erase(0, end + 1);
  }
  return Read::kSome;
}

std::size_t ProgressPipe::WaitForLines(std::size_t count, std::chrono::seconds safety) {
  const auto deadline = std::chrono::steady_clock::now() + safety;
  while (lines_.size() < count) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (ReadSome(static_cast<int>(left.count())) == Read::kClosed) break;
  }
  return lines_.size();
}

void ProgressPipe::Drain() {
  while (ReadSome(0) == Read::kSome) {
  }
}

}  // namespace loyalty::testing
