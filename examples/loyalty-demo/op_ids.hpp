// Every write carries the POS's id for it; at a command line the operator
// may give one (--op-id) or let the till draw one.
#pragma once

#include <string>

namespace loyalty_demo {

// "<kind>-20260303-080512-4F1A": readable in history, unique enough for a
// till where a person types one command at a time.
std::string NewOpId(const std::string& kind);

// `given` when not empty, else NewOpId(kind).
std::string OpIdOr(const std::string& given, const std::string& kind);

}  // namespace loyalty_demo
