// A contactless card for pcscd's virtual reader (vsmartcard-vpcd): it
// connects to vpcd's TCP port — the card entering the field — and answers
// the PC/SC pseudo-APDUs an ACR-class reader would: FF CA 00 00 00 (UID) and
// FF B0 00 <page> 10 (four NTAG pages). Destroying it takes the card away.
//
// vpcd's wire format: a 2-byte big-endian length, then either one control
// byte (0 power off, 1 power on, 2 reset: no answer; 4: send the ATR) or a
// command APDU, answered with a length and the response APDU.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace loyalty::testing {

class VpcdCard {
 public:
  // Answers an ISO 7816 command APDU (not the reader's FF-class ones).
  using IsoDep = std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>&)>;

  // `uid` empty: the UID command is refused with 6A81 (function not
  // supported), as some cards and readers answer.
  // `memory`: Type 2 pages (4 bytes each); empty: the card refuses page reads.
  // `iso_dep`: an ISO-DEP card (e.g. testing::Ntag424::Apdus()); empty: none.
  // `leave_at_apdu` > 0: the card leaves the field (disconnects without an
  // answer) when that APDU arrives, as a card pulled away during a read.
  VpcdCard(std::uint16_t port, std::vector<std::uint8_t> uid, std::vector<std::uint8_t> memory,
           IsoDep iso_dep = {}, int leave_at_apdu = 0);
  ~VpcdCard();
  VpcdCard(const VpcdCard&) = delete;
  VpcdCard& operator=(const VpcdCard&) = delete;

  bool connected() const { return fd_ >= 0; }
  int apdus() const { return apdus_.load(); }

 private:
  void Serve();
  std::vector<std::uint8_t> Answer(const std::vector<std::uint8_t>& apdu);

  std::vector<std::uint8_t> uid_;
  std::vector<std::uint8_t> memory_;
  IsoDep iso_dep_;
  const int leave_at_apdu_;
  int fd_ = -1;
  std::atomic<int> apdus_{0};
  std::thread thread_;
};

}  // namespace loyalty::testing
