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
loyalty::Status RunMorning(const std::string& database_path, const std::string& program_path,
                           std::ostream& out);

}  // namespace loyalty_demo
