#include "loyalty/status.hpp"

namespace loyalty {

const char* StatusCodeName(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kUnknownCard: return "unknown_card";
    case StatusCode::kCardBlocked: return "card_blocked";
    case StatusCode::kInsufficientPoints: return "insufficient_points";
    case StatusCode::kAmountNegative: return "amount_negative";
    case StatusCode::kAmountOverflow: return "amount_overflow";
    case StatusCode::kCurrencyMismatch: return "currency_mismatch";
    case StatusCode::kDuplicateIdConflict: return "duplicate_id_conflict";
    case StatusCode::kDatabaseLocked: return "database_locked";
    case StatusCode::kDatabaseCorrupt: return "database_corrupt";
    case StatusCode::kTampered: return "tampered";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kAlreadyReversed: return "already_reversed";
    case StatusCode::kCardAlreadyEnrolled: return "card_already_enrolled";
    case StatusCode::kPaymentCardRefused: return "payment_card_refused";
    case StatusCode::kProgramInvalid: return "program_invalid";
    case StatusCode::kIoError: return "io_error";
    case StatusCode::kInternal: return "internal";
    case StatusCode::kBadRead: return "bad_read";
    case StatusCode::kTimeout: return "timeout";
    case StatusCode::kCancelled: return "cancelled";
    case StatusCode::kDeviceGone: return "device_gone";
    case StatusCode::kUnsupported: return "unsupported";
    case StatusCode::kInsufficientFunds: return "insufficient_funds";
    case StatusCode::kOfflineLimit: return "offline_limit";
    case StatusCode::kNetworkError: return "network_error";
    case StatusCode::kTlsRefused: return "tls_refused";
    case StatusCode::kServerRefused: return "server_refused";
    case StatusCode::kRewardRefused: return "reward_refused";
    case StatusCode::kUnknownTerminal: return "unknown_terminal";
    case StatusCode::kKeyMismatch: return "key_mismatch";
    case StatusCode::kSyncFork: return "sync_fork";
  }
  return "unknown_status";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

}  // namespace loyalty
