// A till without a ledger, for the server's tests and its load test
// (bench/server_load.cpp): it makes chained, MAC'd entries itself and
// speaks the sync protocol (docs/sync-protocol.md) over HTTPS with the
// library's own wire code (BatchBody, RequestSigner, the answer parsers).
// A thousand of these cost little; a thousand real terminals would measure
// the terminals. Not thread-safe: one thread per till.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/chain.hpp"
#include "ledger/entry.hpp"
#include "loyalty/status.hpp"

namespace httplib {
class SSLClient;
}

namespace loyalty::testing {

class LightTill {
 public:
  // `key`: the terminal key (>= 32 bytes), registered at the server.
  LightTill(std::string id, std::string key);

  const std::string& id() const { return id_; }
  const std::string& key() const { return key_; }
  std::int64_t last_seq() const { return static_cast<std::int64_t>(entries_.size()); }

  // Appends an enrolment of a new account, or points earned (or, negative,
  // spent) on an account; returns the entry's seq.
  std::int64_t Enroll(const std::string& account_id, std::int64_t at_ms);
  std::int64_t Earn(const std::string& account_id, std::int64_t points, std::int64_t at_ms);
  // Money moved on an account's wallet ("wallet") or gift card ("gift"),
  // as the library writes it: a load is positive, a payment negative, a
  // void of load `reverses` negative and pointing at it.
  std::int64_t Money(const std::string& account_id, const std::string& ref,
                     std::int64_t units, std::optional<std::int64_t> reverses,
                     std::int64_t at_ms);

  struct Batch {
    std::string batch_id;
    std::int64_t first_seq = 0;
    std::int64_t last_seq = 0;
    std::string body;
  };
  // The entries first_seq..last_seq as one push body.
  Batch MakeBatch(std::int64_t first_seq, std::int64_t last_seq) const;

  struct Reply {
    int status = 0;
    std::string body;
  };
  // POSTs a batch, signed (§2.2); kNetworkError when no answer came.
  Result<Reply> Push(httplib::SSLClient& http, const Batch& batch, std::int64_t now_ms) const;
  // GETs one page of changes after `cursor`.
  Result<Reply> Pull(httplib::SSLClient& http, std::int64_t cursor, int limit,
                     std::int64_t now_ms) const;

 private:
  Result<Reply> Send(httplib::SSLClient& http, const std::string& method,
                     const std::string& target, const std::string& body,
                     const std::string& idempotency_key, std::int64_t now_ms) const;
  std::int64_t Append(ledger::EntryRecord e);

  std::string id_;
  std::string key_;
  ledger::Chain chain_;
  std::vector<ledger::EntryRecord> entries_;
};

}  // namespace loyalty::testing
