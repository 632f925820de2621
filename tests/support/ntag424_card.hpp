// An NTAG 424 DNA with SDM on, for the emulated PN532: every selection of
// its NDEF application counts a read, and the NDEF file's URL then carries
// that tap's encrypted PICCData "e" and MAC "c" (NXP AN12196). `Replay`
// freezes the URL of one tap, as a copied card would; `TamperMac` forges
// the MAC. Shared by the reader tests and the C ABI tests.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pn532_emulator.hpp"

namespace loyalty::testing {

using SunKey = std::array<std::uint8_t, 16>;

inline SunKey FilledSunKey(std::uint8_t fill) {
  SunKey key;
  key.fill(fill);
  return key;
}

class Ntag424 {
 public:
  Ntag424(std::vector<std::uint8_t> uid, SunKey meta_read_key, SunKey file_read_key);

  // The emulator's thread answers APDUs with the tag's state while the test
  // reads it, and may still hold the card after the Ntag424 is gone: the
  // state is shared and locked.
  EmulatedCard Card();
  // The same card's APDU answers, for another reader (PC/SC's virtual one).
  std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>&)> Apdus();
  void Replay(std::string frozen_url);
  void TamperMac();
  std::string last_url() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace loyalty::testing
