// NTAG 424 DNA Secure Unique NFC (SUN) messages, NXP AN12196: the tag
// mirrors into its NDEF URL an encrypted PICCData "e" (UID and read
// counter, AES-128-CBC under SDMMetaReadKey) and a MAC "c" (AES-CMAC under
// a session key derived from SDMFileReadKey, the UID and the counter).
// Each tap gives a new counter, so a copied message fails the replay check.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "loyalty/status.hpp"

namespace loyalty::readers {

using AesKey = std::array<std::uint8_t, 16>;

struct SunPiccData {
  std::string uid_hex;  // 7-byte UID, upper-case hex
  std::uint32_t counter = 0;
};

// Decrypts "e" (32 hex digits). kBadRead when it is not hex of the right
// length or does not decrypt to a PICCData block with UID and counter.
Result<SunPiccData> DecryptSunPiccData(std::string_view e_hex, const AesKey& meta_read_key);

// Checks "c" (16 hex digits) for a decrypted PICCData, comparing in
// constant time. kBadRead "does not verify" on a mismatch.
Status VerifySunMac(const SunPiccData& picc, std::string_view c_hex, const AesKey& file_read_key);

// The "e" and "c" values of a SUN URL (query keys e/c, or picc_data/cmac).
struct SunParameters {
  std::string e;
  std::string c;
};
Result<SunParameters> SunParametersFromUri(std::string_view uri);

// What a tag computes, for tests and tools: the "e" and "c" of a tap.
SunParameters MakeSunParameters(std::span<const std::uint8_t> uid, std::uint32_t counter,
                                const AesKey& meta_read_key, const AesKey& file_read_key,
                                std::span<const std::uint8_t, 5> padding);

}  // namespace loyalty::readers
