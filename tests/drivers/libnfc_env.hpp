// libnfc reads its settings from the environment at nfc_init(): never scan
// real ports, never print. Set before any test runs, whoever starts the
// binary (ctest sets the same).
#pragma once

#include <stdlib.h>

namespace loyalty::readers::testing {

inline const bool kLibnfcQuiet = [] {
  ::setenv("LIBNFC_AUTO_SCAN", "false", 0);
  ::setenv("LIBNFC_INTRUSIVE_SCAN", "false", 0);
  ::setenv("LIBNFC_LOG_LEVEL", "0", 0);
  return true;
}();

}  // namespace loyalty::readers::testing
