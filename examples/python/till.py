#!/usr/bin/env python3
"""A till in Python: the same checkout path as examples/c, through ctypes
against libloyalty.so. Standard library only.

    python3 till.py /path/to/libloyalty.so [work-dir]

Exits 0 when every step did what a cashier expects, 1 otherwise.
"""
import ctypes
import os
import sys
import tempfile

# Status codes and result keys, as numbered in include/loyalty/loyalty.h.
LOYALTY_OK = 0
LOYALTY_INSUFFICIENT_POINTS = 4
CARD_NAME, CARD_MASKED, CARD_AVAILABLE, CARD_BALANCE = 101, 102, 103, 105
QUOTE_BASKET_MINOR, QUOTE_DISCOUNT_MINOR, QUOTE_POINTS_TO_EARN = 301, 302, 304
RECEIPT_CARD_MASKED, RECEIPT_EARNED, RECEIPT_REDEEMED = 402, 403, 404
RECEIPT_DISCOUNT_MINOR, RECEIPT_REPLAYED = 405, 406
HISTORY_ENTRIES = 500
ENTRY_SEQ, ENTRY_KIND_NAME, ENTRY_POINTS, ENTRY_NOTE = 600, 604, 605, 609
VERIFY_OK = 700
REPORT_TOTAL, REPORT_TEXT, REPORT_JSON = 1211, 1213, 1214
FIGURES_MEMBER_SALES, FIGURES_ANONYMOUS_SALES, FIGURES_CARD_SHARE_BP = 1308, 1310, 1312

PROGRAM = """{"format": 1, "id": "corner-shop", "version": 1, "name": "Corner Shop",
 "currency": "EUR", "earn": {"points": 1, "per": "1.00"},
 "bonuses": {"signup": 50},
 "rewards": [{"id": "five-off", "kind": "order_amount", "cost": 50, "amount": "5.00"}]}
"""
KEY = b"corner-shop-till-1-secret-key-0123456789"


class LoyaltyError(Exception):
    def __init__(self, step, code, message):
        super().__init__(f"{step}: {code}: {message}")
        self.code = code


