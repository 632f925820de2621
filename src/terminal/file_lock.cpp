#include "terminal/file_lock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loyalty::terminal {

Result<FileLock> FileLock::Acquire(const std::string& database_path) {
  const std::string path = database_path + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status(StatusCode::kIoError, "database_path: cannot create lock file '" +
                                            path + "': " + std::strerror(errno));
  }
  // Owner-only whatever the umask, and also when an older file was not.
  (void)::fchmod(fd, 0600);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return Status(StatusCode::kDatabaseLocked,
                    "database_path: '" + database_path +
                        "' is open in another process or Terminal");
    }
    return Status(StatusCode::kIoError,
                  "database_path: cannot lock '" + path + "': " + std::strerror(error));
  }
  return FileLock(fd);
}

Result<FileLock> FileLock::AcquireShared(const std::string& database_path) {
  const std::string path = database_path + ".lock";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return FileLock(-1);
    return Status(StatusCode::kIoError, "database_path: cannot open lock file '" + path +
                                            "': " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return Status(StatusCode::kDatabaseLocked,
                    "database_path: '" + database_path +
                        "' is open for writing in another process or Terminal");
    }
    return Status(StatusCode::kIoError,
                  "database_path: cannot lock '" + path + "': " + std::strerror(error));
  }
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace loyalty::terminal
