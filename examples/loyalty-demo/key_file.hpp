// The terminal key lives in a file beside the ledger, never on the command
// line (where `ps` and shell history would show it).
#pragma once

#include <string>

#include "loyalty/status.hpp"

namespace loyalty_demo {

// Returns the bytes of the key file at `path` (read with ReadSecretFile, so
// a file group or others can read is refused). When the file is absent it is
// created first with 32 random bytes and mode 0600. kIoError names the path
// when it cannot be read or written; kInvalidArgument when it holds fewer
// than 32 bytes.
loyalty::Result<std::string> ReadOrCreateKey(const std::string& path);

}  // namespace loyalty_demo
