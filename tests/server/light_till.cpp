#include "light_till.hpp"

#include <httplib.h>

#include "sync/request_signer.hpp"
#include "sync/wire.hpp"
#include "trust/codec.hpp"

namespace loyalty::testing {

LightTill::LightTill(std::string id, std::string key)
    : id_(std::move(id)), key_(std::move(key)), chain_(std::move(ledger::Chain::Create(key_).value())) {}

std::int64_t LightTill::Append(ledger::EntryRecord e) {
  e.seq = last_seq() + 1;
  e.op_id = id_ + "-op-" + std::to_string(e.seq);
  e.currency = "EUR";
  const std::string prev = entries_.empty() ? std::string(32, '\0') : entries_.back().mac;
  e.mac = chain_.EntryMac(prev, e);
  entries_.push_back(std::move(e));
  return last_seq();
}

std::int64_t LightTill::Enroll(const std::string& account_id, std::int64_t at_ms) {
  ledger::EntryRecord e;
  e.kind = EntryKind::kEnroll;
  e.account_id = account_id;
  e.at = at_ms;
  return Append(std::move(e));
}

std::int64_t LightTill::Earn(const std::string& account_id, std::int64_t points,
                             std::int64_t at_ms) {
  ledger::EntryRecord e;
  e.kind = points >= 0 ? EntryKind::kEarn : EntryKind::kRedeem;
  e.account_id = account_id;
  e.points = points;
  e.amount_minor = points >= 0 ? points * 100 : 0;
  e.at = at_ms;
  return Append(std::move(e));
}

std::int64_t LightTill::Money(const std::string& account_id, const std::string& ref,
                              std::int64_t units, std::optional<std::int64_t> reverses,
                              std::int64_t at_ms) {
  ledger::EntryRecord e;
  e.kind = EntryKind::kStoredValue;
  e.account_id = account_id;
  e.units = units;
  e.ref = ref;
  e.reverses_seq = reverses;
  e.at = at_ms;
  return Append(std::move(e));
}

LightTill::Batch LightTill::MakeBatch(std::int64_t first_seq, std::int64_t last_seq) const {
  Batch b;
  b.first_seq = first_seq;
  b.last_seq = last_seq;
  b.batch_id = id_ + "-" + std::to_string(first_seq) + "-" + std::to_string(last_seq);
  const std::string prev = first_seq == 1 ? std::string(32, '\0')
                                          : entries_[static_cast<size_t>(first_seq - 2)].mac;
  sync::BatchBody body(id_, b.batch_id, prev);
  for (std::int64_t s = first_seq; s <= last_seq; ++s) {
    const ledger::EntryRecord& e = entries_[static_cast<size_t>(s - 1)];
    body.Add(e);
    if (e.kind == EntryKind::kEnroll) body.AddAccount({e.account_id, "customer " + e.account_id, {}});
  }
  b.body = body.Finish();
  return b;
}

Result<LightTill::Reply> LightTill::Send(httplib::SSLClient& http, const std::string& method,
                                         const std::string& target, const std::string& body,
                                         const std::string& idempotency_key,
                                         std::int64_t now_ms) const {
  HttpRequest request{method, target, {}, body};
  sync::RequestSigner(id_, key_).Sign(request, now_ms, trust::RandomHex(16));
  httplib::Headers headers;
  for (const auto& [name, value] : request.headers) headers.emplace(name, value);
  if (!idempotency_key.empty()) headers.emplace("Idempotency-Key", idempotency_key);
  auto res = method == "POST" ? http.Post(target, headers, body, "application/json")
                              : http.Get(target, headers);
  if (!res) {
    return Status(StatusCode::kNetworkError,
                  method + " " + target + ": " + httplib::to_string(res.error()));
  }
  return Reply{res->status, res->body};
}

Result<LightTill::Reply> LightTill::Push(httplib::SSLClient& http, const Batch& batch,
                                         std::int64_t now_ms) const {
  return Send(http, "POST", "/v1/terminals/" + id_ + "/batches", batch.body, batch.batch_id,
              now_ms);
}

Result<LightTill::Reply> LightTill::Pull(httplib::SSLClient& http, std::int64_t cursor, int limit,
                                         std::int64_t now_ms) const {
  return Send(http, "GET",
              "/v1/terminals/" + id_ + "/changes?cursor=" + std::to_string(cursor) +
                  "&limit=" + std::to_string(limit),
              "", "", now_ms);
}

}  // namespace loyalty::testing
