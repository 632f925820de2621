// What loyalty-demo's exit code tells a script: one code per class of
// status, so a caller can branch without parsing the message. Documented
// in docs/integration.md ("Try it from the shell"); never renumbered.
#pragma once

#include "loyalty/status.hpp"

namespace loyalty_demo {

enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,  // a bug (internal) or an unexpected failure
  kExitUsage = 2,     // the command line does not parse: unknown option, missing argument
  kExitInvalid = 3,   // a value is malformed: invalid_argument, amount_negative,
                      // amount_overflow, currency_mismatch, payment_card_refused
  kExitRefused = 4,   // the till says no: unknown_card, card_blocked, insufficient_points,
                      // insufficient_funds, duplicate_id_conflict, not_found,
                      // already_reversed, card_already_enrolled, offline_limit,
                      // reward_refused
  kExitLedger = 5,    // the ledger: database_locked, database_corrupt, tampered, sync_fork
                      // (this ledger and the server's copy differ: an operator compares)
  kExitSetup = 6,     // files, build and configuration: program_invalid, io_error,
                      // unsupported, unknown_terminal, key_mismatch (a retry cannot help
                      // until the option the message names is fixed)
  kExitReader = 7,    // the card reader: bad_read, timeout, cancelled, device_gone
  kExitSync = 8,      // the central server: network_error, tls_refused, server_refused
};

// The exit code for a status; kExitOk for OK.
int ExitCodeFor(loyalty::StatusCode code);

}  // namespace loyalty_demo
