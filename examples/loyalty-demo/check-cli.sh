#!/bin/sh
# The subcommands against a ledger in the current folder, as an operator
# would type them: key file created private, a retried receipt earning once,
# errors as a Status message and a non-zero exit, every example program
# loading.
#
#   check-cli.sh LOYALTY_DEMO PROGRAMS_DIR
set -eu

demo=$1
programs=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/loyalty-cli-check-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# till PATTERN ARGS...: runs a subcommand that must succeed and print PATTERN.
till() {
  pattern=$1
  shift
  "$demo" --program "$programs/supermarket.json" "$@" >out.txt 2>err.txt ||
    fail "'$*' exited with $?: $(cat err.txt)"
  cat out.txt
  grep -q -- "$pattern" out.txt || fail "'$*' did not print: $pattern"
}

# refused PATTERN ARGS...: runs a subcommand that must fail with PATTERN on stderr.
refused() {
  pattern=$1
  shift
  if "$demo" --program "$programs/supermarket.json" "$@" >out.txt 2>err.txt; then
    fail "'$*' succeeded but should have been refused"
  fi
  cat err.txt
  grep -q -- "$pattern" err.txt || fail "'$*' did not say: $pattern"
}

till "Enrolled \*\{12\}9017" enroll "9900 1234 5678 9017" --name "Anna Weber" --op-id E-1
[ "$(stat -c %a loyalty.db.key)" = 600 ] || fail "key file mode is $(stat -c %a loyalty.db.key)"
[ "$(stat -c %s loyalty.db.key)" = 32 ] || fail "key file holds $(stat -c %s loyalty.db.key) bytes"
till "earned      +16 points" earn 9900123456789017 12.40 3.99 --receipt R-1
till "already recorded: 'R-1'" earn 9900123456789017 12.40 3.99 --receipt R-1
till "pending 16 points" lookup 9900123456789017
refused "duplicate_id_conflict" earn 9900123456789017 12.40 --receipt R-1
refused "more decimals than EUR allows" earn 9900123456789017 1.999 --receipt R-2
refused "check digit is wrong" enroll 9900123456789018
refused "insufficient_points" redeem 9900123456789017 500 --reason "fruit basket"
till "taken back  -4 points" refund R-1 3.99 --op-id F-1
till "earned      +25 points" adjust 9900123456789017 25 --operator lead --reason "goodwill"
till "spent       -5 points" redeem 9900123456789017 5 --reason "coffee" --op-id P-1
till "taken back  -12 points" void R-1 --operator lead --reason "wrong card"
till "balance 20 points" history 9900123456789017 --limit 3
till "Nothing to expire" expire --op-id X-1
till "verify OK: " verify
till "points issued" report
till '"points_issued"' report --json
refused "key file 'other.key' is missing, but the ledger 'loyalty.db' exists" \
  verify --key-file other.key
[ ! -e other.key ] || fail "a new key was made for an existing ledger"
till "Wrote a new 32-byte key to other.key" keygen other.key
refused "terminal_key" verify --key-file other.key
chmod 644 other.key
refused "mode 0644 lets group or others at it" verify --key-file other.key
# The library reads the key file itself: group or others may neither read
# nor write it.
cp -p loyalty.db.key loose.key
for mode in 640 604; do
  chmod "$mode" loose.key
  refused "terminal_key_file: secret file 'loose.key': mode 0$mode" verify --key-file loose.key
done
# Nothing is written before the arguments are valid.
mkdir empty && cd empty
refused "--db: is empty" verify --db ""
refused "--db: is empty" enroll 9900123456789017 --db ""
left=$(ls -A | grep -v -e '^out.txt$' -e '^err.txt$' || true)
[ -z "$left" ] || fail "--db \"\" left: $left"
cd ..
before=$(ls -A | sort)
refused "key file 'wrong.key' is missing" verify --key-file wrong.key
[ "$(ls -A | sort)" = "$before" ] || fail "a wrong --key-file left: $(ls -A)"
# A ledger wiped beside its key file is not a new till.
till "Enrolled" enroll 9900123456789017 --db wiped.db --op-id W-1
: >wiped.db
refused "the ledger is empty (0 bytes), but its key has written entries before" verify --db wiped.db
# read: cards from the simulated reader, as a swipe would bring them.
if "$demo" --help | grep -q "^  read"; then
  cards="sim:cards=9900123456789017,bad track 2: LRC mismatch; swipe again,9900000000000093,4111111111111111"
  till "Anna Weber  card \*\{12\}9017" read --reader "$cards" --count 3 --timeout-ms 2000
  grep -q "bad read: track 2: LRC mismatch; swipe again" out.txt || fail "read: no bad-read line"
  grep -q "unknown_card: card \*\{12\}0093: not enrolled" out.txt || fail "read: unknown card"
  till "card \*\{12\}1111: does not start with a prefix of this program" \
    read --reader "sim:cards=4111111111111111"
  # (The first line repeats the connection string as typed.)
  if sed 1d out.txt | cat - err.txt | grep -q "4111111111111111"; then
    fail "read printed a full card number"
  fi
  refused "no card within 200 ms" read --reader "sim:" --timeout-ms 200
  refused "no reader driver for it" read --reader "bogus:/dev/null"
fi
# The program in force is bound to the ledger.
sed 's/"version": *[0-9]*/"version": 99/' "$programs/supermarket.json" >changed.json
if "$demo" --program changed.json verify >out.txt 2>err.txt; then
  fail "a changed program file opened the ledger"
fi
grep -q "unsigned change on disk" err.txt || fail "changed program: $(cat err.txt)"
"$demo" --program changed.json --allow-program-change verify >out.txt 2>err.txt ||
  fail "--allow-program-change: $(cat err.txt)"
grep -q "unsigned change on disk" err.txt || fail "the opt-out was not logged: $(cat err.txt)"
"$demo" --program changed.json verify >/dev/null 2>&1 || fail "the recorded program was refused"
# Read-only media: lookup and verify, nothing created or changed beside it.
mkdir media
cp loyalty.db media/loyalty.db
cp -p loyalty.db.key media/loyalty.db.key
chmod 444 media/loyalty.db
chmod 555 media
before=$(ls -la --time-style=full-iso media; sha256sum media/*)
"$demo" --program changed.json --db media/loyalty.db --read-only verify >out.txt 2>err.txt ||
  fail "read-only verify: $(cat err.txt)"
grep -q "verify OK" out.txt || fail "read-only verify: $(cat out.txt)"
"$demo" --program changed.json --db media/loyalty.db --read-only lookup 9900123456789017 \
  >out.txt 2>err.txt || fail "read-only lookup: $(cat err.txt)"
if "$demo" --program changed.json --db media/loyalty.db --read-only adjust 9900123456789017 1 \
  --operator lead --reason x >out.txt 2>err.txt; then
  fail "read-only adjust wrote"
fi
grep -q "read_only" err.txt || fail "read-only adjust: $(cat err.txt)"
[ "$(ls -la --time-style=full-iso media; sha256sum media/*)" = "$before" ] ||
  fail "read-only media changed: $(ls -la media)"
chmod 755 media
for program in coffee fashion supermarket; do
  "$demo" --db "$program.db" --program "$programs/$program.json" verify >out.txt 2>err.txt ||
    fail "$program.json does not load: $(cat err.txt)"
done
echo "PASS: command line"
