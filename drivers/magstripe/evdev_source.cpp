#include "magstripe/evdev_source.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "magstripe/keymap_us.hpp"

namespace loyalty::readers {

Status EvdevSource::Open() {
  Close();
  int fd = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENODEV || err == ENXIO) {
      return Status(StatusCode::kDeviceGone,
                    "swipe reader " + path_ + ": not there (" + std::strerror(err) +
                        "); is it plugged in?");
    }
    std::string hint = err == EACCES ? "; add the POS user to the 'input' group or install the "
                                       "udev rule in docs/readers.md"
                                     : "";
    return Status(StatusCode::kIoError,
                  "swipe reader " + path_ + ": cannot open (" + std::strerror(err) + ")" + hint);
  }
  fd_.reset(fd);
  if (grab_ && ::ioctl(fd, EVIOCGRAB, 1) != 0) {
    int err = errno;
    // ENOTTY/EINVAL: not an evdev node (a pipe replaying events); nothing to grab.
    if (err != ENOTTY && err != EINVAL) {
      Close();
      std::string hint = err == EBUSY ? " (another program has grabbed it)" : "";
      return Status(StatusCode::kIoError, "swipe reader " + path_ + ": EVIOCGRAB failed: " +
                                              std::strerror(err) + hint);
    }
  }
  left_shift_ = right_shift_ = false;
  return Status::Ok();
}

void EvdevSource::Close() {
  // Closing the descriptor also releases the grab.
  fd_.reset();
  Scrub(partial_.data(), partial_.size());
  partial_size_ = 0;
}

Status EvdevSource::ReadAvailable(SwipeBuffer& out) {
  std::array<unsigned char, 64 * sizeof(input_event)> bytes;
  for (;;) {
    ssize_t n = ::read(fd_.get(), bytes.data(), bytes.size());
    if (n < 0) {
      int err = errno;
      if (err == EINTR) continue;
      if (err == EAGAIN) return Status::Ok();
      Scrub(bytes.data(), bytes.size());
      if (err == ENODEV || err == EIO) {
        return Status(StatusCode::kDeviceGone, "swipe reader " + path_ + ": unplugged");
      }
      return Status(StatusCode::kIoError,
                    "swipe reader " + path_ + ": read failed: " + std::strerror(err));
    }
    if (n == 0) {  // the writing end of a replay pipe closed
      return Status(StatusCode::kDeviceGone, "swipe reader " + path_ + ": closed");
    }
    std::size_t at = 0;
    std::size_t size = static_cast<std::size_t>(n);
    while (at < size) {
      std::size_t take = std::min(sizeof(input_event) - partial_size_, size - at);
      std::memcpy(partial_.data() + partial_size_, bytes.data() + at, take);
      partial_size_ += take;
      at += take;
      if (partial_size_ == sizeof(input_event)) {
        input_event event;
        std::memcpy(&event, partial_.data(), sizeof event);
        Apply(event, out);
        Scrub(&event, sizeof event);
        partial_size_ = 0;
      }
    }
    Scrub(bytes.data(), size);
  }
}

void EvdevSource::Apply(const input_event& event, SwipeBuffer& out) {
  if (event.type != EV_KEY) return;
  if (event.code == KEY_LEFTSHIFT) left_shift_ = event.value != 0;
  if (event.code == KEY_RIGHTSHIFT) right_shift_ = event.value != 0;
  if (event.value != 1) return;  // releases and auto-repeat type nothing
  char c = KeyToChar(event.code, left_shift_ || right_shift_);
  if (c != '\0') out.Append(c);
}

}  // namespace loyalty::readers
