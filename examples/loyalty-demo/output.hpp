// Where a command's results go: the text a cashier reads, or with --json
// one JSON object per line (result_json.hpp) for a script. Errors too: on
// stderr as "error: <status>: <message>", or with --json as an "error"
// object on stdout, so a script reads every outcome from one stream.
#pragma once

#include <functional>
#include <ostream>

#include "loyalty/status.hpp"
#include "result_json.hpp"
#include "till.hpp"

namespace loyalty_demo {

// Prints `object` on one line when settings.json, else runs `text` on
// stdout. Invalid UTF-8 in a name typed at enrolment is replaced, never
// thrown on.
void Show(const TillSettings& settings, const Json& object,
          const std::function<void(std::ostream&)>& text);

// Reports a failed command the same way and returns `exit_code`, by
// default the one of the status's class (exit_codes.hpp).
int ShowError(bool json, const loyalty::Status& status, int exit_code = -1);

}  // namespace loyalty_demo
