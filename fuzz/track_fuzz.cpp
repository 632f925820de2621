// ISO 7813 swipes as a reader sends them: any bytes, under each LRC mode.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "magstripe/track_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view swipe(reinterpret_cast<const char*>(data), size);
  using loyalty::readers::LrcMode;
  for (LrcMode mode : {LrcMode::kAuto, LrcMode::kPresent, LrcMode::kAbsent}) {
    auto parsed = loyalty::readers::ParseSwipe(swipe, {.lrc = mode});
    if (parsed.ok() && parsed.value().card.value().empty()) __builtin_trap();
  }
  return 0;
}
