#include "magstripe/serial_source.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace loyalty::readers {
namespace {

bool SpeedFor(unsigned baud, speed_t* speed) {
  switch (baud) {
    case 1200: *speed = B1200; return true;
    case 2400: *speed = B2400; return true;
    case 4800: *speed = B4800; return true;
    case 9600: *speed = B9600; return true;
    case 19200: *speed = B19200; return true;
    case 38400: *speed = B38400; return true;
    case 57600: *speed = B57600; return true;
    case 115200: *speed = B115200; return true;
    default: return false;
  }
}

}  // namespace

Status SerialSource::Open() {
  Close();
  speed_t speed;
  if (!SpeedFor(baud_, &speed)) {
    return Status(StatusCode::kInvalidArgument,
                  "swipe reader " + path_ + ": speed " + std::to_string(baud_) +
                      " not supported (1200 to 115200)");
  }
  // O_NOCTTY: a reader must never become the process's controlling terminal.
  int fd = ::open(path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENODEV || err == ENXIO || err == EIO) {
      return Status(StatusCode::kDeviceGone, "swipe reader " + path_ + ": not there (" +
                                                 std::strerror(err) + "); is it plugged in?");
    }
    std::string hint = err == EACCES ? "; add the POS user to the 'dialout' group" : "";
    return Status(StatusCode::kIoError,
                  "swipe reader " + path_ + ": cannot open (" + std::strerror(err) + ")" + hint);
  }
  UniqueFd owned(fd);
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) {
    return Status(StatusCode::kIoError, "swipe reader " + path_ + ": not a serial port (" +
                                            std::strerror(errno) + ")");
  }
  ::cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  ::cfsetispeed(&tio, speed);
  ::cfsetospeed(&tio, speed);
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
    return Status(StatusCode::kIoError, "swipe reader " + path_ + ": cannot set 8N1 raw (" +
                                            std::strerror(errno) + ")");
  }
  // Whatever arrived before we listened is half a swipe at best.
  ::tcflush(fd, TCIFLUSH);
  fd_ = std::move(owned);
  return Status::Ok();
}

Status SerialSource::ReadAvailable(SwipeBuffer& out) {
  std::array<char, 256> bytes;
  for (;;) {
    ssize_t n = ::read(fd_.get(), bytes.data(), bytes.size());
    if (n < 0) {
      int err = errno;
      if (err == EINTR) continue;
      if (err == EAGAIN) return Status::Ok();
      if (err == EIO || err == ENODEV || err == ENXIO) {
        return Status(StatusCode::kDeviceGone, "swipe reader " + path_ + ": unplugged");
      }
      return Status(StatusCode::kIoError,
                    "swipe reader " + path_ + ": read failed: " + std::strerror(err));
    }
    // A raw tty with VMIN = VTIME = 0 reads 0 for "nothing more" even when
    // non-blocking; a hang-up shows as POLLHUP to the caller's poll().
    if (n == 0) return Status::Ok();
    for (ssize_t i = 0; i < n; ++i) {
      char c = bytes[static_cast<std::size_t>(i)];
      if (c == '\x02') continue;  // STX framing
      if (c == '\x03' || c == '\n') c = '\r';
      out.Append(c);
    }
    Scrub(bytes.data(), bytes.size());
    if (static_cast<std::size_t>(n) < bytes.size()) return Status::Ok();
  }
}

}  // namespace loyalty::readers
