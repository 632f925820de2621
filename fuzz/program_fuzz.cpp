// Program documents (JSON) as sync or a file on disk delivers them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/program_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)loyalty::engine::ParseProgram(text);
  return 0;
}
