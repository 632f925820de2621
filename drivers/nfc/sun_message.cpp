#include "nfc/sun_message.hpp"

#include "common/upper_hex.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>
#include <optional>
#include <vector>

namespace loyalty::readers {
namespace {

using Block = std::array<std::uint8_t, 16>;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};
struct MacDeleter {
  void operator()(EVP_MAC* m) const noexcept { EVP_MAC_free(m); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* c) const noexcept { EVP_MAC_CTX_free(c); }
};

constexpr std::uint8_t kPiccDataTag = 0xC7;  // UID and counter mirrored, UID length 7
constexpr std::uint8_t kSessionMacLabel[] = {0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80};

Status Bad(std::string what) {
  return Status(StatusCode::kBadRead, "NFC secure message: " + std::move(what));
}

std::optional<std::vector<std::uint8_t>> FromHex(std::string_view hex, std::size_t bytes) {
  if (hex.size() != bytes * 2) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = digit(hex[i]);
    int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

// AES-128-CBC, IV zero, one block, no padding.
std::optional<Block> Aes(bool encrypt, const AesKey& key, const Block& in) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx(EVP_CIPHER_CTX_new());
  const Block iv{};
  Block out{};
  int length = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv.data(),
                                encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &length, in.data(), static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + length, &length) != 1) {
    return std::nullopt;
  }
  return out;
}

std::optional<Block> Cmac(const AesKey& key, std::span<const std::uint8_t> data) {
  std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "CMAC", nullptr));
  if (!mac) return std::nullopt;
  std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(EVP_MAC_CTX_new(mac.get()));
  char cipher[] = "AES-128-CBC";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                         OSSL_PARAM_construct_end()};
  Block out{};
  std::size_t length = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out.data(), &length, out.size()) != 1 || length != out.size()) {
    return std::nullopt;
  }
  return out;
}

// SDMMAC: CMAC under the session key of the (empty) mirrored input, the
// odd-indexed bytes kept.
std::optional<std::array<std::uint8_t, 8>> SunMac(std::span<const std::uint8_t> uid,
                                                  std::uint32_t counter,
                                                  const AesKey& file_read_key) {
  std::vector<std::uint8_t> sv2(std::begin(kSessionMacLabel), std::end(kSessionMacLabel));
  for (std::uint8_t b : uid) sv2.push_back(b);
  sv2.push_back(static_cast<std::uint8_t>(counter & 0xFF));
  sv2.push_back(static_cast<std::uint8_t>((counter >> 8) & 0xFF));
  sv2.push_back(static_cast<std::uint8_t>((counter >> 16) & 0xFF));
  auto session_key = Cmac(file_read_key, sv2);
  if (!session_key) return std::nullopt;
  auto full = Cmac(*session_key, {});
  OPENSSL_cleanse(session_key->data(), session_key->size());
  if (!full) return std::nullopt;
  std::array<std::uint8_t, 8> mac{};
  for (std::size_t i = 0; i < mac.size(); ++i) mac[i] = (*full)[2 * i + 1];
  return mac;
}

}  // namespace

Result<SunPiccData> DecryptSunPiccData(std::string_view e_hex, const AesKey& meta_read_key) {
  auto e = FromHex(e_hex, 16);
  if (!e) return Bad("'e' is not 32 hex digits");
  Block in{};
  std::copy(e->begin(), e->end(), in.begin());
  auto plain = Aes(false, meta_read_key, in);
  if (!plain) return Status(StatusCode::kInternal, "NFC secure message: AES failed (OpenSSL)");
  if ((*plain)[0] != kPiccDataTag) {
    return Bad("'e' does not decrypt to a UID and counter (wrong SDMMetaReadKey, or not a SUN "
               "message)");
  }
  SunPiccData picc;
  picc.uid_hex = UpperHex(std::span(*plain).subspan(1, 7));
  picc.counter = static_cast<std::uint32_t>((*plain)[8]) |
                 static_cast<std::uint32_t>((*plain)[9]) << 8 |
                 static_cast<std::uint32_t>((*plain)[10]) << 16;
  OPENSSL_cleanse(plain->data(), plain->size());
  return picc;
}

Status VerifySunMac(const SunPiccData& picc, std::string_view c_hex, const AesKey& file_read_key) {
  auto c = FromHex(c_hex, 8);
  if (!c) return Bad("'c' is not 16 hex digits");
  auto uid = FromHex(picc.uid_hex, 7);
  if (!uid) return Bad("UID is not 7 bytes");
  auto expected = SunMac(*uid, picc.counter, file_read_key);
  if (!expected) return Status(StatusCode::kInternal, "NFC secure message: CMAC failed (OpenSSL)");
  if (CRYPTO_memcmp(expected->data(), c->data(), expected->size()) != 0) {
    return Bad("the MAC does not verify (a copied or foreign card)");
  }
  return Status::Ok();
}

Result<SunParameters> SunParametersFromUri(std::string_view uri) {
  SunParameters p;
  auto q = uri.find('?');
  std::string_view query = q == std::string_view::npos ? std::string_view{} : uri.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos) {
      std::string_view key = pair.substr(0, eq);
      std::string_view value = pair.substr(eq + 1);
      if (key == "e" || key == "picc_data") p.e = std::string(value);
      if (key == "c" || key == "cmac") p.c = std::string(value);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  if (p.e.empty() || p.c.empty()) return Bad("the card's URL has no 'e' and 'c' (not a SUN tag)");
  return p;
}

SunParameters MakeSunParameters(std::span<const std::uint8_t> uid, std::uint32_t counter,
                                const AesKey& meta_read_key, const AesKey& file_read_key,
                                std::span<const std::uint8_t, 5> padding) {
  Block plain{};
  plain[0] = kPiccDataTag;
  for (std::size_t i = 0; i < 7 && i < uid.size(); ++i) plain[1 + i] = uid[i];
  plain[8] = static_cast<std::uint8_t>(counter & 0xFF);
  plain[9] = static_cast<std::uint8_t>((counter >> 8) & 0xFF);
  plain[10] = static_cast<std::uint8_t>((counter >> 16) & 0xFF);
  std::copy(padding.begin(), padding.end(), plain.begin() + 11);
  SunParameters p;
  if (auto e = Aes(true, meta_read_key, plain)) p.e = UpperHex(*e);
  if (auto c = SunMac(uid, counter, file_read_key)) p.c = UpperHex(*c);
  return p;
}

}  // namespace loyalty::readers
