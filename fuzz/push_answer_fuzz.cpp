// The central server's answer bodies the sync client reads: ParsePushAnswer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sync/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  (void)loyalty::sync::ParsePushAnswer(body);
  return 0;
}
