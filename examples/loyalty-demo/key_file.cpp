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

}  // namespace

loyalty::Result<std::string> ReadKey(const std::string& path, const std::string& what) {
  auto read = loyalty::ReadSecretFile(path);
  if (!read.ok()) return read.status();
  std::string key = std::move(*read);
  if (key.size() < kKeyBytes) {
    return loyalty::Status(loyalty::StatusCode::kInvalidArgument,
                           what + " '" + path + "': holds " + std::to_string(key.size()) +
                               " bytes, a key needs at least 32");
  }
  return key;
}

NewKeyFile::NewKeyFile(std::string path, std::string temp, std::string key)
    : path_(std::move(path)), temp_(std::move(temp)), key_(std::move(key)) {}

NewKeyFile::NewKeyFile(NewKeyFile&& other) noexcept
    : path_(std::move(other.path_)), temp_(std::move(other.temp_)), key_(std::move(other.key_)) {
  other.temp_.clear();
}

NewKeyFile::~NewKeyFile() {
  if (!temp_.empty()) unlink(temp_.c_str());
}

// The key goes to a private temporary file first (mkstemp: mode 0600
// whatever the umask) and is linked into place by Keep(), so nobody ever
// reads a half-written key and a failed start leaves nothing behind.
loyalty::Result<NewKeyFile> NewKeyFile::Draw(const std::string& path) {
  unsigned char bytes[kKeyBytes];
  if (!FillRandom(bytes, sizeof bytes)) return IoError("no randomness", path);
  std::string key(reinterpret_cast<const char*>(bytes), sizeof bytes);
  std::string temp = path + ".XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    std::memset(bytes, 0, sizeof bytes);
    return IoError("cannot create", path);
  }
  const bool written = WriteAll(fd, bytes, sizeof bytes) && fsync(fd) == 0;
  std::memset(bytes, 0, sizeof bytes);
  const int saved_errno = errno;
  close(fd);
  if (!written) {
    unlink(temp.c_str());
    errno = saved_errno;
    return IoError("cannot write", path);
  }
  return NewKeyFile(path, std::move(temp), std::move(key));
}

loyalty::Status NewKeyFile::Keep() {
  if (temp_.empty()) return {loyalty::StatusCode::kInternal, "key file kept twice"};
  const bool linked = link(temp_.c_str(), path_.c_str()) == 0;
  const int link_errno = errno;
  unlink(temp_.c_str());
  temp_.clear();
  if (!linked) {
    errno = link_errno;
    if (link_errno == EEXIST) {
      return {loyalty::StatusCode::kInvalidArgument,
              "key file '" + path_ + "': already exists; a key is never overwritten"};
    }
    return IoError("cannot create", path_);
  }
  return loyalty::Status::Ok();
}

}  // namespace loyalty_demo
