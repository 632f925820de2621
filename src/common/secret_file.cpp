#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "loyalty/env.hpp"

namespace loyalty {
namespace {

// Key files are a few kilobytes at most (a PEM chain); a bigger file is a
// mistake in the path, not a key.
constexpr off_t kMaxSecretBytes = 1 << 20;

Status IoError(const std::string& path, const char* what, int err) {
  return Status(StatusCode::kIoError,
                "secret file '" + path + "': " + what + " (" + std::strerror(err) + ")");
}

std::string Octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<std::string> ReadSecretFile(const std::string& path) {
  // O_NONBLOCK: a FIFO planted at the path must not hang the caller; the
  // checks below refuse it. The checks are made on the opened file, so the
  // path cannot be swapped between the check and the read.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return IoError(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoError(path, "cannot stat", errno);
  if (!S_ISREG(st.st_mode)) {
    return Status(StatusCode::kInvalidArgument,
                  "secret file '" + path + "': not a regular file (mode " + Octal(st.st_mode) +
                      "); a key must be kept in a plain file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Status(StatusCode::kInvalidArgument,
                  "secret file '" + path + "': mode " + Octal(st.st_mode) +
                      " lets group or others at it; it must be 0600 or 0400 (chmod 600 '" +
                      path + "')");
  }
  if (st.st_size > kMaxSecretBytes) {
    return Status(StatusCode::kInvalidArgument, "secret file '" + path + "': " +
                                                    std::to_string(st.st_size) +
                                                    " bytes, too large for a key");
  }
  std::string contents;
  contents.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::explicit_bzero(buffer, sizeof buffer);
      ::explicit_bzero(contents.data(), contents.size());
      return IoError(path, "cannot read", err);
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<std::size_t>(n));
    if (contents.size() > static_cast<std::size_t>(kMaxSecretBytes)) {
      ::explicit_bzero(buffer, sizeof buffer);
      ::explicit_bzero(contents.data(), contents.size());
      return Status(StatusCode::kInvalidArgument,
                    "secret file '" + path + "': grew while read, too large for a key");
    }
  }
  ::explicit_bzero(buffer, sizeof buffer);
  return contents;
}

}  // namespace loyalty
