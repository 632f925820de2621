// A serial or USB-CDC swipe reader (/dev/ttyUSB0, /dev/ttyACM0): the same
// "%…?;…?" text as a wedge, ended by CR, LF or ETX, on a raw 8N1 port.
#pragma once

#include <string>

#include "common/unique_fd.hpp"
#include "magstripe/swipe_source.hpp"

namespace loyalty::readers {

class SerialSource final : public SwipeSource {
 public:
  SerialSource(std::string path, unsigned baud) : path_(std::move(path)), baud_(baud) {}
  ~SerialSource() override { Close(); }

  // kInvalidArgument for a speed termios does not have.
  Status Open() override;
  void Close() override { fd_.reset(); }
  int fd() const override { return fd_.get(); }
  Status ReadAvailable(SwipeBuffer& out) override;

 private:
  std::string path_;
  unsigned baud_;
  UniqueFd fd_;
};

}  // namespace loyalty::readers
