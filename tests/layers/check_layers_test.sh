#!/usr/bin/env bash
# The layering check itself: on a small tree of its own, it passes includes
# that run downward and fails on each one that runs upward, naming the file
# and the line. (The check of the real tree is the ctest test check_layers.)
set -euo pipefail
check=${1:?usage: check_layers_test.sh path/to/check-layers.sh}
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

put() {  # put <path> <line>...
  mkdir -p "$tree/$(dirname "$1")"
  local file=$1
  shift
  printf '%s\n' "$@" > "$tree/$file"
}
fail() { echo "FAIL: $*" >&2; exit 1; }

put src/common/money.cpp '#include "loyalty/money.hpp"'
put src/engine/earn.cpp '#include "common/checked.hpp"' '#include <vector>' '#include "earn.hpp"'
put src/terminal/sale.cpp '#include "ledger/ledger.hpp"' '#include "trust/codec.hpp"'
put src/sync/pull.cpp '#include "terminal/chain.hpp"' '#include "sync/wire.hpp"'
put drivers/nfc/ndef.cpp '#include "common/scrub.hpp"'
"$check" "$tree" > "$tree/out" 2>&1 || { cat "$tree/out"; fail "a tree whose includes run downward was refused"; }

# Upward and sideways, each named by file and line.
put src/engine/earn.cpp '#include "common/checked.hpp"' '' '#include "terminal/terminal_impl.hpp"'
put src/sync/pull.cpp '#include "terminal/chain.hpp"' '#include "terminal/program_file.hpp"'
put src/terminal/terminal.cpp '  #  include "sync/sync_schema.hpp"'
if "$check" "$tree" > "$tree/out" 2>&1; then
  cat "$tree/out"
  fail "upward includes passed"
fi
for expected in 'src/engine/earn.cpp:3: engine may not include "terminal/terminal_impl.hpp"' \
                'src/sync/pull.cpp:2: sync may not include "terminal/program_file.hpp"' \
                'src/terminal/terminal.cpp:1: terminal may not include "sync/sync_schema.hpp"' \
                'check-layers: 3 include(s) against the layering'; do
  grep -qF "$expected" "$tree/out" || { cat "$tree/out"; fail "no line '$expected'"; }
done

# A folder the check does not know is refused rather than passed over.
rm -f "$tree/src/engine/earn.cpp" "$tree/src/sync/pull.cpp" "$tree/src/terminal/terminal.cpp"
put src/reports/daily.cpp '#include "common/checked.hpp"'
if "$check" "$tree" > "$tree/out" 2>&1; then fail "an unknown folder passed"; fi
grep -qF "src/reports/daily.cpp: folder 'reports' is not in scripts/check-layers.sh" "$tree/out" ||
  { cat "$tree/out"; fail "the unknown folder was not named"; }
echo "check_layers_test: ok"
