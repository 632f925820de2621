// Reading a program document: complete validation, every problem reported
// with its JSON path ("earn.per: must be > 0").
#pragma once

#include <string_view>

#include "engine/program.hpp"
#include "loyalty/status.hpp"

namespace loyalty::engine {

// Parses and validates a program document (JSON text). On failure the
// status is kProgramInvalid and its message lists every problem, one per
// line. Pure: reads no file.
Result<Program> ParseProgram(std::string_view json_text);

}  // namespace loyalty::engine
