#include "nfc/type4_tag.hpp"

#include <string>

namespace loyalty::readers {

std::vector<std::uint8_t> SelectNdefApplication() {
  return {0x00, 0xA4, 0x04, 0x00, 0x07, 0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01, 0x00};
}

std::vector<std::uint8_t> SelectFile(std::uint16_t file_id) {
  return {0x00, 0xA4, 0x00, 0x0C, 0x02, static_cast<std::uint8_t>(file_id >> 8),
          static_cast<std::uint8_t>(file_id & 0xFF)};
}

std::vector<std::uint8_t> ReadBinary(std::uint16_t offset, std::uint8_t length) {
  return {0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
          static_cast<std::uint8_t>(offset & 0xFF), length};
}

bool ApduOk(std::span<const std::uint8_t> response) {
  return response.size() >= 2 && response[response.size() - 2] == 0x90 &&
         response[response.size() - 1] == 0x00;
}

Result<std::vector<std::uint8_t>> ApduAnswerData(std::span<const std::uint8_t> response,
                                                 const char* what) {
  if (!ApduOk(response)) {
    return Status(StatusCode::kBadRead,
                  std::string("NFC: the card refused ") + what + " (not an NDEF card)");
  }
  return std::vector<std::uint8_t>(response.begin(), response.end() - 2);
}

}  // namespace loyalty::readers
