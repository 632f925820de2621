// The HMAC-SHA256 signature every request carries and every server answer
// carries back (docs/sync-protocol.md §2.2, §2.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/mac.hpp"
#include "loyalty/sync.hpp"

namespace loyalty::sync {

// The seven lines the request signature covers.
std::string RequestStringToSign(std::string_view method, std::string_view path,
                                std::string_view query, std::int64_t timestamp_ms,
                                std::string_view nonce, std::string_view body);

// What the response signature covers.
std::string ResponseStringToSign(int status, std::string_view request_nonce,
                                 std::string_view body);

// Not thread-safe (one HMAC context): used by the one thread running a round.
class RequestSigner {
 public:
  RequestSigner(std::string terminal_id, std::string_view terminal_key)
      : terminal_id_(std::move(terminal_id)), mac_(terminal_key) {}

  // Adds X-Loyalty-Timestamp, X-Loyalty-Nonce, Content-Digest and
  // Authorization for this moment and nonce.
  void Sign(HttpRequest& request, std::int64_t timestamp_ms, const std::string& nonce) const;

  // Whether X-Loyalty-Signature is the server's signature of this response
  // to the request signed with `nonce`.
  bool VerifyResponse(const HttpResponse& response, std::string_view nonce) const;

 private:
  std::string terminal_id_;
  ledger::Mac mac_;
};

}  // namespace loyalty::sync
