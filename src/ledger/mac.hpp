// A reusable HMAC-SHA256 keyed once (OpenSSL EVP_MAC). Not thread-safe:
// each owner uses it under its own lock.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct evp_mac_ctx_st;

namespace loyalty::ledger {

class Mac {
 public:
  explicit Mac(std::string_view key);
  Mac(Mac&&) noexcept = default;
  Mac& operator=(Mac&&) noexcept = default;
  ~Mac();

  // HMAC-SHA256(key, data): 32 bytes. Empty string on an OpenSSL failure,
  // which can never verify.
  std::string Compute(std::string_view data) const;

 private:
  struct Free {
    void operator()(evp_mac_ctx_st* ctx) const noexcept;
  };
  std::unique_ptr<evp_mac_ctx_st, Free> ctx_;
};

}  // namespace loyalty::ledger
