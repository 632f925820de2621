#include "loyalty/account.hpp"

namespace loyalty {

const char* EntryKindName(EntryKind kind) noexcept {
  switch (kind) {
    case EntryKind::kEnroll: return "enroll";
    case EntryKind::kEarn: return "earn";
    case EntryKind::kRedeem: return "redeem";
    case EntryKind::kEarnReversal: return "earn_reversal";
    case EntryKind::kRedeemReversal: return "redeem_reversal";
    case EntryKind::kAdjust: return "adjust";
    case EntryKind::kExpire: return "expire";
    case EntryKind::kBlock: return "block";
    case EntryKind::kUnblock: return "unblock";
    case EntryKind::kStamp: return "stamp";
    case EntryKind::kStoredValue: return "stored_value";
    case EntryKind::kProgram: return "program";
  }
  return "unknown";
}

}  // namespace loyalty
