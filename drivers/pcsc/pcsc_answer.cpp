#include "pcsc/pcsc_answer.hpp"

#include <string>

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
    static constexpr char kDigits[] = "0123456789ABCDEF";
    const std::string sw = {kDigits[sw1 >> 4], kDigits[sw1 & 0x0F], kDigits[sw2 >> 4],
                            kDigits[sw2 & 0x0F]};
    return Status(StatusCode::kBadRead, std::string("PC/SC: ") + what + " refused, SW " + sw);
  }
  return std::vector<std::uint8_t>(response.begin(), response.end() - 2);
}

}  // namespace loyalty::readers
