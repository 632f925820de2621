#include "ledger/chain.hpp"

#include <openssl/crypto.h>

namespace loyalty::ledger {
namespace {

void PutInt(std::string& out, std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((u >> shift) & 0xff));
  }
}

void PutText(std::string& out, std::string_view text) {
  PutInt(out, static_cast<std::int64_t>(text.size()));
  out.append(text);
}

void PutOptional(std::string& out, const std::optional<std::int64_t>& v) {
  out.push_back(v ? '\1' : '\0');
  PutInt(out, v.value_or(0));
}

}  // namespace

Result<Chain> Chain::Create(std::string_view key) {
  if (key.size() < 32) {
    return Status(StatusCode::kInvalidArgument,
                  "terminal_key: must be at least 32 bytes, got " +
                      std::to_string(key.size()));
  }
  return Chain(key);
}

std::string Chain::EntryMac(std::string_view previous_mac,
                            const EntryRecord& e) const {
  std::string data;
  data.reserve(160 + e.op_id.size() + e.account_id.size() + e.note.size());
  data.append("loyalty-entry-v1");
  PutText(data, previous_mac);
  PutInt(data, e.seq);
  PutText(data, e.op_id);
  PutText(data, EntryKindName(e.kind));
  PutText(data, e.account_id);
  PutInt(data, e.points);
  PutInt(data, e.amount_minor);
  PutText(data, e.currency);
  PutOptional(data, e.reverses_seq);
  PutOptional(data, e.pending_until);
  PutOptional(data, e.expires_at);
  PutInt(data, e.at);
  PutText(data, e.note);
  // Fields added by schema 4 join the MAC only when set, so entries written
  // before them keep their MACs.
  if (e.units || e.ref) {
    data.append("loyalty-entry-units");
    PutOptional(data, e.units);
    data.push_back(e.ref ? '\1' : '\0');
    PutText(data, e.ref.value_or(""));
  }
  return mac_.Compute(data);
}

std::string Chain::HeadTag(std::int64_t seq, std::string_view mac) const {
  std::string data = "loyalty-head-v1";
  PutInt(data, seq);
  PutText(data, mac);
  return mac_.Compute(data);
}

std::string Chain::KeyCheck() const { return mac_.Compute("loyalty-key-check-v1"); }

bool SameMac(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<EntryKind> EntryKindFromName(std::string_view name) {
  for (int k = 0; k <= static_cast<int>(EntryKind::kProgram); ++k) {
    if (name == EntryKindName(static_cast<EntryKind>(k))) {
      return static_cast<EntryKind>(k);
    }
  }
  return std::nullopt;
}

}  // namespace loyalty::ledger
