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
echo "PASS: demo script"
