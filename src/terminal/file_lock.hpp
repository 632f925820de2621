// Exclusive ownership of a ledger file across processes (flock on a
// sidecar file, released by the kernel when the owner dies).
#pragma once

#include <string>

#include "loyalty/status.hpp"

namespace loyalty::terminal {

class FileLock {
 public:
  // kDatabaseLocked when another process (or Terminal) holds it.
  static Result<FileLock> Acquire(const std::string& database_path);
  // For a read-only open: creates nothing. A shared lock on the lock file
  // when there is one (kDatabaseLocked while a till writes the ledger);
  // none when there is none (read-only media, a copy).
  static Result<FileLock> AcquireShared(const std::string& database_path);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace loyalty::terminal
