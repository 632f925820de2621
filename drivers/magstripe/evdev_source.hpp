// A USB keyboard-wedge swipe reader read from /dev/input/eventN: key events
// mapped with a US layout and the shift state, grabbed exclusively so the
// swipe does not also type into the focused application.
#pragma once

#include <linux/input.h>

#include <array>
#include <cstddef>
#include <string>

#include "common/unique_fd.hpp"
#include "magstripe/swipe_source.hpp"

namespace loyalty::readers {

class EvdevSource final : public SwipeSource {
 public:
  // `grab`: take the device with EVIOCGRAB (needs read access only). A path
  // that is not an evdev node (a FIFO in tests) cannot be grabbed; that is
  // tolerated.
  EvdevSource(std::string path, bool grab) : path_(std::move(path)), grab_(grab) {}
  ~EvdevSource() override { Close(); }

  Status Open() override;
  void Close() override;
  int fd() const override { return fd_.get(); }
  Status ReadAvailable(SwipeBuffer& out) override;

 private:
  void Apply(const input_event& event, SwipeBuffer& out);

  std::string path_;
  bool grab_;
  UniqueFd fd_;
  bool left_shift_ = false;
  bool right_shift_ = false;
  // A read may end inside an event record; its bytes wait here.
  std::array<unsigned char, sizeof(input_event)> partial_{};
  std::size_t partial_size_ = 0;
};

}  // namespace loyalty::readers
