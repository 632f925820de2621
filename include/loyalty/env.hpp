// The seams through which the world reaches the library, so tests run the
// real code with a fake clock and fixed randomness.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "loyalty/card.hpp"
#include "loyalty/status.hpp"

namespace loyalty {

// Wall-clock time in UTC. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// The system clock. Thread-safe; stateless.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// Source of fresh identifiers (new account ids). Implementations must be
// thread-safe. The default draws 16 random bytes from OpenSSL.
class IdSource {
 public:
  virtual ~IdSource() = default;
  // Returns a new id unique with overwhelming probability, [0-9A-F] only.
  virtual std::string NewId() = 0;
};

enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// The library prints nothing: everything it has to say goes to this
// callback, which may be called from any thread that calls the library.
// Messages never contain raw track data or unmasked card numbers.
using LogFn = std::function<void(LogLevel level, std::string_view message)>;

// Reads a secret (a terminal key, a TLS or signing private key) from the
// file at `path`, refusing a file other users could read or replace it
// through: it must be a regular file (a symbolic link to one is followed)
// whose mode gives the group and others no access at all, as 0600 or 0400
// do. kInvalidArgument names the file and its mode ("mode 0644: must not
// be readable by group or others; chmod 600 it") or says it is not a
// regular file; kIoError names the file when it cannot be opened or read.
// Thread-safe; keeps no copy of the contents.
Result<std::string> ReadSecretFile(const std::string& path);

}  // namespace loyalty
