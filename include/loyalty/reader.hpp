// Card readers: one interface for magnetic stripe, NFC and simulated
// readers. Implementations live in the loyalty::readers library.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "loyalty/card.hpp"
#include "loyalty/env.hpp"
#include "loyalty/status.hpp"

namespace loyalty {

class CardReader {
 public:
  virtual ~CardReader() = default;

  // Opens the device. kDeviceGone / kIoError name the device when it cannot
  // be opened. Calling Start() again after kDeviceGone reopens it.
  virtual Status Start() = 0;

  // Blocks until the next card, at most `timeout`. A good or a bad read is a
  // value (a bad read has CardRead::status == kBadRead and a reason); the
  // error codes are kTimeout, kCancelled (Cancel() was called), kDeviceGone
  // (unplugged: Start() again to reopen) and kIoError.
  // A card left on an NFC reader is reported once, not once per poll.
  virtual Result<CardRead> WaitForCard(std::chrono::milliseconds timeout) = 0;

  // Makes a WaitForCard() blocked in another thread return kCancelled
  // promptly. Thread-safe; harmless when nothing waits.
  virtual void Cancel() = 0;

  // Releases the device. Idempotent; the destructor calls it.
  virtual void Close() = 0;

  // The connection string the reader was opened with.
  virtual std::string Describe() const = 0;
};

struct ReaderOptions {
  const Clock* clock = nullptr;  // nullptr: the system clock
  LogFn log;                     // nullptr: silent
};

// Opens a reader by connection string:
//   "sim:"                           a scripted reader (tests and demos)
//   "magstripe-evdev:/dev/input/eventN"  a USB keyboard-wedge swipe reader
//   "magstripe-serial:/dev/ttyUSB0[:9600]"  a serial/USB-CDC swipe reader
//   "pn532_uart:/dev/ttyUSB0", "usb", "" a libnfc reader ("" = first found)
// Returns kInvalidArgument naming the string when no driver matches, and
// kUnsupported when the driver is not built into this library.
// Defined in the loyalty::readers library.
Result<std::unique_ptr<CardReader>> OpenReader(std::string_view connection,
                                               ReaderOptions options = {});

}  // namespace loyalty
