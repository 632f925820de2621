// Hex and base64 (docs/sync-protocol.md §1): MACs and hashes travel as
// lower-case hex, signatures as standard base64, on the wire and in the
// .sig file beside a program; SHA-256 and random nonces beside them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty::trust {

std::string ToHex(std::string_view bytes);
// nullopt for an odd length or a character that is not hex.
std::optional<std::string> FromHex(std::string_view hex);

std::string ToBase64(std::string_view bytes);
// nullopt for text that is not padded standard base64.
std::optional<std::string> FromBase64(std::string_view text);

// `bytes` bytes from OpenSSL's generator, as hex: nonces and batch ids.
std::string RandomHex(std::size_t bytes);

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(std::string_view data);

}  // namespace loyalty::trust
