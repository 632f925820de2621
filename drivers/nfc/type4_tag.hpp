// NFC Forum Type 4 tags (NTAG 424 DNA, DESFire): the NDEF file is read with
// ISO 7816-4 APDUs over ISO-DEP. These build the commands and check answers.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "loyalty/status.hpp"

namespace loyalty::readers {

// SELECT the NDEF application (AID D2760000850101).
std::vector<std::uint8_t> SelectNdefApplication();
// SELECT an elementary file by id (E104: the NDEF file of NTAG 424 DNA).
std::vector<std::uint8_t> SelectFile(std::uint16_t file_id);
inline constexpr std::uint16_t kNdefFileId = 0xE104;
// READ BINARY `length` bytes at `offset` of the selected file.
std::vector<std::uint8_t> ReadBinary(std::uint16_t offset, std::uint8_t length);

// True when a response ends with SW 90 00.
bool ApduOk(std::span<const std::uint8_t> response);

// What libnfc returned for an APDU (`response`, status word included): the
// data without SW 90 00, or kBadRead "NFC: the card refused <what> (not an
// NDEF card)" for any other status word or an answer shorter than one.
Result<std::vector<std::uint8_t>> ApduAnswerData(std::span<const std::uint8_t> response,
                                                 const char* what);

}  // namespace loyalty::readers
