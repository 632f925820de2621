#include "terminal/random_ids.hpp"

#include <openssl/rand.h>

#include <array>

namespace loyalty::terminal {

std::string RandomIds::NewId() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return {};
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0xf]);
  }
  return id;
}

}  // namespace loyalty::terminal
