// Connection strings: "scheme:target?key=value&key=value".
// The target keeps its own colons ("pn532_uart:/dev/ttyUSB0:115200").
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "loyalty/status.hpp"

namespace loyalty::readers {

struct Connection {
  std::string text;    // as given, for Describe() and messages
  std::string scheme;  // before the first ':' ("" when there is no ':')
  std::string target;  // between the ':' and the '?'
  std::map<std::string, std::string> options;  // after the '?'
};

// Splits a connection string. kInvalidArgument names a malformed option.
Result<Connection> ParseConnection(std::string_view text);

// kInvalidArgument naming the first option not in `known`.
Status CheckOptions(const Connection& connection, const std::set<std::string>& known);

// Reads an option as a bool ("1"/"0", "true"/"false", "yes"/"no").
Result<bool> BoolOption(const Connection& connection, const std::string& key, bool fallback);

// Reads an option as milliseconds within [min, max].
Result<std::chrono::milliseconds> MillisOption(const Connection& connection,
                                               const std::string& key,
                                               std::chrono::milliseconds fallback,
                                               std::chrono::milliseconds min,
                                               std::chrono::milliseconds max);

}  // namespace loyalty::readers
