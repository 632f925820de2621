#!/usr/bin/env python3
"""loyalty-demo as a whole till, driven end to end as a script would drive it.

Every command is run with and without --json; every JSON object printed is
checked against the C ABI's result keys parsed from include/loyalty/loyalty.h
(same members, same types); exit codes are checked per status class; bad
input must name what was wrong and leave no file behind.

    check_till.py LOYALTY_DEMO LOYALTY_H
"""
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DEMO, HEADER = os.path.abspath(sys.argv[1]), sys.argv[2]

# The till's own program: every feature the commands reach.
PROGRAM = {
    "format": 1, "id": "cli-shop", "version": 1, "name": "CLI Shop",
    "currency": "EUR", "time_zone": "UTC",
    "earn": {"points": 1, "per": "1.00", "rounding": "down"},
    "exclusions": {"categories": ["tobacco"]},
    "rules": [{"id": "dairy-double", "points": 1, "per": "1.00", "categories": ["dairy"],
               "explain": "2x points on dairy"}],
    "bonuses": {"events": {"review": 50}},
    "tiers": {"measure": "spend", "window_days": 365, "levels": [
        {"id": "bronze", "threshold": "0.00"}, {"id": "silver", "threshold": "100.00"}]},
    "rewards": [
        {"id": "five-off", "name": "5 EUR off", "kind": "order_amount", "cost": 50,
         "amount": "5.00"},
        {"id": "free-coffee", "name": "a coffee on us", "kind": "free_product",
         "stamp_card": "coffee", "categories": ["coffee"]}],
    "coupons": [{"id": "welcome", "kind": "order_percent", "percent": 10,
                 "code": "WELCOME", "per_customer": 1}],
    "stamp_cards": [{"id": "coffee", "categories": ["coffee"], "count": "items",
                     "needed": 3, "reward": "free-coffee"}],
    "tender": {"point_value": "0.01"},
    "points": {"pending_days": 0, "expiry_days": 0},
    "cards": {"min_length": 16, "max_length": 16, "prefixes": ["99"],
              "check_digit": "luhn", "allow_payment_cards": True},
}

ANNA = "9900123456789017"
BEN = "9900000000000002"
GIFT = "9900000000000010"
GIFT2 = "9900000000000028"

# Exit codes (exit_codes.hpp, docs/integration.md).
OK, INTERNAL, USAGE, INVALID, REFUSED, LEDGER, SETUP, READER, SYNC = range(9)

failures = []


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


# ---------------------------------------------------------------- C ABI keys
# The key prefix of each result kind in loyalty.h.
PREFIX = {"CARD": "CARD", "REWARD": "REWARD", "QUOTE": "QUOTE", "RECEIPT": "RECEIPT",
          "HISTORY": "HISTORY", "ENTRY": "ENTRY", "VERIFY": "VERIFY", "PROGRAM": "PROGRAM",
          "EXPIRY": "EXPIRY", "EXPLANATION": "EXPLANATION", "REPORT": "REPORT",
          "FIGURES": "FIGURES", "CARD_READ": "READ", "STAMPS": "STAMPS", "BALANCE": "BALANCE",
          "SYNC_STATUS": "SYNC", "SYNC_EXCEPTIONS": "SYNC", "SYNC_EXCEPTION": "SYNC_EXCEPTION",
          "REFUSED_REWARD": "REFUSED_REWARD", "EXCHANGE": "EXCHANGE"}


def abi_keys():
    """{kind: {member: (type, item_kind)}} from the header's key enum."""
    text = open(HEADER, encoding="utf-8").read()
    enum = text[text.index("typedef enum loyalty_key"):text.index("} loyalty_key;")]
    kinds, kind = {}, None
    for line in enum.splitlines():
        section = re.match(r"\s*/\* LOYALTY_KIND_(\w+)", line)
        if section:
            kind = section.group(1)
            kinds[kind] = {}
            continue
        key = re.match(r"\s*LOYALTY_(\w+) = \d+,?\s*(?:/\*\s*(\S+)(.*?)(?:\*/)?)?$", line)
        if not key or kind is None:
            continue
        name = key.group(1)
        prefix = PREFIX[kind] + "_"
        check(name.startswith(prefix), f"loyalty.h: {name} is not a {kind} key")
        ktype = key.group(2) or ""
        item = re.search(r"LOYALTY_KIND_(\w+)", key.group(3) or "")
        kinds[kind][name[len(prefix):].lower()] = (ktype, item.group(1) if item else None)
    check(len(kinds) == len(PREFIX), f"loyalty.h kinds {sorted(kinds)} != {sorted(PREFIX)}")
    return kinds


