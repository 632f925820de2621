// Ed25519 signature checks against a pinned public key: server receipts and
// program documents (docs/sync-protocol.md §3.5, §4.2).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "loyalty/status.hpp"

struct evp_pkey_st;

namespace loyalty::trust {

class Ed25519Verifier {
 public:
  // kInvalidArgument naming `what` when the PEM is not an Ed25519 public key.
  static Result<Ed25519Verifier> FromPem(std::string_view pem, std::string_view what);

  // Whether `signature` (64 raw bytes) signs `message`. Thread-safe.
  bool Verify(std::string_view message, std::string_view signature) const;

 private:
  struct Free {
    void operator()(evp_pkey_st* key) const noexcept;
  };
  explicit Ed25519Verifier(evp_pkey_st* key) : key_(key, Free()) {}
  std::shared_ptr<evp_pkey_st> key_;
};

}  // namespace loyalty::trust
