// One NTAG 424 DNA tap checked end to end, whatever carries the APDUs
// (libnfc's ISO-DEP transceive, PC/SC's SCardTransmit): read the NDEF file,
// find the SUN URL, decrypt and verify it, refuse a replay.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "loyalty/reader.hpp"
#include "loyalty/status.hpp"

namespace loyalty::readers {

// Sends a command APDU and returns the response data without SW 90 00;
// kBadRead naming `what` when the card refuses or does not answer.
using ApduFn = std::function<Result<std::vector<std::uint8_t>>(
    const std::vector<std::uint8_t>& command, const char* what)>;

// The NDEF message of a Type 4 tag (SELECT application, SELECT E104, READ
// BINARY the length then the message).
Result<std::vector<std::uint8_t>> ReadType4NdefMessage(const ApduFn& apdu);

// The verified UID (upper-case hex) of the card whose UID the reader saw
// as `uid_hex`; kBadRead "NFC secure message: …" when the message is
// missing, forged, for another card, not issued here or seen before.
Result<std::string> VerifySunTap(const ApduFn& apdu, const std::string& uid_hex,
                                 SunAuthority& authority);

}  // namespace loyalty::readers
