// The one header the terminal publishes for the sync layer: its seam to
// the rest of the chain. The terminal includes no sync header, and sync
// includes no other terminal header (scripts/check-layers.sh).
//  - Chain: what the Terminal asks the chain while it serves the till (the
//    hotlist, the server's share of a card, the offline cap, the program
//    the server published). The terminal declares it; sync implements it
//    over its tables and installs it.
//  - ChainLink: what a Sync may do with the Terminal it serves beyond the
//    public API.
// Internal: not installed.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/money.hpp"
#include "loyalty/status.hpp"
#include "loyalty/terminal.hpp"

namespace loyalty::ledger {
class Ledger;
}

namespace loyalty::terminal {

// A program version the server published and this till accepted: the file
// it was written to, and its seal under the terminal key (SealProgram).
struct AcceptedProgram {
  std::int64_t version = 0;
  std::string path;
  std::string seal;  // empty for one accepted before seals existed
};

// What the Terminal asks the chain while it serves the till. Called with
// the Terminal's lock held, inside the operation's transaction.
class Chain {
 public:
  virtual ~Chain() = default;
  // `card_hash` as the ledger stores it (raw HMAC bytes).
  virtual Result<bool> CardHotlisted(const std::string& card_hash) = 0;
  // Points the server holds for the account beyond this till's own entries.
  virtual Result<Points> RemotePoints(const std::string& account_id) = 0;
  // Money (minor units) the server holds under `ref` ("gift", "wallet")
  // beyond this till's own entries.
  virtual Result<std::int64_t> RemoteStoredValue(const std::string& account_id,
                                                 const std::string& ref) = 0;
  // Called after an operation wrote its entries and before it commits:
  // kOfflineLimit when the till is offline and the account's redemptions
  // on this till since `day_start_ms` (this operation's included) pass the
  // cap.
  virtual Status CheckOfflineRedemption(const std::string& account_id, std::int64_t now_ms,
                                        std::int64_t day_start_ms) = 0;
  // The newest program version accepted from the server and put in force;
  // nullopt when there is none.
  virtual Result<std::optional<AcceptedProgram>> NewestProgram() = 0;
};

// The chain as a ledger that has synced keeps it, or nullptr for a ledger
// that never synced. Terminal::Open installs it, so that a till restarted
// offline, with no live Sync, still refuses hotlisted cards, shows the
// server's share of balances and caps offline redemptions.
// Defined by the sync layer (src/sync/local_chain.cpp), which owns the
// tables behind it: the terminal declares what it needs, sync provides it.
Result<std::unique_ptr<Chain>> OpenSyncedChain(ledger::Ledger& ledger);

// What a Sync may do with the Terminal it serves beyond the public API.
// Holds a reference: the Terminal outlives its Sync.
class ChainLink {
 public:
  explicit ChainLink(Terminal& terminal);

  // The Terminal's lock: it guards the ledger, the chain's tables and the
  // program in force. Hold it for every call below that says "under mutex()".
  std::mutex& mutex() const;
  // The Terminal's ledger; under mutex().
  ledger::Ledger& ledger() const;
  const std::string& terminal_id() const;
  // The terminal's secret, which also signs its requests to the server.
  const std::string& terminal_key() const;
  const std::string& database_path() const;
  const Clock& clock() const;
  const LogFn& log() const;

  // The chain in force, nullptr when none; under mutex().
  Chain* chain() const;
  // Puts `chain` in force for the Terminal's life (or until the next one);
  // under mutex().
  void InstallChain(std::unique_ptr<Chain> chain);
  // Whether a live Sync uses the Terminal (one at a time); under mutex().
  bool sync_attached() const;
  void set_sync_attached(bool attached);

  // The seal of a program version accepted from the server, under the
  // terminal key: what AcceptedProgram::seal holds.
  std::string SealProgram(std::int64_t version, std::string_view document) const;
  // Puts an accepted version in force: kTampered when its file is not the
  // document sealed when it was accepted (or, with a pinned program key,
  // not signed); kProgramInvalid when it trades in another currency than
  // the ledger. Under mutex().
  Status LoadAcceptedProgram(const AcceptedProgram& accepted);

 private:
  Terminal::Impl& impl_;
};

}  // namespace loyalty::terminal
