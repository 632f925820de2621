#!/bin/sh
# `loyalty-demo demo` from an empty folder: it must succeed, tell the key
# moments of the story, and leave nothing behind (its ledger is temporary).
#
#   check-demo.sh LOYALTY_DEMO
set -eu

demo=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/loyalty-demo-check-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/run"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

status=0
(cd "$work/run" && "$demo" demo) >"$work/out.txt" 2>"$work/err.txt" || status=$?
cat "$work/out.txt"
[ "$status" -eq 0 ] || fail "loyalty-demo demo exited with $status: $(cat "$work/err.txt")"
[ ! -s "$work/err.txt" ] || fail "loyalty-demo demo wrote to stderr: $(cat "$work/err.txt")"

expect() {
  grep -q -- "$1" "$work/out.txt" || fail "the demo did not print: $1"
}
expect "already recorded: 'R-0303-002' was booked before; nothing written again"
expect "still 46 points for Clara, not 92 points"
expect "taken back  -13 points"
expect "owes 80 points"
expect "refused (invalid_argument): card \*\{12\}0039: check digit is wrong"
expect "a lookup with the same typo is caught too"
expect "verify OK"
if "$demo" --help | grep -q "^  read"; then
  expect "(read on the simulated card reader)"
fi
[ -z "$(ls -A "$work/run")" ] ||
  fail "the demo left files in the folder it ran from: $(ls -A "$work/run")"

# --keep: the ledger stays with its key, and the printed commands work as
# printed (from another folder, with the real clock).
(cd "$work/run" && TMPDIR="$work" "$demo" demo --keep) >"$work/kept.txt" 2>"$work/err.txt" ||
  fail "loyalty-demo demo --keep failed: $(cat "$work/err.txt")"
grep -q "^Try it by hand" "$work/kept.txt" || fail "demo --keep printed no command to try"
grep "^  .* lookup 9900123456789017$" "$work/kept.txt" >"$work/try.sh" ||
  fail "demo --keep printed no lookup to try"
(cd / && sh "$work/try.sh") >"$work/try.txt" 2>&1 ||
  fail "the printed lookup failed: $(cat "$work/try.txt")"
grep -q "Anna Weber" "$work/try.txt" || fail "the printed lookup did not show Anna: $(cat "$work/try.txt")"
echo "PASS: demo script"