class Library:
    """Declares the C functions this till uses, with their exact types."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        P = ctypes.c_void_p
        S = ctypes.c_char_p
        I64 = ctypes.c_int64
        out = ctypes.POINTER(ctypes.c_void_p)
        status = ctypes.c_int
        signatures = {
            "loyalty_version": (S, []),
            "loyalty_status_name": (S, [ctypes.c_int]),
            "loyalty_last_error": (S, []),
            "loyalty_options_new": (status, [out]),
            "loyalty_options_free": (None, [P]),
            "loyalty_options_set_database_path": (status, [P, S]),
            "loyalty_options_set_terminal_id": (status, [P, S]),
            "loyalty_options_set_terminal_key": (status, [P, ctypes.c_void_p, ctypes.c_size_t]),
            "loyalty_options_set_program_path": (status, [P, S]),
            "loyalty_open": (status, [P, out]),
            "loyalty_close": (None, [P]),
            "loyalty_enroll": (status, [P, S, S, S, S, S, out]),
            "loyalty_lookup": (status, [P, S, out]),
            "loyalty_basket_new": (status, [S, out]),
            "loyalty_basket_free": (None, [P]),
            "loyalty_basket_add_line": (status, [P, S, S, I64, I64]),
            "loyalty_basket_add_reward": (status, [P, S]),
            "loyalty_quote": (status, [P, S, P, out]),
            "loyalty_commit": (status, [P, S, S, P, S, out]),
            "loyalty_redeem": (status, [P, S, S, I64, S, S, out]),
            "loyalty_refund_lines": (status, [P, S, S, ctypes.POINTER(I64),
                                              ctypes.POINTER(I64), ctypes.c_size_t, S, out]),
            "loyalty_record_anonymous_sale": (status, [P, S, S, I64, S]),
            "loyalty_history": (status, [P, S, ctypes.c_int, out]),
            "loyalty_verify": (status, [P, P, P, out]),
            "loyalty_till_report": (status, [P, I64, I64, I64, I64, out]),
            "loyalty_result_int": (status, [P, ctypes.c_int, ctypes.POINTER(I64)]),
            "loyalty_result_string": (status, [P, ctypes.c_int, ctypes.POINTER(S)]),
            "loyalty_result_count": (status, [P, ctypes.c_int, ctypes.POINTER(ctypes.c_size_t)]),
            "loyalty_result_item_at": (status, [P, ctypes.c_int, ctypes.c_size_t, out]),
            "loyalty_result_free": (None, [P]),
        }
        for name, (restype, argtypes) in signatures.items():
            fn = getattr(lib, name)
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name[len("loyalty_"):], fn)

    def check(self, status, step):
        if status != LOYALTY_OK:
            raise LoyaltyError(step, self.status_name(status).decode(),
                               self.last_error().decode())


class Result:
    """A loyalty_result: owned (freed on close) or borrowed from another."""

    def __init__(self, lib, handle, owned=True):
        self.lib, self.handle, self.owned = lib, handle, owned

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.owned:
            self.lib.result_free(self.handle)

    def int(self, key):
        v = ctypes.c_int64()
        self.lib.check(self.lib.result_int(self.handle, key, ctypes.byref(v)), f"int {key}")
        return v.value

    def str(self, key):
        v = ctypes.c_char_p()
        self.lib.check(self.lib.result_string(self.handle, key, ctypes.byref(v)), f"str {key}")
        return v.value.decode("utf-8")

    def items(self, key):
        n = ctypes.c_size_t()
        self.lib.check(self.lib.result_count(self.handle, key, ctypes.byref(n)), f"count {key}")
        for i in range(n.value):
            item = ctypes.c_void_p()
            self.lib.check(self.lib.result_item_at(self.handle, key, i, ctypes.byref(item)),
                           f"item {key}[{i}]")
            yield Result(self.lib, item, owned=False)


def call(lib, step, fn, *args):
    out = ctypes.c_void_p()
    lib.check(fn(*args, ctypes.byref(out)), step)
    return Result(lib, out)


def expect(got, want, what):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, want {want!r}")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    lib = Library(argv[1])
    work = argv[2] if len(argv) > 2 else tempfile.mkdtemp(prefix="loyalty-till-py-")
    os.makedirs(work, exist_ok=True)
    program = os.path.join(work, "program.json")
    ledger = os.path.join(work, "till-py.db")
    for stale in (ledger, ledger + "-wal", ledger + "-shm"):
        if os.path.exists(stale):
            os.remove(stale)
    with open(program, "w", encoding="utf-8") as f:
        f.write(PROGRAM)
    print("libloyalty", lib.version().decode())

    options = ctypes.c_void_p()
    lib.check(lib.options_new(ctypes.byref(options)), "options_new")
    lib.check(lib.options_set_database_path(options, ledger.encode()), "database_path")
    lib.check(lib.options_set_terminal_id(options, b"till-py"), "terminal_id")
    lib.check(lib.options_set_terminal_key(options, KEY, len(KEY)), "terminal_key")
    lib.check(lib.options_set_program_path(options, program.encode()), "program_path")
    till = ctypes.c_void_p()
    lib.check(lib.open(options, ctypes.byref(till)), "open")
    lib.options_free(options)
    card = "9900 0000 0042".encode()
    try:
        with call(lib, "enroll", lib.enroll, till, b"E-1001", card, None,
                  "Ada Lovelace".encode("utf-8"), b"cashier-7") as r:
            print("enrolled", r.str(RECEIPT_CARD_MASKED), "bonus", r.int(RECEIPT_EARNED))
        with call(lib, "lookup", lib.lookup, till, card) as r:
            print(f"card {r.str(CARD_MASKED)}: {r.str(CARD_NAME)}, "
                  f"{r.int(CARD_AVAILABLE)} points available")
            expect(r.int(CARD_AVAILABLE), 50, "available after sign-up")

        basket = ctypes.c_void_p()
        lib.check(lib.basket_new(b"EUR", ctypes.byref(basket)), "basket_new")
        lib.check(lib.basket_add_line(basket, b"4006381333931", b"stationery", 2, 1250), "line")
        lib.check(lib.basket_add_line(basket, b"5000112637922", b"drinks", 1, 3999), "line")
        lib.check(lib.basket_add_reward(basket, b"five-off"), "reward")
        with call(lib, "quote", lib.quote, till, card, basket) as q:
            print(f"quote: basket {q.int(QUOTE_BASKET_MINOR)}, discount "
                  f"{q.int(QUOTE_DISCOUNT_MINOR)}, earns {q.int(QUOTE_POINTS_TO_EARN)} points")
            expect(q.int(QUOTE_POINTS_TO_EARN), 47, "quoted points")
        with call(lib, "commit", lib.commit, till, b"R-0001", card, basket, b"cashier-7") as r:
            expect(r.int(RECEIPT_EARNED), 47, "earned")
            expect(r.int(RECEIPT_REDEEMED), 50, "redeemed for the reward")
            expect(r.int(RECEIPT_DISCOUNT_MINOR), 500, "discount")
        with call(lib, "retry", lib.commit, till, b"R-0001", card, basket, b"cashier-7") as r:
            expect(r.int(RECEIPT_REPLAYED), 1, "replayed")
        lib.basket_free(basket)

        try:
            call(lib, "redeem", lib.redeem, till, b"X-1", card, 1000, b"tv", None)
            raise AssertionError("redeeming 1000 points was not refused")
        except LoyaltyError as e:
            expect(e.code, "insufficient_points", "refusal")
            print("refused as expected:", e)

        lines = (ctypes.c_int64 * 1)(1)
        units = (ctypes.c_int64 * 1)(1)
        with call(lib, "refund_lines", lib.refund_lines, till, b"RET-0001", b"R-0001",
                  lines, units, 1, b"cashier-7") as r:
            print("refund took back", -r.int(RECEIPT_EARNED), "points")
        lib.check(lib.record_anonymous_sale(till, b"R-0002", b"EUR", 1575, b"cashier-7"),
                  "anonymous sale")

        total = 0
        with call(lib, "history", lib.history, till, card, 50) as h:
            for e in h.items(HISTORY_ENTRIES):
                print(f"  #{e.int(ENTRY_SEQ)} {e.str(ENTRY_KIND_NAME):16} "
                      f"{e.int(ENTRY_POINTS):+d}  {e.str(ENTRY_NOTE)}")
                total += e.int(ENTRY_POINTS)
        with call(lib, "lookup", lib.lookup, till, card) as r:
            expect(total, r.int(CARD_BALANCE), "history sums to the balance")
        with call(lib, "verify", lib.verify, till, None, None) as v:
            expect(v.int(VERIFY_OK), 1, "ledger verifies")
        with call(lib, "till_report", lib.till_report, till, 0, 2**63 - 1, 1, 1) as rep:
            figures = next(rep.items(REPORT_TOTAL))
            expect(figures.int(FIGURES_MEMBER_SALES), 1, "member sales")
            expect(figures.int(FIGURES_ANONYMOUS_SALES), 1, "anonymous sales")
            expect(figures.int(FIGURES_CARD_SHARE_BP), 5000, "card share")
            print(rep.str(REPORT_TEXT), end="")
    finally:
        lib.close(till)
    print("till closed, all steps as expected")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (LoyaltyError, AssertionError) as e:
        print("FAIL", e, file=sys.stderr)
        sys.exit(1)
