// An ISO 14443-A reader on libnfc (PN532 UART, ACR122U, PN533 USB, …).
// It polls with one-shot selects (InListPassiveTarget) so every libnfc
// call is bounded by libnfc's own command timeout: a reader that stops
// answering is noticed, and the wait's timeout holds.
#pragma once

#include <nfc/nfc.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/cancel_signal.hpp"
#include "loyalty/reader.hpp"
#include "nfc/libnfc_handles.hpp"

namespace loyalty::readers {

struct NfcSettings {
  // Read the number from the card's NDEF Text or URI record (NTAG21x and
  // Ultralight) instead of reporting the UID.
  bool read_ndef = false;
  // Accept only NTAG 424 DNA cards whose SUN message verifies under
  // ReaderOptions::sun (which must then be set).
  bool require_sun = false;
  // Pause between two selects that found nothing: tap-to-read latency is
  // at most this plus one command.
  std::chrono::milliseconds poll_interval{50};
};

class NfcReader final : public CardReader {
 public:
  // `libnfc_connstring` "" opens the first device libnfc finds.
  NfcReader(std::string description, std::string libnfc_connstring, NfcSettings settings,
            ReaderOptions options);
  ~NfcReader() override { Close(); }

  Status Start() override;
  Result<CardRead> WaitForCard(std::chrono::milliseconds timeout) override;
  void Cancel() override;
  void Close() override;
  std::string Describe() const override { return description_; }

 private:
  // Runs a libnfc call that may block, marked so Cancel() may abort it.
  // Outside a wait (Start()) it just runs the call.
  template <typename F>
  int Blocking(F&& call);
  // Uses the pending cancel up: the status a cancelled wait returns.
  Status Cancelled();
  Status Configure();
  // After a failed command: re-initialise once; kDeviceGone if that fails
  // (kCancelled if a cancel cut it short).
  Status Recover(int error, const char* during);
  CardRead ReadCard(const nfc_target& target);
  Result<std::optional<std::string>> ReadNdefNumber();
  // Checks the SUN message of an NTAG 424 DNA; the verified UID.
  Result<std::string> VerifySun(const nfc_target& target, const std::string& uid);
  Result<std::vector<std::uint8_t>> Apdu(const std::vector<std::uint8_t>& command,
                                         const char* what);
  // Interruptible pause; false when cancelled.
  bool Pause(std::chrono::milliseconds duration);
  std::string Error(int code) const;
  void Log(LogLevel level, const std::string& message) const;

  const std::string description_;
  const std::string connstring_;
  const NfcSettings settings_;
  const ReaderOptions options_;
  CancelSignal cancel_;

  std::mutex device_mutex_;  // guards device_ against Cancel() during Close()
  NfcContextPtr context_;
  NfcDevicePtr device_;
  std::atomic<bool> in_libnfc_{false};
  bool waiting_ = false;  // only the waiting thread reads and writes it

  // The card last reported and not yet seen to leave the field.
  std::optional<std::string> held_uid_;
  // Set when talking to the card failed during ReadCard(): the card was
  // pulled away, so a bad read does not make it "held" (it is read again).
  bool transport_failed_ = false;
  // The card whose read was cut short and reported as a bad read, while it
  // stays in the field: reading it again is quiet until it succeeds.
  std::optional<std::string> failed_uid_;
};

}  // namespace loyalty::readers
