#!/usr/bin/env python3
"""The demo's scripted morning at a supermarket till (loyalty-demo demo),
written against the Python package: enrolments, sales with a retry, a
reward, returns, a mistyped card, the history and the ledger check.

    python3 morning.py examples/programs/supermarket.json [ledger.db]

Exits 0 when the story ran as told, 1 with the library's message otherwise.
"""
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loyalty  # noqa: E402

ANNA = "9900 1234 5678 9017"
BEN = "9900 2026 0301 0012"
CLARA = "9900 2026 0301 0020"
DANIEL = "9900 2026 0301 0038"
DANIEL_MISTYPED = "9900 2026 0301 0039"  # the Luhn check catches it
THREE_WEEKS_AGO = dt.date(2026, 2, 9)
THIS_MORNING = dt.date(2026, 3, 3)


class Morning:
    def __init__(self, ledger, program):
        self.day = THREE_WEEKS_AGO
        self.now_ms = self._ms(17, 30)
        self.till = loyalty.Terminal(
            database_path=ledger, terminal_id="till-1", program_path=program,
            # A fresh ledger deleted afterwards: a throw-away key is enough.
            terminal_key=b"demo-key-not-for-production-use-0123456789",
            clock=lambda: self.now_ms)
        info = self.till.program()
        self.currency = info["currency"]
        print(f"=== {info['name']} ({info['id']} v{info['version']}, {self.currency}):"
              " a morning at till 1 ===")
        print("(times are UTC, as the ledger records them)")

    def _ms(self, hour, minute):
        at = dt.datetime.combine(self.day, dt.time(hour, minute), tzinfo=dt.timezone.utc)
        return int(at.timestamp()) * 1000

    def money(self, minor):
        return f"{loyalty.format_money(minor, self.currency)} {self.currency}"

    def on(self, day, title):
        self.day = day
        print(f"\n--- {title} ---")

    def at(self, hour, minute, what):
        self.now_ms = self._ms(hour, minute)
        print(f"\n{hour:02d}:{minute:02d}  {what}")

    def say(self, text):
        print(f"  > {text}")

    def enroll(self, card, name, op_id):
        r = self.till.enroll(op_id, card, name=name, cashier_id="maria")
        print(f"  enrolled {r['card_masked']} on account {r['account_id']}")

    def receipt(self, r):
        after = r["card"][0]
        print(f"  {r['op_id']}: earned {r['earned']:+d}, redeemed {r['redeemed']}"
              f"{' (replayed)' if r['replayed'] else ''}; now {after['available']} available,"
              f" {after['pending']} pending")
        for line in r["explanations"]:
            print(f"    {line['points']:+d}  {line['text']}")

    def sale(self, card, receipt_id, prices):
        basket = loyalty.Basket(self.currency)
        for n, price in enumerate(prices):
            basket.line(f"SKU-{n + 1}", 1, loyalty.parse_money(price, self.currency),
                        category="grocery")
        total = sum(line["amount_minor"] for line in basket.lines)
        print(f"  receipt {receipt_id}: {' + '.join(prices)} = {self.money(total)}")
        r = self.till.commit(receipt_id, card, basket, cashier_id="maria")
        self.receipt(r)
        return r

    def swipe(self, card):
        try:
            reader = loyalty.Reader("sim:cards=" + card.replace(" ", ""))
        except loyalty.UnsupportedError:
            view = self.till.lookup(card)  # a library built without readers
        else:
            with reader:
                read = reader.wait(10_000)
                print(f"  (read on the {read['source_name']} card reader)")
                view = self.till.identify(read)
        print(f"  {view['masked']} {view['name']}: {view['available']} points available,"
              f" {view['pending']} pending, tier {view['tier'] or '-'}")

    def expect(self, error, step):
        try:
            step()
        except error as refused:
            print(f"  ! refused ({refused.name}): {refused.message}")
            return
        raise AssertionError(f"the demo expected {error.__name__} but the library accepted")


