#include "ledger/mac.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>

namespace loyalty::ledger {

void Mac::Free::operator()(evp_mac_ctx_st* ctx) const noexcept {
  EVP_MAC_CTX_free(ctx);
}

Mac::Mac(std::string_view key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return;
  ctx_.reset(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);
  if (!ctx_) return;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx_.get(), reinterpret_cast<const unsigned char*>(key.data()),
                   key.size(), params) != 1) {
    ctx_.reset();
  }
}

Mac::~Mac() = default;

std::string Mac::Compute(std::string_view data) const {
  if (!ctx_) return {};
  // A NULL key re-initialises with the key set at construction.
  if (EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) != 1) return {};
  if (EVP_MAC_update(ctx_.get(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return {};
  }
  std::array<unsigned char, 32> out{};
  size_t length = 0;
  if (EVP_MAC_final(ctx_.get(), out.data(), &length, out.size()) != 1) return {};
  return {reinterpret_cast<const char*>(out.data()), length};
}

}  // namespace loyalty::ledger
