// NDEF messages as an NFC card's memory returns them.
#include <cstddef>
#include <cstdint>
#include <span>

#include "nfc/ndef.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> message(data, size);
  auto records = loyalty::readers::ParseNdefMessage(message);
  if (records.ok()) {
    for (const auto& record : records.value()) {
      if (record.type == "U") (void)loyalty::readers::ExpandUri(record.payload);
    }
  }
  (void)loyalty::readers::LoyaltyNumberFromNdef(message);
  return 0;
}
