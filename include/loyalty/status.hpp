// Errors as values: every fallible call returns a Status or a Result<T>.
// Nothing in the loyalty API throws.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace loyalty {

// Codes the POS can branch on. Numbered explicitly, appended only, never
// renumbered or reused (the C ABI mirrors these numbers).
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     // a field of a request is malformed or out of range
  kUnknownCard = 2,         // no account holds this card
  kCardBlocked = 3,         // the card is on the hotlist or was blocked here
  kInsufficientPoints = 4,  // redemption exceeds the available balance
  kAmountNegative = 5,      // a price, quantity or amount below zero
  kAmountOverflow = 6,      // arithmetic would leave the int64 range
  kCurrencyMismatch = 7,    // basket currency is not the program's currency
  kDuplicateIdConflict = 8, // the POS id was used before with other content
  kDatabaseLocked = 9,      // another process holds the ledger
  kDatabaseCorrupt = 10,    // SQLite reports corruption or the schema is foreign
  kTampered = 11,           // the hash chain or a cached balance does not verify
  kNotFound = 12,           // an operation or account the request names is absent
  kAlreadyReversed = 13,    // the operation was voided or fully refunded before
  kCardAlreadyEnrolled = 14,// the card belongs to an account already
  kPaymentCardRefused = 15, // the number looks like a payment card (Luhn, 13-19)
  kProgramInvalid = 16,     // the program document failed validation
  kIoError = 17,            // reading a file or the disk failed
  kInternal = 18,           // a bug: please report the message
  kBadRead = 19,            // a card read failed; ask the customer to try again
  kTimeout = 20,            // nothing happened within the time asked for
  kCancelled = 21,          // Cancel() was called from another thread
  kDeviceGone = 22,         // the reader was unplugged or stopped answering
  kUnsupported = 23,        // the feature is not built into this library
  kInsufficientFunds = 24,  // a gift card or wallet holds less than asked
  kOfflineLimit = 25,       // the till has not synced for too long: over the offline cap
  kNetworkError = 26,       // sync: no complete, readable answer from the server
  kTlsRefused = 27,         // sync: a TLS check failed (the message says which)
  kServerRefused = 28,      // sync: the server refused the request (code and reason)
  kRewardRefused = 29,      // the card cannot take a reward asked for (tier, limit, stock,
                            // validity, not in the catalog): the quote lists why
  kUnknownTerminal = 30,    // sync: the server has no such terminal (register it, or
                            // correct Options::terminal_id)
  kKeyMismatch = 31,        // sync: a key differs from the server's (Options::terminal_key
                            // or SyncOptions::receipt_public_key_pem)
  kSyncFork = 32,           // sync: the server's copy and this ledger differ from a seq on
                            // ("fork at seq N"): pushing stopped, an operator must act
};

// Stable, human-readable name of a code, e.g. "insufficient_points".
const char* StatusCodeName(StatusCode code) noexcept;

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const noexcept { return code_ == StatusCode::kOk; }
  StatusCode code() const noexcept { return code_; }
  // Names the field and the value that were wrong; empty when ok().
  const std::string& message() const noexcept { return message_; }
  // "insufficient_points: card 9900...0002 has 40 available, 50 asked"
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {}  // NOLINT
  Result(StatusCode code, std::string message)
      : state_(Status(code, std::move(message))) {}

  bool ok() const noexcept { return std::holds_alternative<T>(state_); }
  explicit operator bool() const noexcept { return ok(); }

  // Precondition: ok(). Checked: calling value() on an error aborts.
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error, or an OK status when a value is held.
  Status status() const {
    if (ok()) return Status::Ok();
    return std::get<Status>(state_);
  }

 private:
  std::variant<T, Status> state_;
};

}  // namespace loyalty
