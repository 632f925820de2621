#include "sync/offline_policy.hpp"

#include "sync/sync_schema.hpp"

namespace loyalty::sync {

Result<bool> OfflinePolicy::CardHotlisted(const std::string& card_hash) {
  return snapshots_.Hotlisted(card_hash);
}

Result<Points> OfflinePolicy::RemotePoints(const std::string& account_id) {
  return snapshots_.RemotePoints(account_id);
}

Result<std::int64_t> OfflinePolicy::RemoteStoredValue(const std::string& account_id,
                                                      const std::string& ref) {
  return snapshots_.RemoteStoredValue(account_id, ref);
}

Status OfflinePolicy::CheckOfflineRedemption(const std::string& account_id,
                                             std::int64_t now_ms, std::int64_t day_start_ms) {
  auto cap = state_.Int(kRedeemCap);
  if (!cap.ok()) return cap.status();
  if (!*cap) return Status::Ok();  // the server set no cap
  auto after = state_.Int(kOfflineAfter);
  if (!after.ok()) return after.status();
  const std::int64_t offline_after = after->value_or(default_offline_after_.count());
  auto last = state_.Int(kLastSuccess);
  if (!last.ok()) return last.status();
  const std::int64_t since_sync = *last ? now_ms - **last : INT64_MAX;
  if (since_sync <= offline_after) return Status::Ok();
  auto redeemed = snapshots_.RedeemedSince(account_id, day_start_ms);
  if (!redeemed.ok()) return redeemed.status();
  if (*redeemed <= **cap) return Status::Ok();
  const std::string since = *last ? "not synced for " + std::to_string(since_sync / 60'000) +
                                        " minutes"
                                  : std::string("this till has never synced");
  return {StatusCode::kOfflineLimit,
          "account " + account_id + ": " + std::to_string(*redeemed) +
              " points redeemed today on this till, over the offline cap of " +
              std::to_string(**cap) + " (" + since + ")"};
}

}  // namespace loyalty::sync
