// Reading a push body (docs/sync-protocol.md §3.2): what a till sends is
// outside data, so this is kept apart from the server to be fuzzed alone.
#pragma once

#include <cstddef>
#include <string>

#include "loyalty/status.hpp"
#include "store.hpp"

namespace loyalty::server {

// The most entries one push may carry (§3.2).
inline constexpr std::size_t kMaxEntries = 5000;

// The fields of a push body, checked for shape: entries numbered in a run
// from first_seq to last_seq, hex MACs of 32 bytes, known entry kinds.
// kInvalidArgument naming the field on any problem; never throws.
Result<PushBatch> ParsePush(const std::string& body);

}  // namespace loyalty::server
