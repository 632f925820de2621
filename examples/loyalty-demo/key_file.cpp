#include "key_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "loyalty/env.hpp"

namespace loyalty_demo {
namespace {

constexpr std::size_t kKeyBytes = 32;

loyalty::Status IoError(const std::string& what, const std::string& path) {
  return {loyalty::StatusCode::kIoError,
          "key file '" + path + "': " + what + ": " + std::strerror(errno)};
}

bool FillRandom(unsigned char* out, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = getrandom(out + done, size - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool WriteAll(int fd, const unsigned char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The key is written to a private temporary file and then linked into
// place, so two tills starting at once never read a half-written key and
// the loser of the race simply uses the winner's key.
loyalty::Status CreateKey(const std::string& path) {
  unsigned char key[kKeyBytes];
  if (!FillRandom(key, sizeof key)) return IoError("no randomness", path);
  std::string temp = path + ".XXXXXX";
  const int fd = mkstemp(temp.data());  // mode 0600 whatever the umask
  if (fd < 0) return IoError("cannot create", path);
  const bool written = WriteAll(fd, key, sizeof key) && fsync(fd) == 0;
  std::memset(key, 0, sizeof key);
  const int saved_errno = errno;
  close(fd);
  if (!written) {
    unlink(temp.c_str());
    errno = saved_errno;
    return IoError("cannot write", path);
  }
  const bool linked = link(temp.c_str(), path.c_str()) == 0 || errno == EEXIST;
  const int link_errno = errno;
  unlink(temp.c_str());
  if (!linked) {
    errno = link_errno;
    return IoError("cannot create", path);
  }
  return loyalty::Status::Ok();
}

}  // namespace

loyalty::Result<std::string> ReadOrCreateKey(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0) {
    if (errno != ENOENT) return IoError("cannot open", path);
    if (loyalty::Status s = CreateKey(path); !s.ok()) return s;
  }
  auto read = loyalty::ReadSecretFile(path);
  if (!read.ok()) return read.status();
  std::string key = std::move(*read);
  if (key.size() < kKeyBytes) {
    return loyalty::Status(loyalty::StatusCode::kInvalidArgument,
                           "key file '" + path + "': holds " + std::to_string(key.size()) +
                               " bytes, a terminal key needs at least 32");
  }
  return key;
}

}  // namespace loyalty_demo
