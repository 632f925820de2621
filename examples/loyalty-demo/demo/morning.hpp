// A scripted morning at a supermarket till, told as the cashier sees it.
#pragma once

#include <ostream>
#include <string>

#include "loyalty/status.hpp"

namespace loyalty_demo {

// Runs the morning on a fresh ledger at `database_path` (which must not
// exist yet) under the program at `program_path` (the supermarket program:
// cards 99..., 14-day return window). Prints every step to `out`. An
// error the script does not expect is returned; the mistyped card number
// it does expect is printed as the cashier would see it.
// The morning's till key: the ledger is a throw-away one, and a kept ledger
// gets this key in a file beside it so the CLI can open it afterwards.
inline constexpr char kMorningTerminalKey[] = "demo-key-not-for-production-use-0123456789";
// A card of the story, to try commands on after the demo.
inline constexpr char kMorningCard[] = "9900123456789017";

loyalty::Status RunMorning(const std::string& database_path, const std::string& program_path,
                           std::ostream& out);

}  // namespace loyalty_demo
