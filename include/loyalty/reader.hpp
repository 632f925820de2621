// Card readers: one interface for magnetic stripe, NFC and simulated
// readers. Implementations live in the loyalty::readers library
// (libloyalty_readers.a, which links libnfc); docs/readers.md says which
// hardware was tested how, and how to set up permissions.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/card.hpp"
#include "loyalty/env.hpp"
#include "loyalty/status.hpp"

namespace loyalty {

// Thread-safety: one thread drives a reader (Start, WaitForCard, Close);
// Cancel() may be called from any thread at any time. Two readers never
// share state, even on the same device.
class CardReader {
 public:
  virtual ~CardReader() = default;

  // Opens the device. kDeviceGone when it is not there or does not answer,
  // kIoError when it is there but cannot be used (permissions, grabbed by
  // another program), kInvalidArgument for a setting the device refuses;
  // messages name the device. Calling Start() again after kDeviceGone
  // reopens it (also when the device got a new node under the same name).
  virtual Status Start() = 0;

  // Blocks until the next card, at most `timeout` (a swipe already under
  // way is finished first, which takes at most the inter-key gap).
  // A good or a bad read is a value: a bad read has CardRead::status ==
  // kBadRead, an empty card and a reason the cashier can act on ("track 2:
  // LRC mismatch; swipe again"). The error codes are kTimeout, kCancelled
  // (Cancel() was called), kDeviceGone (unplugged or stopped answering: the
  // device is closed, Start() again to reopen) and kIoError (the reader
  // fails in some other way, e.g. keeps answering with errors; Start()
  // again to retry).
  // A card left on an NFC reader is reported once, not once per poll; it is
  // reported again after it left the field. The same holds for a card that
  // fails: one bad read per presentation (a read cut short is retried
  // quietly while the card stays, and a retry that succeeds is reported).
  virtual Result<CardRead> WaitForCard(std::chrono::milliseconds timeout) = 0;

  // Makes a WaitForCard() blocked in another thread return kCancelled
  // promptly (milliseconds; up to libnfc's command timeout for a PN532 that
  // stopped answering), whatever the reader's state: no card, a card held,
  // a card that fails, or the device gone. Thread-safe, and never lost: a
  // Cancel() made while no wait is in progress (or while one is already
  // returning a card) makes the next WaitForCard() return kCancelled at
  // once, even on a reader that is not open. That wait uses it up; the one
  // after waits as usual. Start() and Close() leave it pending.
  virtual void Cancel() = 0;

  // Releases the device. Idempotent; the destructor calls it.
  virtual void Close() = 0;

  // The connection string the reader was opened with.
  virtual std::string Describe() const = 0;
};

// Keys and replay memory for NTAG 424 DNA "secure unique NFC" (SUN)
// messages, which NFC readers with the option sun=1 check (NXP AN12196):
// each tap carries the UID and a read counter, encrypted and MACed with
// AES-128, so a copied card or a replayed tap is refused. Implementations
// must be thread-safe; the POS keeps the keys (e.g. from its KeyProvider).
class SunAuthority {
 public:
  using Key = std::array<std::uint8_t, 16>;
  virtual ~SunAuthority() = default;
  // SDMMetaReadKey: decrypts every card's UID and counter.
  virtual Key MetaReadKey() const = 0;
  // One card's SDMFileReadKey (the issuer diversifies it per UID);
  // std::nullopt for a card this program did not issue.
  virtual std::optional<Key> FileReadKey(std::string_view uid_hex) const = 0;
  // Records `counter` for the card when it is above the last one recorded
  // and returns true; false means the message was seen before (a replay).
  // Should persist across restarts, or a replay after one is accepted.
  virtual bool AcceptCounter(std::string_view uid_hex, std::uint32_t counter) = 0;
};

// A SunAuthority for a POS that holds the keys itself: the meta-read key,
// a function that gives each card's file-read key, and the replay counters
// kept in a small SQLite file beside the ledger, so a tap replayed after a
// restart is refused too. Thread-safe.
class SunCounterFile final : public SunAuthority {
 public:
  using FileReadKeyFn = std::function<std::optional<Key>(std::string_view uid_hex)>;
  // Creates the file when absent. kIoError naming it when it cannot be
  // opened or written.
  static Result<std::unique_ptr<SunCounterFile>> Open(const std::string& path,
                                                      const Key& meta_read_key,
                                                      FileReadKeyFn file_read_key);
  ~SunCounterFile() override;
  SunCounterFile(const SunCounterFile&) = delete;
  SunCounterFile& operator=(const SunCounterFile&) = delete;

  Key MetaReadKey() const override;
  std::optional<Key> FileReadKey(std::string_view uid_hex) const override;
  // A counter is written to the file before it is accepted; a write that
  // fails refuses the tap (better than accepting a replay later).
  bool AcceptCounter(std::string_view uid_hex, std::uint32_t counter) override;

 private:
  struct Impl;
  explicit SunCounterFile(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct ReaderOptions {
  const Clock* clock = nullptr;  // stamps CardRead::at; nullptr: the system clock
  LogFn log;                     // nullptr: silent. Never given track data or
                                 // unmasked card numbers.
  SunAuthority* sun = nullptr;   // needed by sun=1 readers; not owned, must
                                 // outlive the reader
};

// Opens a reader by connection string, "scheme:target?option=value&…":
//   "sim:", "sim:cards=A,B,C", "sim:file=PATH"
//        a scripted reader (tests, demos): one event per line, a card
//        number, "bad <reason>", "gone" or "wait <ms>".
//   "magstripe-evdev:/dev/input/eventN"
//        a USB keyboard-wedge swipe reader. Options: grab=1 (EVIOCGRAB, so
//        the swipe does not type into the focused window), gap_ms=100 (a
//        pause that ends a swipe sent without CR), lrc=auto|1|0 (whether
//        the reader sends each track's LRC).
//   "magstripe-serial:/dev/ttyUSB0[:9600]"
//        a serial/USB-CDC swipe reader (raw 8N1); options gap_ms, lrc.
//   "pn532_uart:/dev/ttyUSB0[:115200]", "pn53x_usb:…", "acr122_usb:…",
//   "usb", "nfc:" or "" (the first device libnfc finds), "nfc:<libnfc
//   connection string>"
//        an ISO 14443-A reader on libnfc; the card's UID (hex, upper case) is
//        the number. Options: ndef=1 (read the number from an NTAG/Ultralight
//        NDEF Text or URI record; a tag without NDEF still gives its UID),
//        sun=1 (accept only NTAG 424 DNA cards whose SUN message verifies
//        under ReaderOptions::sun; the UID is the number, source kNfcSun),
//        poll_ms=50 (pause between polls).
//   "pcsc:" or "pcsc:<part of the reader's name>"
//        a contactless reader through pcscd (when built with pcsc-lite);
//        options ndef=1 and sun=1 as above.
// Returns kInvalidArgument naming the string or option when no driver
// matches or an option is malformed, and kUnsupported when the driver is
// not built into this library. Nothing is opened until Start().
// Defined in the loyalty::readers library.
Result<std::unique_ptr<CardReader>> OpenReader(std::string_view connection,
                                               ReaderOptions options = {});

}  // namespace loyalty
