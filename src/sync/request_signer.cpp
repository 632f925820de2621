#include "sync/request_signer.hpp"

#include "ledger/chain.hpp"
#include "trust/codec.hpp"

namespace loyalty::sync {

std::string RequestStringToSign(std::string_view method, std::string_view path,
                                std::string_view query, std::int64_t timestamp_ms,
                                std::string_view nonce, std::string_view body) {
  std::string s = "LOYALTY1-HMAC-SHA256\n";
  s.append(method).append("\n");
  s.append(path).append("\n");
  s.append(query).append("\n");
  s.append(std::to_string(timestamp_ms)).append("\n");
  s.append(nonce).append("\n");
  s.append(trust::ToHex(trust::Sha256(body)));
  return s;
}

std::string ResponseStringToSign(int status, std::string_view request_nonce,
                                 std::string_view body) {
  std::string s = "LOYALTY1-RESPONSE\n";
  s.append(std::to_string(status)).append("\n");
  s.append(request_nonce).append("\n");
  s.append(trust::ToHex(trust::Sha256(body)));
  return s;
}

void RequestSigner::Sign(HttpRequest& request, std::int64_t timestamp_ms,
                         const std::string& nonce) const {
  std::string_view target = request.target;
  std::string_view path = target;
  std::string_view query;
  if (const size_t q = target.find('?'); q != std::string_view::npos) {
    path = target.substr(0, q);
    query = target.substr(q + 1);
  }
  const std::string signature = trust::ToHex(mac_.Compute(
      RequestStringToSign(request.method, path, query, timestamp_ms, nonce, request.body)));
  request.headers.emplace_back("X-Loyalty-Timestamp", std::to_string(timestamp_ms));
  request.headers.emplace_back("X-Loyalty-Nonce", nonce);
  request.headers.emplace_back("Content-Digest",
                               "sha-256=:" + trust::ToBase64(trust::Sha256(request.body)) + ":");
  request.headers.emplace_back("Authorization", "LOYALTY1-HMAC-SHA256 Credential=" +
                                                    terminal_id_ + ", Signature=" + signature);
}

bool RequestSigner::VerifyResponse(const HttpResponse& response,
                                   std::string_view nonce) const {
  const auto claimed = trust::FromHex(response.Header("x-loyalty-signature"));
  if (!claimed || claimed->size() != 32) return false;
  return ledger::SameMac(*claimed,
                         mac_.Compute(ResponseStringToSign(response.status, nonce, response.body)));
}

}  // namespace loyalty::sync
