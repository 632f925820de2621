// A child process reports progress to its parent through a pipe, one line
// per step. A test that kills the child waits for a number of reported
// steps instead of sleeping: on a busy machine the kill then still lands
// after real work, and the test's verdict does not depend on its speed.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty::testing {

class ProgressPipe {
 public:
  ProgressPipe();  // aborts the test binary if pipe() fails
  ~ProgressPipe();
  ProgressPipe(const ProgressPipe&) = delete;
  ProgressPipe& operator=(const ProgressPipe&) = delete;

  // In the child, right after fork(): keep only the writing end. It stays
  // open across exec, so a program the child execs can write to write_fd().
  void BecomeChild();
  int write_fd() const { return write_fd_; }
  // In the parent, right after fork(): keep only the reading end.
  void BecomeParent();

  // Child: one step done. `line` must not hold '\n'. Exits the child with
  // code 4 when the parent is gone.
  void Report(std::string_view line);

  // Parent: reads until `count` whole lines arrived in all, the child closed
  // its end, or `safety` passed (a net against a hung child, never a figure).
  // Returns the number of whole lines read so far (may exceed `count`).
  std::size_t WaitForLines(std::size_t count, std::chrono::seconds safety);
  // Parent, after the child is dead: reads what is left.
  void Drain();
  // Every whole line read so far; a torn last line is not among them.
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  enum class Read { kSome, kNothingYet, kClosed };
  Read ReadSome(int timeout_ms);

  int read_fd_ = -1;
  int write_fd_ = -1;
  std::string partial_;
  std::vector<std::string> lines_;
};

}  // namespace loyalty::testing
