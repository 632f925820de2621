#include "pcsc/pcsc_answer.hpp"

#include <string>

#include "common/upper_hex.hpp"

namespace loyalty::readers {

Result<std::vector<std::uint8_t>> PcscAnswer(std::span<const std::uint8_t> response,
                                             const char* what) {
  if (response.size() < 2) {
    return Status(StatusCode::kBadRead, std::string("PC/SC: ") + what +
                                            " answered no status word; tap again");
  }
  const std::uint8_t sw1 = response[response.size() - 2];
  const std::uint8_t sw2 = response[response.size() - 1];
  if (sw1 != 0x90 || sw2 != 0x00) {
    const std::string sw = UpperHex(std::span(response).last(2));
    return Status(StatusCode::kBadRead, std::string("PC/SC: ") + what + " refused, SW " + sw);
  }
  return std::vector<std::uint8_t>(response.begin(), response.end() - 2);
}

}  // namespace loyalty::readers
