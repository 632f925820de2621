// The reference server's reading of a till's push body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "push_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  auto batch = loyalty::server::ParsePush(body);
  if (batch.ok() && batch.value().entries.empty()) __builtin_trap();
  return 0;
}
