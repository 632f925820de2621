#!/usr/bin/env python3
"""A till in Python: the checkout path of examples/c through the loyalty
package beside this file (ctypes, the standard library only).

    python3 till.py [/path/to/libloyalty.so] [work-dir]

Exits 0 when every step did what a cashier expects, 1 otherwise.
"""
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loyalty  # noqa: E402

PROGRAM = """{"format": 1, "id": "corner-shop", "version": 1, "name": "Corner Shop",
 "currency": "EUR", "earn": {"points": 1, "per": "1.00"},
 "bonuses": {"signup": 50},
 "rewards": [{"id": "five-off", "kind": "order_amount", "cost": 50, "amount": "5.00"}]}
"""
KEY = b"corner-shop-till-1-secret-key-0123456789"
CARD = "9900 0000 0042"


def expect(got, want, what):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, want {want!r}")


def main(argv):
    if len(argv) > 1:
        loyalty.load(library=argv[1])
    work = Path(argv[2] if len(argv) > 2 else tempfile.mkdtemp(prefix="loyalty-till-py-"))
    work.mkdir(parents=True, exist_ok=True)
    ledger = work / "till-py.db"
    for stale in (ledger, Path(f"{ledger}-wal"), Path(f"{ledger}-shm")):
        if stale.exists():
            os.remove(stale)
    (work / "program.json").write_text(PROGRAM, encoding="utf-8")
    print("libloyalty", loyalty.version())

    with loyalty.Terminal(database_path=str(ledger), terminal_id="till-py", terminal_key=KEY,
                          program_path=str(work / "program.json")) as till:
        r = till.enroll("E-1001", CARD, name="Ada Lovelace", cashier_id="cashier-7")
        print("enrolled", r["card_masked"], "bonus", r["earned"])
        card = till.lookup(CARD)
        print(f"card {card['masked']}: {card['name']}, {card['available']} points available")
        expect(card["available"], 50, "available after sign-up")

        basket = (loyalty.Basket("EUR")
                  .line("4006381333931", 2, 1250, category="stationery")
                  .line("5000112637922", 1, 3999, category="drinks")
                  .reward("five-off"))
        q = till.quote(CARD, basket)
        print(f"quote: basket {q['basket_minor']}, discount {q['discount_minor']},"
              f" earns {q['points_to_earn']} points")
        expect(q["points_to_earn"], 47, "quoted points")
        r = till.commit("R-0001", CARD, basket, cashier_id="cashier-7")
        expect((r["earned"], r["redeemed"], r["discount_minor"]), (47, 50, 500), "sale")
        expect(till.commit("R-0001", CARD, basket, cashier_id="cashier-7")["replayed"], 1,
               "replayed")
        try:
            till.redeem("X-1", CARD, 1000, "tv")
            raise AssertionError("redeeming 1000 points was not refused")
        except loyalty.InsufficientPointsError as refused:
            print("refused as expected:", refused)

        # Line 1 counts from 0: the drinks.
        r = till.refund_lines("RET-0001", "R-0001", {1: 1}, cashier_id="cashier-7")
        print("refund took back", -r["earned"], "points")
        till.record_anonymous_sale("R-0002", "EUR", 1575, cashier_id="cashier-7")

        history = till.history(CARD, 50)
        for e in history:
            print(f"  #{e['seq']} {e['kind_name']:16} {e['points']:+d}  {e['note']}")
        expect(sum(e["points"] for e in history), till.lookup(CARD)["balance"],
               "history sums to the balance")
        expect(till.verify()["ok"], 1, "ledger verifies")
        report = till.till_report(0, 2 ** 63 - 1, 1, 1)
        total = report["total"][0]
        expect((total["member_sales"], total["anonymous_sales"], total["card_share_bp"]),
               (1, 1, 5000), "report figures")
        print(report["text"], end="")
    print("till closed, all steps as expected")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (loyalty.LoyaltyError, AssertionError) as e:
        print("FAIL", e, file=sys.stderr)
        sys.exit(1)
