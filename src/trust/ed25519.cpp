#include "trust/ed25519.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace loyalty::trust {

void Ed25519Verifier::Free::operator()(evp_pkey_st* key) const noexcept {
  EVP_PKEY_free(key);
}

Result<Ed25519Verifier> Ed25519Verifier::FromPem(std::string_view pem, std::string_view what) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return Status(StatusCode::kInternal, "out of memory reading " + std::string(what));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  std::string(what) + ": is not a PEM public key");
  }
  Ed25519Verifier verifier(key);
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    return Status(StatusCode::kInvalidArgument, std::string(what) + ": is not an Ed25519 key");
  }
  return verifier;
}

bool Ed25519Verifier::Verify(std::string_view message, std::string_view signature) const {
  if (!key_ || signature.size() != 64) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                             &EVP_MD_CTX_free);
  if (!ctx) return false;
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace loyalty::trust
