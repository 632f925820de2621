// Where swipe characters come from: a keyboard wedge (evdev) or a serial
// port. The MagstripeReader does the waiting, the framing and the parsing.
#pragma once

#include "common/scrub.hpp"
#include "loyalty/status.hpp"

namespace loyalty::readers {

class SwipeSource {
 public:
  virtual ~SwipeSource() = default;

  // Opens the device. kDeviceGone when it is not there, kIoError otherwise;
  // messages name the path and say what to do.
  virtual Status Open() = 0;
  virtual void Close() = 0;
  // The descriptor to poll for input; -1 when closed.
  virtual int fd() const = 0;

  // Appends the characters that are ready (never blocks). '\r' marks the
  // end of a swipe. kDeviceGone when the device went away.
  virtual Status ReadAvailable(SwipeBuffer& out) = 0;
};

}  // namespace loyalty::readers