def tell(m):
    m.on(THREE_WEEKS_AGO, "Monday 9 February 2026, three weeks earlier")
    m.at(17, 40, "Anna Weber signs up at the till")
    m.enroll(ANNA, "Anna Weber", "E-0209-017")
    m.at(17, 42, "Anna's weekly shop")
    m.sale(ANNA, "R-0209-031", ["54.90", "19.99", "9.31"])
    m.say("points stay pending for the 14-day return window")

    m.on(THIS_MORNING, "Tuesday 3 March 2026, the morning shift")
    m.at(8, 1, "Anna swipes her card: the return window is over, her points are spendable")
    m.swipe(ANNA)
    m.at(8, 2, "Anna takes the fruit basket from the rewards shelf for 80 points")
    m.receipt(m.till.redeem("P-0303-001", ANNA, 80, "fruit basket", cashier_id="maria"))

    m.at(8, 10, "Ben Okafor signs up and buys breakfast things")
    m.enroll(BEN, "Ben Okafor", "E-0303-001")
    m.sale(BEN, "R-0303-001", ["12.40", "3.99", "0.89"])

    m.at(8, 20, "Clara Jensen signs up and pays for her shop")
    m.enroll(CLARA, "Clara Jensen", "E-0303-002")
    first = m.sale(CLARA, "R-0303-002", ["29.95", "16.80"])
    m.say("the POS got no answer within 3 s (timeout) and sends receipt R-0303-002 again")
    retry = m.sale(CLARA, "R-0303-002", ["29.95", "16.80"])
    assert retry["replayed"] == 1 and retry["earned"] == first["earned"]
    m.say(f"still {retry['card'][0]['balance']} points for Clara, not "
          f"{2 * first['earned']}: the retry wrote nothing")

    m.at(8, 31, "Ben is back: the 12.40 item of R-0303-001 was the wrong one")
    m.receipt(m.till.refund("F-0303-001", "R-0303-001",
                            loyalty.parse_money("12.40", m.currency), cashier_id="maria"))

    m.at(8, 40, "Anna returns her whole weekly shop of 9 February (R-0209-031)")
    m.receipt(m.till.refund("F-0303-002", "R-0209-031", cashier_id="maria"))
    m.say("her 84 points are taken back in full although she spent 80 of them")

    m.at(8, 47, "Daniel Roth signs up; the cashier keys his card number by hand")
    m.say("keyed: " + DANIEL_MISTYPED)
    m.expect(loyalty.InvalidArgumentError,
             lambda: m.enroll(DANIEL_MISTYPED, "Daniel Roth", "E-0303-003"))
    m.say("keyed again: " + DANIEL)
    m.enroll(DANIEL, "Daniel Roth", "E-0303-003")
    m.say("a lookup with the same typo is caught too: the till asks to key it again")
    m.expect(loyalty.InvalidArgumentError, lambda: m.till.lookup(DANIEL_MISTYPED))

    m.at(8, 55, "Anna asks what happened to her points")
    m.swipe(ANNA)
    for e in m.till.history(ANNA, 10):
        when = dt.datetime.fromtimestamp(e["at_ms"] / 1000, dt.timezone.utc)
        print(f"  #{e['seq']:<3} {when:%Y-%m-%d %H:%M} {e['kind_name']:16} {e['points']:+5d}"
              f"  {e['op_id']} {e['note']}")

    m.at(9, 0, "The rush is over: the shift lead checks the ledger")
    check = m.till.verify()
    if not check["ok"]:
        raise AssertionError(f"the demo ledger does not verify: {check['problem']}")
    print(f"  ledger verifies: {check['entries_checked']} entries,"
          f" {check['accounts_checked']} accounts")
    start, end = m.till.store_day(m.now_ms)
    total = m.till.till_report(start, end)["total"][0]
    print(f"  today so far: {total['member_sales']} sales with a card,"
          f" {total['points_issued']} points issued, {total['new_members']} new members")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    ledger = argv[2] if len(argv) > 2 else os.path.join(tempfile.mkdtemp(), "ledger.db")
    try:
        morning = Morning(ledger, argv[1])
    except loyalty.LoyaltyError as failed:
        print("FAIL", failed, file=sys.stderr)
        return 1
    try:
        tell(morning)
    except (loyalty.LoyaltyError, AssertionError) as failed:
        print("FAIL", failed, file=sys.stderr)
        return 1
    finally:
        morning.till.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
