// A contactless reader through PC/SC (pcsc-lite's pcscd): ACR1252U-class
// readers libnfc does not drive. The UID comes from the PC/SC pseudo-APDU
// FF CA 00 00 00; NTAG/Ultralight pages from FF B0 00 <page> 10.
#pragma once

#include <winscard.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loyalty/reader.hpp"

namespace loyalty::readers {

struct PcscSettings {
  bool read_ndef = false;    // as NfcSettings::read_ndef
  bool require_sun = false;  // as NfcSettings::require_sun: NTAG 424 DNA only
};

class PcscReader final : public CardReader {
 public:
  // `reader_name`: part of the PC/SC reader's name ("" = the first reader).
  PcscReader(std::string description, std::string reader_name, PcscSettings settings,
             ReaderOptions options);
  ~PcscReader() override { Close(); }

  Status Start() override;
  Result<CardRead> WaitForCard(std::chrono::milliseconds timeout) override;
  void Cancel() override;
  void Close() override;
  std::string Describe() const override { return description_; }

 private:
  CardRead ReadCard();
  // One APDU; the response without its status word, or kBadRead naming SW.
  Result<std::vector<std::uint8_t>> Transmit(SCARDHANDLE card, DWORD protocol,
                                             std::span<const std::uint8_t> apdu, const char* what);
  Result<std::optional<std::string>> ReadNdefNumber(SCARDHANDLE card, DWORD protocol);
  Status Gone(const std::string& why);
  bool CancelPending();
  // Uses the pending cancel up: the status a cancelled wait returns.
  Status Cancelled();

  const std::string description_;
  const std::string wanted_name_;
  const PcscSettings settings_;
  const ReaderOptions options_;

  std::mutex mutex_;  // guards context_, waiting_ and cancel_pending_ for Cancel()
  std::optional<SCARDCONTEXT> context_;
  bool waiting_ = false;
  bool cancel_pending_ = false;  // until a wait uses it up

  std::string reader_name_;  // the full PC/SC name found at Start()
  // pcsc-lite counts card insertions and removals in the high 16 bits of
  // the event state: the count when the card was reported, while it stays.
  std::optional<DWORD> reported_event_count_;
  // The count of a presentation whose read was cut short and reported as a
  // bad read; the card is read again, quietly, at retry_at_.
  std::optional<DWORD> failed_event_count_;
  std::optional<std::chrono::steady_clock::time_point> retry_at_;
  bool transport_failed_ = false;  // set by ReadCard(): talking to the card failed
};

}  // namespace loyalty::readers
