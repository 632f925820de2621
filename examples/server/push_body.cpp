#include "push_body.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

#include "trust/codec.hpp"

namespace loyalty::server {

using nlohmann::json;

namespace {

struct NotAnInteger {
  std::string key;
};

// get<int64_t>() converts a JSON float by a plain cast, which is undefined
// for 1e300 (found by fuzz/server_push_fuzz); only integers in range pass.
std::int64_t Integer(const json& object, const char* key) {
  const json& v = object.at(key);
  if (!v.is_number_integer() ||
      (v.is_number_unsigned() &&
       v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
    throw NotAnInteger{key};
  }
  return v.get<std::int64_t>();
}

}  // namespace

Result<PushBatch> ParsePush(const std::string& body) {
  auto bad = [](const std::string& what) { return Status(StatusCode::kInvalidArgument, what); };
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("body: not a JSON object");
  try {
    if (!doc.contains("protocol") || Integer(doc, "protocol") != 1) {
      return bad("protocol: must be 1");
    }
    PushBatch b;
    b.terminal_id = doc.at("terminal_id").get<std::string>();
    b.batch_id = doc.at("batch_id").get<std::string>();
    b.first_seq = Integer(doc, "first_seq");
    b.last_seq = Integer(doc, "last_seq");
    // first_seq + an entry's index must not overflow (found in review while
    // fixing the float finding, not by the fuzzer).
    if (b.first_seq > INT64_MAX - static_cast<std::int64_t>(kMaxEntries)) {
      return bad("first_seq: out of range");
    }
    auto prev = trust::FromHex(doc.at("prev_mac").get<std::string>());
    if (!prev || prev->size() != 32) return bad("prev_mac: not 64 hex characters");
    b.prev_mac = *prev;
    const json& entries = doc.at("entries");
    if (!entries.is_array() || entries.empty()) return bad("entries: not a non-empty array");
    if (entries.size() > kMaxEntries) return bad("entries: too many");
    std::string fingerprint = b.prev_mac;
    for (const json& j : entries) {
      ledger::EntryRecord e;
      e.seq = Integer(j, "seq");
      e.op_id = j.at("op_id").get<std::string>();
      const std::string kind = j.at("kind").get<std::string>();
      auto k = ledger::EntryKindFromName(kind);
      if (!k) return bad("entries[seq " + std::to_string(e.seq) + "].kind: unknown '" + kind + "'");
      e.kind = *k;
      e.account_id = j.at("account_id").get<std::string>();
      e.points = Integer(j, "points");
      e.amount_minor = Integer(j, "amount_minor");
      e.currency = j.at("currency").get<std::string>();
      auto opt = [&j](const char* key) -> std::optional<std::int64_t> {
        if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
        return Integer(j, key);
      };
      e.reverses_seq = opt("reverses_seq");
      e.pending_until = opt("pending_until");
      e.expires_at = opt("expires_at");
      e.at = Integer(j, "at");
      e.note = j.at("note").get<std::string>();
      e.units = opt("units");
      if (j.contains("ref") && !j.at("ref").is_null()) e.ref = j.at("ref").get<std::string>();
      auto mac = trust::FromHex(j.at("mac").get<std::string>());
      if (!mac || mac->size() != 32) {
        return bad("entries[seq " + std::to_string(e.seq) + "].mac: not 64 hex characters");
      }
      e.mac = *mac;
      fingerprint += e.mac;
      if (e.seq != b.first_seq + static_cast<std::int64_t>(b.entries.size())) {
        return bad("entries: seq " + std::to_string(e.seq) + " breaks the run from first_seq");
      }
      b.entries.push_back(std::move(e));
    }
    if (b.entries.back().seq != b.last_seq) return bad("last_seq: does not match the entries");
    b.fingerprint = trust::Sha256(fingerprint);
    if (doc.contains("accounts") && doc.at("accounts").is_array()) {
      for (const json& a : doc.at("accounts")) {
        AccountInfo info;
        info.account_id = a.at("account_id").get<std::string>();
        info.name = a.value("name", "");
        if (a.contains("cards")) {
          for (const json& c : a.at("cards")) {
            auto hash = trust::FromHex(c.at("card_hash").get<std::string>());
            if (!hash || hash->size() != 32) return bad("accounts[].cards[].card_hash: not hex");
            info.cards.push_back({*hash, c.value("masked", ""), c.value("blocked", false),
                                  c.contains("enrolled_at") ? Integer(c, "enrolled_at") : 0});
          }
        }
        b.accounts.push_back(std::move(info));
      }
    }
    auto array = [&doc](const char* key) -> const json* {
      return doc.contains(key) && doc.at(key).is_array() ? &doc.at(key) : nullptr;
    };
    auto optional = [](const json& j, const char* key) -> std::optional<std::int64_t> {
      if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
      return Integer(j, key);
    };
    if (const json* gifts = array("gift_cards")) {
      for (const json& g : *gifts) {
        auto hash = trust::FromHex(g.at("card_hash").get<std::string>());
        if (!hash || hash->size() != 32) return bad("gift_cards[].card_hash: not 64 hex");
        b.gift_cards.push_back(
            {g.at("account_id").get<std::string>(), *hash, g.value("masked", "")});
      }
    }
    if (const json* coupons = array("coupons")) {
      for (const json& c : *coupons) {
        b.coupons.push_back({c.at("code").get<std::string>(),
                             c.at("coupon_id").get<std::string>(),
                             c.value("account_id", ""), optional(c, "uses"),
                             optional(c, "expires_at")});
      }
    }
    if (const json* uses = array("coupon_uses")) {
      for (const json& u : *uses) {
        b.coupon_uses.push_back({u.at("code").get<std::string>(),
                                 u.at("op_id").get<std::string>(), u.value("account_id", ""),
                                 u.value("reversed", false)});
      }
    }
    return b;
  } catch (const json::exception& e) {
    return bad(std::string("body: ") + e.what());
  } catch (const NotAnInteger& e) {
    return bad(e.key + ": not an integer in the int64 range");
  }
}

}  // namespace loyalty::server
