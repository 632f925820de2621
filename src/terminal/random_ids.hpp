#pragma once

#include "loyalty/env.hpp"

namespace loyalty::terminal {

// 16 bytes from OpenSSL's CSPRNG, as 32 hex digits.
class RandomIds final : public IdSource {
 public:
  std::string NewId() override;
};

}  // namespace loyalty::terminal
