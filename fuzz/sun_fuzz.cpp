// NTAG 424 DNA SUN URLs: the query parameters, the PICCData decryption and
// the MAC check, under the AN12196 example keys.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "nfc/sun_message.hpp"

namespace {
constexpr loyalty::readers::AesKey kZeroKey{};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view uri(reinterpret_cast<const char*>(data), size);
  auto params = loyalty::readers::SunParametersFromUri(uri);
  if (!params.ok()) return 0;
  auto picc = loyalty::readers::DecryptSunPiccData(params.value().e, kZeroKey);
  if (!picc.ok()) return 0;
  // A UID and counter that decrypted: the MAC check must handle any "c".
  (void)loyalty::readers::VerifySunMac(picc.value(), params.value().c, kZeroKey);
  return 0;
}