KINDS = abi_keys()
OWN_KINDS = {"gift_card": {"masked", "balance_minor"},
             "key_file": {"path", "bytes"},
             "cardless_sale": {"op_id", "amount_minor"},
             "error": {"status", "code", "message", "exit_code"}}


def check_object(obj, where, expect_kind=None):
    """The object has exactly its kind's C ABI members, with their types."""
    check(isinstance(obj, dict), f"{where}: not an object: {obj!r}")
    kind = obj.get("result_kind")
    if expect_kind:
        check(kind == expect_kind.lower(), f"{where}: result_kind {kind!r}, want {expect_kind}")
    members = set(obj) - {"result_kind"}
    if kind in OWN_KINDS:
        check(members == OWN_KINDS[kind], f"{where}: {kind} members {sorted(members)}")
        return
    abi = KINDS.get(kind.upper() if isinstance(kind, str) else "")
    check(abi is not None, f"{where}: unknown result_kind {kind!r}")
    check(members == set(abi), f"{where}: {kind} members differ from loyalty.h: "
          f"extra {sorted(members - set(abi))}, missing {sorted(set(abi) - members)}")
    for name, (ktype, item_kind) in abi.items():
        value, at = obj[name], f"{where}.{name}"
        if ktype == "i":
            check(isinstance(value, int) and not isinstance(value, bool), f"{at}: not (i)")
        elif ktype == "s":
            check(isinstance(value, str), f"{at}: not (s)")
        elif ktype == "i[]":
            check(isinstance(value, list) and all(isinstance(v, int) for v in value),
                  f"{at}: not (i[])")
        elif ktype == "s[]":
            check(isinstance(value, list) and all(isinstance(v, str) for v in value),
                  f"{at}: not (s[])")
        elif ktype == "r[]":
            check(isinstance(value, list), f"{at}: not (r[])")
            for i, item in enumerate(value):
                check_object(item, f"{at}[{i}]", item_kind)


# ---------------------------------------------------------------- running
work = tempfile.mkdtemp(prefix="loyalty-till-check-")
atexit.register(shutil.rmtree, work, True)
program_path = os.path.join(work, "program.json")
with open(program_path, "w", encoding="utf-8") as f:
    json.dump(PROGRAM, f)
till_dir = os.path.join(work, "till")
os.mkdir(till_dir)


