#include "exit_codes.hpp"

namespace loyalty_demo {

int ExitCodeFor(loyalty::StatusCode code) {
  using loyalty::StatusCode;
  // No default: a status code added to the library makes -Wswitch ask
  // which class it belongs to.
  switch (code) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kAmountNegative:
    case StatusCode::kAmountOverflow:
    case StatusCode::kCurrencyMismatch:
    case StatusCode::kPaymentCardRefused:
      return kExitInvalid;
    case StatusCode::kUnknownCard:
    case StatusCode::kCardBlocked:
    case StatusCode::kInsufficientPoints:
    case StatusCode::kInsufficientFunds:
    case StatusCode::kDuplicateIdConflict:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyReversed:
    case StatusCode::kCardAlreadyEnrolled:
    case StatusCode::kOfflineLimit:
    case StatusCode::kRewardRefused:
      return kExitRefused;
    case StatusCode::kDatabaseLocked:
    case StatusCode::kDatabaseCorrupt:
    case StatusCode::kTampered:
    case StatusCode::kSyncFork:
      return kExitLedger;
    case StatusCode::kProgramInvalid:
    case StatusCode::kIoError:
    case StatusCode::kUnsupported:
    case StatusCode::kUnknownTerminal:
    case StatusCode::kKeyMismatch:
      return kExitSetup;
    case StatusCode::kBadRead:
    case StatusCode::kTimeout:
    case StatusCode::kCancelled:
    case StatusCode::kDeviceGone:
      return kExitReader;
    case StatusCode::kNetworkError:
    case StatusCode::kTlsRefused:
    case StatusCode::kServerRefused:
      return kExitSync;
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace loyalty_demo