def run(args, cwd=till_dir, program=program_path):
    full = [DEMO, "--program", program] + list(args)
    done = subprocess.run(full, cwd=cwd, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def text(*args, expect=None):
    """A command that must succeed: its text output, checked for `expect`."""
    code, out, err = run(args)
    check(code == OK, f"{args}: exit {code}: {out}{err}")
    print(out, end="")
    if expect:
        check(re.search(expect, out), f"{args}: did not print /{expect}/:\n{out}")
    return out


def objects(*args, cwd=till_dir):
    """A command that must succeed with --json: its objects, each checked."""
    code, out, err = run(list(args) + ["--json"], cwd=cwd)
    check(code == OK, f"{args} --json: exit {code}: {out}{err}")
    lines = out.splitlines()
    check(lines, f"{args} --json printed nothing")
    parsed = []
    for i, line in enumerate(lines):
        try:
            obj = json.loads(line)
        except ValueError:
            fail(f"{args} --json: line {i} is not JSON: {line}")
        check_object(obj, f"{args[0]}[{i}]")
        parsed.append(obj)
    return parsed


def one(*args, kind):
    result = objects(*args)
    check(len(result) == 1, f"{args}: {len(result)} objects, want one")
    check_object(result[0], args[0], kind)
    return result[0]


def refused(exit_code, status, pattern, *args, cwd=till_dir, program=program_path,
            speaks_first=False):
    """A command that must fail: exit code, a message naming what was wrong,
    as text on stderr and as a JSON error object on stdout (the last line;
    only `speaks_first` commands, read and sync, print anything before)."""
    code, out, err = run(args, cwd=cwd, program=program)
    check(code == exit_code, f"{args}: exit {code}, want {exit_code}: {out}{err}")
    check(re.search(pattern, err), f"{args}: stderr does not say /{pattern}/: {err}")
    check(speaks_first or out == "", f"{args}: printed {out!r} on stdout while failing")
    print(f"refused ({code}): {err.strip()}")
    code, out, err = run(list(args) + ["--json"], cwd=cwd, program=program)
    check(code == exit_code, f"{args} --json: exit {code}, want {exit_code}")
    last = json.loads(out.splitlines()[-1])
    check_object(last, f"{args} error", "error")
    check(last["status"] == status, f"{args}: status {last['status']!r}, want {status!r}")
    check(last["exit_code"] == exit_code, f"{args}: exit_code member {last['exit_code']}")
    check(re.search(pattern, last["message"]), f"{args}: message {last['message']!r}")
    return last


def files(folder):
    return sorted(os.listdir(folder))


# ---------------------------------------------------------------- bad input
# In an empty folder: each mistake is named, and nothing is created.
empty = os.path.join(work, "empty")
os.mkdir(empty)
bad_input = [
    (INVALID, "invalid_argument", r"sale line 0 '1\.999': price: .*more decimals",
     ["earn", ANNA, "1.999", "--receipt", "R-1"]),
    (INVALID, "invalid_argument", r"sale line 1 'MILK:dairyx0=1\.00': quantity",
     ["earn", ANNA, "BREAD=1.00", "MILK:dairyx0=1.00", "--receipt", "R-1"]),
    (INVALID, "invalid_argument", r"no SKU before '='", ["quote", ANNA, "=1.00"]),
    (INVALID, "invalid_argument", r"empty category", ["quote", ANNA, "MILK:=1.00"]),
    (INVALID, "amount_negative", r"price: -1\.00 is below zero", ["quote", ANNA, "MILK=-1.00"]),
    (INVALID, "invalid_argument", r"no sale lines", ["earn", ANNA, "--receipt", "R-1"]),
    (INVALID, "invalid_argument", r"one or the other",
     ["earn", ANNA, "A=1.00", "--basket", program_path, "--receipt", "R-1"]),
    (SETUP, "io_error", r"--basket '.*absent\.json': cannot read",
     ["quote", ANNA, "--basket", os.path.join(work, "absent.json")]),
    (INVALID, "invalid_argument", r"unknown member \"(bonuses|cards|coupons)\"",
     ["quote", ANNA, "--basket", program_path]),
    (INVALID, "invalid_argument", r"--gift-card 'nocard': write it as CARD=AMOUNT",
     ["earn", ANNA, "A=1.00", "--gift-card", "nocard", "--receipt", "R-1"]),
    (INVALID, "amount_negative", r"--wallet: 0 is not above zero",
     ["earn", ANNA, "A=1.00", "--wallet", "0", "--receipt", "R-1"]),
    (INVALID, "invalid_argument", r"card number: ", ["lookup", "99-"]),
    (INVALID, "invalid_argument", r"check digit is wrong", ["enroll", "9900123456789018"]),
    (INVALID, "invalid_argument", r"--lines 'one': the line number 'one'",
     ["refund", "R-1", "--lines", "one"]),
    (INVALID, "invalid_argument", r"points: 0: a redemption spends",
     ["redeem", ANNA, "0", "--reason", "x"]),
    (INVALID, "invalid_argument", r"gift card: ", ["gift", "load", "-", "10.00"]),
    (INVALID, "amount_negative", r"amount: 0\.00 is not above zero",
     ["gift", "load", GIFT, "0.00"]),
    (INVALID, "amount_negative", r"--amount: 0\.00 is not above zero",
     ["gift", "void", "G-1", "--amount", "0.00", "--operator", "lead"]),
    (USAGE, "invalid_argument", r"--operator is required",
     ["wallet", "void", "W-1"]),
    (REFUSED, "unknown_card", r"not enrolled", ["lookup", ANNA]),
    (USAGE, "invalid_argument", r"--receipt is required", ["earn", ANNA, "A=1.00"]),
    (USAGE, "invalid_argument", r"amount excludes --lines|--lines excludes amount",
     ["refund", "R-1", "1.00", "--lines", "0"]),
    (USAGE, "invalid_argument", r"--return is required",
     ["exchange", "R-1", ANNA, "A=1.00", "--receipt", "X-1"]),
    (INVALID, "invalid_argument", r"--return 'two': the line number 'two'",
     ["exchange", "R-1", ANNA, "A=1.00", "--return", "two", "--receipt", "X-1"]),
    (USAGE, "invalid_argument", r"The following arguments were not expected: --bogus|--bogus",
     ["lookup", ANNA, "--bogus"]),
    (USAGE, "invalid_argument", r"A subcommand is required|subcommand", ["gift"]),
]
for exit_code, status, pattern, args in bad_input:
    refused(exit_code, status, pattern, *args, cwd=empty)
    check(files(empty) == [], f"{args} left files behind: {files(empty)}")
# The scripted morning is prose; asked for JSON it says so.
code, out, _ = run(["demo", "--json"], cwd=empty)
check(code == INVALID and json.loads(out)["message"].startswith("demo: the scripted morning is "
                                                               "prose only"), f"demo --json: {out}")
with open(os.path.join(work, "not-json.json"), "w", encoding="utf-8") as f:
    f.write("{")
refused(SETUP, "program_invalid", r"not a program document",
        "quote", ANNA, "A=1.00", cwd=empty, program=os.path.join(work, "not-json.json"))
check(files(empty) == [], f"a bad --program left files behind: {files(empty)}")

# ---------------------------------------------------------------- a day at the till
print("\n== enrol, look up, balance")
anna = one("enroll", ANNA, "--name", "Anna Weber", "--op-id", "E-1", kind="receipt")
check(anna["card"][0]["name"] == "Anna Weber", f"enrol: {anna}")
check(os.stat(os.path.join(till_dir, "loyalty.db.key")).st_mode & 0o777 == 0o600,
      "the key file is not private")
text("enroll", BEN, "--name", "Ben", "--referrer", ANNA, "--op-id", "E-2", expect=r"Enrolled")
card = one("lookup", ANNA, kind="card")
check(card["available"] == 0 and card["masked"].endswith("9017"), f"lookup: {card}")
check({r["id"] for r in card["rewards"]} == {"five-off", "free-coffee"}, f"rewards: {card}")
text("lookup", ANNA, expect=r"reward five-off \(5 EUR off, 50 points\): not now")
balance = one("balance", ANNA, kind="balance")
check(balance["available"] == 0, f"balance: {balance}")
text("balance", ANNA, expect=r"available 0 points")
program = one("program", kind="program")
check(program["id"] == "cli-shop" and program["currency"] == "EUR", f"program: {program}")

print("\n== quote: what a cashier reads before the customer pays; nothing written")
before = one("verify", kind="verify")["entries_checked"]
sale = ["MILK:dairyx2=3.00", "COFFEE:coffeex2=6.00", "CIGS:tobacco=8.00", "BREAD=2.50"]
quote = one("quote", ANNA, *sale, kind="quote")
# 3.00 dairy earns 3 + 3 (double), coffee 6, tobacco nothing, bread 2.
check(quote["line_points"] == [6, 6, 0, 2], f"quote line points: {quote['line_points']}")
check(quote["points_to_earn"] == 14 and quote["basket_minor"] == 1950, f"quote: {quote}")
check(quote["line_stamps"] == [0, 2, 0, 0], f"stamps per line: {quote['line_stamps']}")
check(quote["tier"] == "bronze" and quote["next_tier"] == "silver", f"tier: {quote}")
out = text("quote", ANNA, *sale, expect=r"would earn \+14 points")
for expected in [r"line 0\s+MILK \(dairy\) x2\s+3\.00 EUR\s+\+6 points",
                 r"line 2\s+CIGS \(tobacco\)\s+8\.00 EUR\s+\+0 points",
                 r"2x points on dairy", r"stamp card coffee: \+2, then 2 of 3",
                 r"tier bronze; silver after 100\.00 EUR more spend",
                 r"nothing is written"]:
    check(re.search(expected, out), f"quote text lacks /{expected}/:\n{out}")
check(one("verify", kind="verify")["entries_checked"] == before, "quote wrote entries")

print("\n== a sale with lines, then the same receipt again")
receipt = one("earn", ANNA, *sale, "--receipt", "R-1", kind="receipt")
check(receipt["earned"] == 14 and receipt["line_points"] == [6, 6, 0, 2], f"sale: {receipt}")
check(receipt["replayed"] == 0, "first sale replayed")
again = one("earn", ANNA, *sale, "--receipt", "R-1", kind="receipt")
check(again["replayed"] == 1 and again["earned"] == 14, f"retry: {again}")
text("earn", ANNA, *sale, "--receipt", "R-1", expect=r"already recorded: 'R-1'")
refused(REFUSED, "duplicate_id_conflict", r"R-1", "earn", ANNA, "BREAD=2.50", "--receipt", "R-1")
text("sale", ANNA, "BREAD=40.00", "--receipt", "R-2", expect=r"line 0\s+BREAD\s+40\.00 EUR\s+\+40")

print("\n== a basket file")
basket = os.path.join(work, "basket.json")
with open(basket, "w", encoding="utf-8") as f:
    json.dump({"currency": "EUR", "lines": [
        {"sku": "YOGURT", "category": "dairy", "quantity": 3, "amount": "2.10"},
        {"sku": "COFFEE", "category": "coffee", "amount_minor": 300},
        {"sku": "BAG", "amount": "0.50", "voided": True}]}, f)
from_file = one("earn", ANNA, "--basket", basket, "--receipt", "R-3", kind="receipt")
check(from_file["line_points"] == [4, 3, 0], f"basket file: {from_file['line_points']}")
check(from_file["stamps"] and from_file["stamps"][0]["balance"] == 3,
      f"stamps after 3 coffees: {from_file['stamps']}")

print("\n== rewards, coupons and points as a tender")
card = one("lookup", ANNA, kind="card")
available = card["available"]
check(available == 14 + 40 + 7, f"available {available}")
coffee = one("quote", ANNA, "COFFEE:coffee=3.00", "--reward", "free-coffee", kind="quote")
check(coffee["discount_minor"] == 300, f"free coffee quote: {coffee}")
chosen = ["COFFEE:coffee=3.00", "MILK:dairy=10.00", "--reward", "five-off", "--reward",
          "free-coffee", "--coupon", "WELCOME"]
quoted = one("quote", ANNA, *chosen, kind="quote")
check(quoted["points_to_spend"] == 50 and quoted["discount_minor"] > 500, f"quote: {quoted}")
text("quote", ANNA, *chosen, expect=r"rewards take off \d+\.\d\d EUR")
# A reward the card cannot take: the quote lists it with its reason and
# prices the rest; the sale of the same basket is refused, naming it.
asked = ["A=10.00", "--reward", "no-such-reward", "--reward", "five-off"]
listed = one("quote", ANNA, *asked, kind="quote")
check(listed["refused_rewards"] == [{"result_kind": "refused_reward", "id": "no-such-reward",
                                     "status": 29, "reason": "not in the program's catalog"}],
      f"refused rewards: {listed['refused_rewards']}")
check(listed["discount_minor"] == 500 and listed["points_to_spend"] == 50, f"quote: {listed}")
text("quote", ANNA, *asked,
     expect=r"asked for no-such-reward: left out, not in the program's catalog \(reward_refused")
refused(REFUSED, "reward_refused", r"'no-such-reward' is not in the program's catalog",
        "earn", ANNA, *asked, "--receipt", "R-5")
taken = one("earn", ANNA, *chosen, "--tender-points", "10", "--receipt", "R-4", kind="receipt")
check(taken["redeemed"] == 50 + 10, f"reward and tender points: {taken}")
# What the quote showed, and 10 points at 0.01 EUR paid as a tender.
check(taken["discount_minor"] == quoted["discount_minor"] + 10, f"discount: {taken}")
check(taken["stamps"][0]["spent"] == 3, f"the free coffee took no stamps: {taken['stamps']}")
refused(REFUSED, "insufficient_points", r".",
        "earn", ANNA, "A=100.00", "--tender-points", "100000", "--receipt", "R-5")

print("\n== gift cards and the wallet")
load = one("gift", "load", GIFT, "25.00", "--op-id", "G-1", kind="receipt")
check(load["stored_value_minor"] == 2500, f"gift load: {load}")
text("gift", "balance", GIFT, expect=r"holds 25\.00 EUR")
check(one("gift", "balance", GIFT, kind="gift_card")["balance_minor"] == 2500, "gift balance")
top_up = one("wallet", "top-up", ANNA, "10.00", "--op-id", "W-1", kind="receipt")
check(top_up["card"][0]["wallet_minor"] == 1000, f"wallet: {top_up}")
paid = one("earn", ANNA, "SHIRT=20.00", "--gift-card", f"{GIFT}=15.00", "--wallet", "5.00",
           "--receipt", "R-6", kind="receipt")
check(paid["stored_value_minor"] == -2000 and paid["earned"] == 20, f"tenders: {paid}")
check(one("gift", "balance", GIFT, kind="gift_card")["balance_minor"] == 1000, "gift spent")
refused(REFUSED, "insufficient_funds", r".", "earn", ANNA, "SHIRT=20.00", "--gift-card",
        f"{GIFT}=15.00", "--receipt", "R-7")
text("--help", expect=r"gift")
text("gift", "--help", expect=r"void")

print("\n== taking back a load: never the part already spent")
refused(REFUSED, "insufficient_funds",
        r"15\.00 EUR of load 'G-1' \(25\.00 EUR\) is spent; 10\.00 EUR is left to take back",
        "gift", "void", "G-1", "--operator", "lead", "--reason", "keyed wrong")
part = one("gift", "void", "G-1", "--amount", "4.00", "--operator", "lead", "--op-id", "GV-1",
           kind="receipt")
check(part["stored_value_minor"] == -400 and part["replayed"] == 0, f"gift void: {part}")
again = one("gift", "void", "G-1", "--amount", "4.00", "--operator", "lead", "--op-id", "GV-1",
            kind="receipt")
check(again["replayed"] == 1 and again["entry_seqs"] == part["entry_seqs"],
      f"the same void twice: {again}")
text("gift", "void", "G-1", "--amount", "6.00", "--operator", "lead", "--op-id", "GV-2",
     expect=r"Took back 6\.00 EUR of load G-1 from gift card \*+0010")
check(one("gift", "balance", GIFT, kind="gift_card")["balance_minor"] == 0, "gift voided")
one("gift", "load", GIFT2, "10.00", "--op-id", "G-2", kind="receipt")
whole = one("gift", "void", "G-2", "--operator", "lead", "--op-id", "GV-3", kind="receipt")
check(whole["stored_value_minor"] == -1000, f"whole gift void: {whole}")
refused(REFUSED, "already_reversed", r"load 'G-2' of 10\.00 EUR .* already taken back",
        "gift", "void", "G-2", "--operator", "lead")
refused(REFUSED, "not_found", r"no operation 'G-9'", "gift", "void", "G-9", "--operator", "lead")
refused(INVALID, "invalid_argument", r"'R-6' is a sale, not a gift-card load",
        "gift", "void", "R-6", "--operator", "lead")
refused(INVALID, "invalid_argument", r"'G-1' is a gift_load: its money is taken back with "
        r"VoidLoad", "void", "G-1", "--operator", "lead", "--reason", "keyed wrong")
refused(REFUSED, "insufficient_funds", r"5\.00 EUR is left to take back",
        "wallet", "void", "W-1", "--operator", "lead")
wallet_back = one("wallet", "void", "W-1", "--amount", "5.00", "--operator", "lead",
                  "--op-id", "WV-1", kind="receipt")
check(wallet_back["card"][0]["wallet_minor"] == 0, f"wallet void: {wallet_back}")
text("wallet", "top-up", ANNA, "3.00", "--op-id", "W-2")
text("wallet", "void", "W-2", "--operator", "lead", "--op-id", "WV-2",
     expect=r"Took back 3\.00 EUR of load W-2 from the wallet of card .*\n  wallet now 0\.00 EUR")
figures = one("report", kind="report")["total"][0]
check(figures["load_voids"] == 5 and figures["gift_card_voided_minor"] == 2000 and
      figures["wallet_voided_minor"] == 800, f"report, loads voided: {figures}")
text("report", expect=r"loads voided +5")

print("\n== returns: an amount, and lines counted from 0")
line_back = one("refund", "R-1", "--lines", "0", "--lines", "1x2", "--op-id", "F-1",
                kind="receipt")
# Line 0 is 2 MILK (6 points): one unit back takes 3; line 1, both coffees: 6.
check(line_back["earned"] == -9, f"refund lines: {line_back}")
text("refund", "R-2", "10.00", "--op-id", "F-2", expect=r"taken back  -10 points")
refused(INVALID, "invalid_argument", r"has no line 9", "refund", "R-1", "--lines", "9")
refused(REFUSED, "not_found", r"NO-SUCH-SALE", "refund", "NO-SUCH-SALE")

print("\n== an exchange: goods back and others bought, in one operation")
# R-3's line 0, three yogurts (4 points), back; tea at 4.00 bought instead.
swap = one("exchange", "R-3", ANNA, "TEA=4.00", "--return", "0x3", "--receipt", "XC-1",
           kind="exchange")
check(swap["op_id"] == "XC-1" and swap["replayed"] == 0, f"exchange: {swap}")
check(swap["returned"][0]["earned"] == -4 and swap["bought"][0]["earned"] == 4,
      f"exchange halves: {swap}")
again = one("exchange", "R-3", ANNA, "TEA=4.00", "--return", "0x3", "--receipt", "XC-1",
            kind="exchange")
check(again["replayed"] == 1, f"exchange retried: {again}")
text("exchange", "R-3", ANNA, "TEA=4.00", "--return", "0x3", "--receipt", "XC-1",
     expect=r"Exchange XC-1 on R-3: back 3 of line 0")
refused(REFUSED, "duplicate_id_conflict", r"XC-1",
        "exchange", "R-3", ANNA, "TEA=5.00", "--return", "0x3", "--receipt", "XC-1")
refused(INVALID, "invalid_argument", r"has no line 9",
        "exchange", "R-3", ANNA, "TEA=4.00", "--return", "9", "--receipt", "XC-2")
back = one("refund", "XC-1", "--op-id", "F-3", kind="receipt")
check(back["earned"] == -4, f"the tea back by the exchange's id: {back}")

print("\n== hold, confirm, release")
text("adjust", ANNA, "100", "--operator", "lead", "--reason", "welcome gift", "--op-id", "A-0",
     expect=r"earned      \+100 points")
held = one("hold", ANNA, "BREAD=60.00", "--reward", "five-off", "--receipt", "H-1",
           kind="receipt")
check(held["held"] == 50, f"hold: {held}")
check(one("lookup", ANNA, kind="card")["held"] == 50, "lookup does not show the hold")
confirmed = one("confirm", "H-1", "--op-id", "C-1", kind="receipt")
check(confirmed["earned"] > 0, f"confirm: {confirmed}")
text("hold", ANNA, "BREAD=20.00", "--reward", "five-off", "--receipt", "H-2",
     expect=r"held        50 points")
released = one("release", "H-2", "--op-id", "C-2", kind="receipt")
check(one("lookup", ANNA, kind="card")["held"] == 0, f"release left a hold: {released}")
refused(REFUSED, "already_reversed", r".", "release", "H-2", "--op-id", "C-3")
refused(REFUSED, "not_found", r".", "confirm", "NO-SUCH-HOLD")

print("\n== redeem, adjust, event, block, void")
text("redeem", ANNA, "5", "--reason", "a pen", "--op-id", "P-1", expect=r"spent       -5 points")
one("adjust", ANNA, "25", "--operator", "lead", "--reason", "goodwill", "--op-id", "A-1",
    kind="receipt")
bonus = one("event", ANNA, "review", "--op-id", "V-1", kind="receipt")
check(bonus["earned"] == 50, f"event: {bonus}")
refused(INVALID, "invalid_argument", r"survey", "event", ANNA, "survey")
one("block", BEN, "--operator", "lead", "--reason", "lost", "--op-id", "B-1", kind="receipt")
refused(REFUSED, "card_blocked", r".", "earn", BEN, "A=1.00", "--receipt", "R-8")
text("lookup", BEN, expect=r"CARD BLOCKED")
text("unblock", BEN, "--operator", "lead", "--op-id", "B-2", expect=r"Unblocked")
voided = one("void", "R-6", "--operator", "lead", "--reason", "wrong card", "--op-id", "X-1",
             kind="receipt")
check(voided["earned"] == -20, f"void: {voided}")
refused(REFUSED, "already_reversed", r".", "void", "R-6", "--operator", "lead", "--reason", "x")

print("\n== cardless sale, history, expiry, report, verify")
one("cardless", "8.20", "--receipt", "N-1", kind="cardless_sale")
history = one("history", ANNA, "--limit", "5", kind="history")
check(len(history["entries"]) == 5, f"history: {len(history['entries'])} entries")
text("history", ANNA, "--limit", "3", expect=r"#\d+")
check(one("expire", "--op-id", "EX-1", kind="expiry")["receipts"] == [], "expired something")
text("expire", "--op-id", "EX-2", expect=r"Nothing to expire")
report = one("report", kind="report")
check(report["total"][0]["member_sales"] >= 5 and report["total"][0]["anonymous_sales"] == 1,
      f"report: {report['total']}")
text("report", expect=r"points issued")
verify = one("verify", kind="verify")
check(verify["ok"] == 1 and verify["entries_checked"] > 10, f"verify: {verify}")

print("\n== bad input on a till with a ledger: named, and nothing written")
entries = verify["entries_checked"]
for args in (["earn", ANNA, "1.999", "--receipt", "R-9"],
             ["earn", ANNA, "A=1.00", "--reward", "no-such-reward", "--receipt", "R-9"],
             ["refund", "R-3", "--lines", "7"], ["redeem", ANNA, "99999", "--reason", "x"]):
    code, _, err = run(args)
    check(code != OK and err.startswith("error: "), f"{args}: exit {code}, {err}")
check(one("verify", kind="verify")["entries_checked"] == entries, "a refused command wrote")

print("\n== keys: a missing key file, a readable one, keygen never overwrites")
os.rename(os.path.join(till_dir, "loyalty.db.key"), os.path.join(work, "saved.key"))
refused(SETUP, "io_error", r"key file 'loyalty\.db\.key' is missing, but the ledger", "verify")
check("loyalty.db.key" not in files(till_dir), "a new key was made for an existing ledger")
os.rename(os.path.join(work, "saved.key"), os.path.join(till_dir, "loyalty.db.key"))
chain_key = os.path.join(work, "chain.key")
made = one("keygen", chain_key, kind="key_file")
check(os.path.getsize(chain_key) == 32 and os.stat(chain_key).st_mode & 0o777 == 0o600, made)
refused(INVALID, "invalid_argument", r"already exists", "keygen", chain_key)
other = os.path.join(work, "other.key")
one("keygen", other, kind="key_file")
refused(INVALID, "invalid_argument", r"terminal_key", "verify", "--key-file", other)
os.chmod(other, 0o644)
refused(INVALID, "invalid_argument", r"mode 0644 lets group or others at it", "verify", "--key-file", other)
short = os.path.join(work, "short.key")
with open(short, "wb") as f:
    f.write(b"0123456789")
os.chmod(short, 0o600)
refused(INVALID, "invalid_argument", r"--card-key-file '.*short\.key': holds 10 bytes",
        "lookup", ANNA, "--card-key-file", short)

print("\n== one card key, two tills, each with its own terminal key")
# That the second till then recognises a card enrolled at the first, once
# both synced, is shown with the reference server: examples/server/demo-sync.sh.
for till in ("store-1", "store-2"):
    os.mkdir(os.path.join(work, till))
    code, out, err = run(["--card-key-file", chain_key, "--terminal-id", till, "enroll", ANNA,
                          "--op-id", "E-" + till, "--json"], cwd=os.path.join(work, till))
    check(code == OK, f"{till}: {out}{err}")
key1 = open(os.path.join(work, "store-1", "loyalty.db.key"), "rb").read()
key2 = open(os.path.join(work, "store-2", "loyalty.db.key"), "rb").read()
check(key1 != key2, "two tills drew the same terminal key")

print("\n== the exit code of each status class")
# A till waiting for a card holds its ledger until it is stopped (the wait's
# limit is only a safety net: it is stopped long before).
locked = subprocess.Popen([DEMO, "--program", program_path, "read", "--reader", "sim:",
                           "--timeout-ms", "600000"], cwd=till_dir, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
try:
    first = locked.stdout.readline()  # printed once the till holds its ledger
    if "waiting for a card" in first:
        refused(LEDGER, "database_locked", r".", "verify")
        refused(READER, "timeout", r"no card within 200 ms", "read", "--reader", "sim:",
                "--timeout-ms", "200", cwd=os.path.join(work, "store-1"), speaks_first=True)
    else:
        print("(readers not built: no database_locked and reader checks)")
finally:
    locked.terminate()
    locked.wait()
refused(SYNC, "network_error", r".", "sync", "--server", "https://127.0.0.1:1",
        cwd=os.path.join(work, "store-1"), speaks_first=True)

print("PASS: the till at the command line")
