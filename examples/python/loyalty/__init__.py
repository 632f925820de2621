"""libloyalty for Python: the C ABI (include/loyalty/loyalty.h) through ctypes.

    import loyalty
    with loyalty.Terminal(database_path="till.db", terminal_id="till-1",
                          terminal_key=key, program_path="program.json") as till:
        till.enroll("E-1", "9900 0000 0042", name="Ada")
        basket = loyalty.Basket("EUR").line("4006381333931", 2, 1250, category="stationery")
        print(till.quote("9900 0000 0042", basket)["points_to_earn"])
        receipt = till.commit("R-1", "9900 0000 0042", basket)

Everything is read from loyalty.h at import (see _header.py): the status
codes (one exception class each, e.g. InsufficientPointsError), the result
keys and the signature of every function. Results come back as plain
Python values: a dict per result, its keys the header's key names without
their kind (LOYALTY_CARD_AVAILABLE is card["available"]), lists as lists,
nested results as lists of dicts. Nothing native is left to free.

Handles close with close(), a with block, or when garbage collected, in
any order: a Sync keeps its Terminal alive, and a closed handle raises
ClosedError instead of reaching freed memory. A close waits for calls
running on the handle in other threads to return.

Amounts are int minor units (cents), points int, times int milliseconds
since 1970 UTC (datetime accepted where a time is asked).
"""
from __future__ import annotations

import ctypes
import datetime as _dt
import threading
import weakref
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence,
                    Tuple, Type, Union)

from . import _header, _native
from ._header import HeaderError

Result = Dict[str, Any]
Card = str
Time = Union[int, _dt.datetime]

_INT64_MIN, _INT64_MAX = -(2 ** 63), 2 ** 63 - 1

_lib_lock = threading.Lock()
_lib: Optional[_native.Native] = None


def load(library: Optional[str] = None, header: Optional[str] = None) -> _native.Native:
    """Loads libloyalty.so and loyalty.h (first use does it on its own).

    library: the path of libloyalty.so (default: $LOYALTY_LIBRARY, the copy
    bundled in a wheel, the checkout's build/release, the system's).
    header: the path of loyalty.h (default: $LOYALTY_HEADER, the bundled
    copy, the checkout's include/, /usr/local/include, /usr/include)."""
    global _lib
    with _lib_lock:
        if _lib is None or library is not None or header is not None:
            _lib = _native.Native(library, header)
        return _lib


def _L() -> _native.Native:
    return _lib if _lib is not None else load()


# --- constants, generated from loyalty.h at import --------------------------

_hdr = _header.load()


def _enum(name: str, enum: str, prefix: str):
    import enum as _e
    return _e.IntEnum(name, {k[len(prefix):]: v for k, v in _hdr.enums[enum].items()})


Status = _enum("Status", "status", "LOYALTY_")
Kind = _enum("Kind", "result_kind", "LOYALTY_KIND_")
Key = _enum("Key", "key", "LOYALTY_")
EntryKind = _enum("EntryKind", "entry_kind", "LOYALTY_ENTRY_KIND_")
CardSource = _enum("CardSource", "card_source", "LOYALTY_SOURCE_")
VERSION: Tuple[int, int, int] = _hdr.version


def _field_names() -> Dict[int, Dict[int, str]]:
    """kind -> {key number: field name}: LOYALTY_CARD_AVAILABLE -> "available"."""
    by_kind: Dict[int, Dict[int, str]] = {}
    for name, value in _hdr.enums["key"].items():
        by_kind.setdefault(value // 100, {})[value] = name[len("LOYALTY_"):]
    fields: Dict[int, Dict[int, str]] = {}
    for kind, keys in by_kind.items():
        words = [n.split("_") for n in keys.values()]
        common = 0
        while all(len(w) > common + 1 for w in words) and len({w[common] for w in words}) == 1:
            common += 1
        common = max(common, 1)
        fields[kind] = {k: "_".join(n.split("_")[common:]).lower() for k, n in keys.items()}
    return fields


_FIELDS = _field_names()


# --- errors -----------------------------------------------------------------

class LoyaltyError(Exception):
    """A call refused with a loyalty_status: .status (int), .name
    ("insufficient_points") and .message (what loyalty_last_error said,
    naming the field and the value)."""

    status: int = -1

    def __init__(self, message: str, status: Optional[int] = None):
        super().__init__(message)
        if status is not None:
            self.status = status
        self.message = message

    @property
    def name(self) -> str:
        return status_name(self.status)

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


class ClosedError(ValueError):
    """A handle was used after close()."""


def _class_name(status: str) -> str:
    words = "".join(w.capitalize() for w in status[len("LOYALTY_"):].split("_"))
    return words if words.endswith("Error") else words + "Error"


_ERRORS: Dict[int, Type[LoyaltyError]] = {}
for _name, _value in _hdr.enums["status"].items():
    if _value == 0:
        continue
    _bases: Tuple[type, ...] = (LoyaltyError,)
    if _name == "LOYALTY_INVALID_ARGUMENT":
        _bases = (LoyaltyError, ValueError)
    _cls = type(_class_name(_name), _bases, {"status": _value, "__module__": __name__,
                                             "__doc__": f"{_name} ({_value}) of loyalty.h."})
    _ERRORS[_value] = _cls
    globals()[_cls.__name__] = _cls


def error_class(status: int) -> Type[LoyaltyError]:
    """The exception class of a status code (LoyaltyError for one this
    header does not know)."""
    return _ERRORS.get(status, LoyaltyError)


def _check(status: int) -> None:
    if status != 0:
        message = (_L().loyalty_last_error() or b"").decode("utf-8", "replace")
        raise error_class(status)(message, status)


def _invalid(message: str) -> LoyaltyError:
    return _ERRORS[Status.INVALID_ARGUMENT](message, int(Status.INVALID_ARGUMENT))


# --- small conversions -------------------------------------------------------

def _s(value: Optional[str], field: str = "text") -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise _invalid(f"{field}: {value!r} is not a string")
    return value.encode("utf-8")


def _i64(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(f"{field}: {value!r} is not an integer")
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise _invalid(f"{field}: {value} is outside the int64 range")
    return value


def _ms(value: Time, field: str) -> int:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            raise _invalid(f"{field}: {value} has no time zone")
        return int(value.timestamp() * 1000)
    return _i64(value, field)


def _text(ptr: Optional[bytes]) -> str:
    return (ptr or b"").decode("utf-8", "replace")


def version() -> str:
    """The version of the linked libloyalty, e.g. "0.1.0"."""
    return _text(_L().loyalty_version())


def version_number() -> int:
    return int(_L().loyalty_version_number())


def status_name(status: int) -> str:
    """"insufficient_points" for 4; "unknown_status" for a number not known."""
    return _text(_L().loyalty_status_name(int(status)))


def last_error() -> str:
    """The message of this thread's last failed call (the exceptions carry it)."""
    return _text(_L().loyalty_last_error())


def currency_decimals(currency: str) -> int:
    """2 for "EUR", 0 for "JPY", 3 for "KWD"."""
    out = ctypes.c_int()
    _check(_L().loyalty_currency_decimals(_s(currency, "currency"), ctypes.byref(out)))
    return out.value


def parse_money(text: str, currency: str) -> int:
    """"12.34" in EUR is 1234 (minor units); more decimals than the
    currency has is InvalidArgumentError, never a rounding."""
    out = ctypes.c_int64()
    _check(_L().loyalty_money_parse(_s(currency, "currency"), _s(text, "text"),
                                    ctypes.byref(out)))
    return out.value


def format_money(amount_minor: int, currency: str) -> str:
    """1234 in EUR is "12.34" (no currency code)."""
    lib = _L()
    length = ctypes.c_size_t()
    cur = _s(currency, "currency")
    amount = _i64(amount_minor, "amount_minor")
    _check(lib.loyalty_money_format(cur, amount, None, 0, ctypes.byref(length)))
    buffer = ctypes.create_string_buffer(length.value + 1)
    _check(lib.loyalty_money_format(cur, amount, buffer, len(buffer), ctypes.byref(length)))
    return _text(buffer.value)


# --- results as plain values ---------------------------------------------------

def _value(lib: _native.Native, r: int, key: int) -> Tuple[bool, Any]:
    i = ctypes.c_int64()
    if lib.loyalty_result_int(r, key, ctypes.byref(i)) == 0:
        return True, i.value
    s = ctypes.c_char_p()
    if lib.loyalty_result_string(r, key, ctypes.byref(s)) == 0:
        return True, _text(s.value)
    n = ctypes.c_size_t()
    if lib.loyalty_result_count(r, key, ctypes.byref(n)) != 0:
        return False, None
    items: List[Any] = []
    for index in range(n.value):
        if lib.loyalty_result_int_at(r, key, index, ctypes.byref(i)) == 0:
            items.append(i.value)
        elif lib.loyalty_result_string_at(r, key, index, ctypes.byref(s)) == 0:
            items.append(_text(s.value))
        else:
            item = ctypes.c_void_p()
            _check(lib.loyalty_result_item_at(r, key, index, ctypes.byref(item)))
            items.append(_to_dict(lib, item.value))
    return True, items


def _to_dict(lib: _native.Native, r: int) -> Result:
    kind = ctypes.c_int()
    _check(lib.loyalty_result_kind_of(r, ctypes.byref(kind)))
    out: Result = {}
    for key, field in _FIELDS.get(kind.value, {}).items():
        present, value = _value(lib, r, key)
        if present:
            out[field] = value
    return out


def _take(call: Callable[[Any], int]) -> Result:
    """Runs a call that hands back a loyalty_result, reads it and frees it."""
    lib = _L()
    out = ctypes.c_void_p()
    _check(call(ctypes.byref(out)))
    try:
        return _to_dict(lib, out.value)
    finally:
        lib.loyalty_result_free(out.value)


# --- handles -------------------------------------------------------------------

class _Handle:
    """A native handle: calls borrow it, close() waits for them and frees
    it once. Freed by a weakref finalizer too, so garbage collection order
    never matters."""

    def __init__(self, ptr: int, free: Callable[[int], None], what: str):
        self._ptr: Optional[int] = ptr
        self._free = free
        self._what = what
        self._users = 0
        self._cond = threading.Condition()

    def borrow(self) -> "_Borrow":
        return _Borrow(self)

    def close(self) -> None:
        with self._cond:
            ptr, self._ptr = self._ptr, None
            while self._users:
                self._cond.wait()
        if ptr:
            self._free(ptr)

    @property
    def closed(self) -> bool:
        return self._ptr is None


class _Borrow:
    def __init__(self, handle: _Handle):
        self.handle = handle

    def __enter__(self) -> int:
        h = self.handle
        with h._cond:
            if h._ptr is None:
                raise ClosedError(f"{h._what}: closed")
            h._users += 1
            return h._ptr

    def __exit__(self, *exc: Any) -> None:
        h = self.handle
        with h._cond:
            h._users -= 1
            if h._users == 0:
                h._cond.notify_all()


class _Closable:
    _handle: _Handle

    def close(self) -> None:
        self._handle.close()

    @property
    def closed(self) -> bool:
        return self._handle.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# --- the basket ------------------------------------------------------------------

class Basket:
    """What the POS rang up plus what the sale takes. Plain Python: each
    quote or commit builds the native basket and frees it again."""

    def __init__(self, currency: str):
        self.currency = currency
        self.lines: List[Dict[str, Any]] = []
        self.rewards: List[str] = []
        self.coupons: List[str] = []
        self.gift_cards: List[Tuple[str, int]] = []
        self.wallet_minor = 0
        self.redeem_points = 0

    def line(self, sku: str, quantity: int, amount_minor: int, *,
             category: Optional[str] = None, voided: bool = False) -> "Basket":
        """Appends a line (lines are numbered from 0 in the order added):
        amount_minor is what the customer pays for it."""
        self.lines.append({"sku": sku, "category": category, "quantity": quantity,
                           "amount_minor": amount_minor, "voided": voided})
        return self

    def void_line(self, index: int, voided: bool = True) -> "Basket":
        """Voids line `index` (0-based): it earns nothing."""
        if not 0 <= index < len(self.lines):
            raise _invalid(f"index: {index} but the basket has {len(self.lines)} lines")
        self.lines[index]["voided"] = voided
        return self

    def reward(self, reward_id: str) -> "Basket":
        self.rewards.append(reward_id)
        return self

    def coupon(self, code: str) -> "Basket":
        self.coupons.append(code)
        return self

    def gift_card(self, card: str, amount_minor: int) -> "Basket":
        self.gift_cards.append((card, amount_minor))
        return self

    def wallet(self, amount_minor: int) -> "Basket":
        self.wallet_minor = amount_minor
        return self

    def pay_with_points(self, points: int) -> "Basket":
        self.redeem_points = points
        return self

    def _native(self) -> "_NativeBasket":
        return _NativeBasket(self)


class _NativeBasket:
    def __init__(self, basket: Basket):
        self.basket = basket
        self.ptr = ctypes.c_void_p()

    def __enter__(self) -> int:
        lib, b = _L(), self.basket
        _check(lib.loyalty_basket_new(_s(b.currency, "currency"), ctypes.byref(self.ptr)))
        try:
            p = self.ptr
            for n, line in enumerate(b.lines):
                _check(lib.loyalty_basket_add_line(
                    p, _s(line["sku"], "sku"), _s(line["category"], "category"),
                    _i64(line["quantity"], f"line {n} quantity"),
                    _i64(line["amount_minor"], f"line {n} amount_minor")))
                if line["voided"]:
                    _check(lib.loyalty_basket_set_line_voided(p, n, 1))
            for reward in b.rewards:
                _check(lib.loyalty_basket_add_reward(p, _s(reward, "reward")))
            for code in b.coupons:
                _check(lib.loyalty_basket_add_coupon(p, _s(code, "coupon")))
            for card, amount in b.gift_cards:
                _check(lib.loyalty_basket_add_gift_card(p, _s(card, "gift_card"),
                                                        _i64(amount, "gift card amount_minor")))
            if b.wallet_minor:
                _check(lib.loyalty_basket_set_wallet_minor(p, _i64(b.wallet_minor,
                                                                   "wallet_minor")))
            if b.redeem_points:
                _check(lib.loyalty_basket_set_redeem_points(p, _i64(b.redeem_points,
                                                                     "redeem_points")))
        except BaseException:
            lib.loyalty_basket_free(self.ptr)
            raise
        return self.ptr.value

    def __exit__(self, *exc: Any) -> None:
        _L().loyalty_basket_free(self.ptr)


# --- the terminal ----------------------------------------------------------------

def _free_terminal(ptr: int) -> None:
    _L().loyalty_close(ptr)


class Terminal(_Closable):
    """An open till: the ledger and the program (loyalty_open).

    Required: database_path, terminal_id, terminal_key (bytes, >= 32; or
    None with terminal_key_file, a file only its owner may read or write),
    program_path. allow_unsigned_program_change, read_only and
    ledger_must_exist are the C ABI's options of those names. clock: a
    function returning ms since 1970 (a fake clock for tests); log: called
    with (level, message), levels 0 debug to 3 error. Both may be called
    from the library's sync thread."""

    def __init__(self, database_path: str, terminal_id: str, terminal_key: Optional[bytes],
                 program_path: str, *, store_id: Optional[str] = None,
                 card_key: Optional[bytes] = None, program_public_key: Optional[str] = None,
                 terminal_key_file: Optional[str] = None,
                 allow_unsigned_program_change: bool = False, read_only: bool = False,
                 ledger_must_exist: bool = False,
                 synchronous_full: Optional[bool] = None, busy_timeout_ms: Optional[int] = None,
                 clock: Optional[Callable[[], int]] = None,
                 log: Optional[Callable[[int, str], None]] = None):
        lib = _L()
        # The C callbacks live as long as this object (a Sync holds it).
        self._callbacks: List[Any] = []
        options = ctypes.c_void_p()
        _check(lib.loyalty_options_new(ctypes.byref(options)))
        try:
            o = options
            _check(lib.loyalty_options_set_database_path(o, _s(database_path, "database_path")))
            _check(lib.loyalty_options_set_terminal_id(o, _s(terminal_id, "terminal_id")))
            if terminal_key is not None:
                key = bytes(terminal_key)
                _check(lib.loyalty_options_set_terminal_key(o, key, len(key)))
            if terminal_key_file is not None:
                _check(lib.loyalty_options_set_terminal_key_file(
                    o, _s(terminal_key_file, "terminal_key_file")))
            if allow_unsigned_program_change:
                _check(lib.loyalty_options_set_allow_unsigned_program_change(o, 1))
            if read_only:
                _check(lib.loyalty_options_set_read_only(o, 1))
            if ledger_must_exist:
                _check(lib.loyalty_options_set_ledger_must_exist(o, 1))
            _check(lib.loyalty_options_set_program_path(o, _s(program_path, "program_path")))
            if store_id is not None:
                _check(lib.loyalty_options_set_store_id(o, _s(store_id, "store_id")))
            if card_key is not None:
                ck = bytes(card_key)
                _check(lib.loyalty_options_set_card_key(o, ck, len(ck)))
            if program_public_key is not None:
                _check(lib.loyalty_options_set_program_public_key(
                    o, _s(program_public_key, "program_public_key")))
            if synchronous_full is not None:
                _check(lib.loyalty_options_set_synchronous_full(o, 1 if synchronous_full else 0))
            if busy_timeout_ms is not None:
                _check(lib.loyalty_options_set_busy_timeout_ms(o, int(busy_timeout_ms)))
            if clock is not None:
                fn = lib.callbacks["loyalty_clock_fn"](lambda _user: int(clock()))
                self._callbacks.append(fn)
                _check(lib.loyalty_options_set_clock(o, fn, None))
            if log is not None:
                fn = lib.callbacks["loyalty_log_fn"](
                    lambda _user, level, message: log(level, _text(message)))
                self._callbacks.append(fn)
                _check(lib.loyalty_options_set_log(o, fn, None))
            terminal = ctypes.c_void_p()
            _check(lib.loyalty_open(o, ctypes.byref(terminal)))
        finally:
            lib.loyalty_options_free(options)
        self._handle = _Handle(terminal.value, _free_terminal, "terminal")
        weakref.finalize(self, self._handle.close)

    def _result(self, fn: str, *args: Any) -> Result:
        with self._handle.borrow() as t:
            return _take(lambda out: getattr(_L(), fn)(t, *args, out))

    def _op(self, fn: str, *args: Any) -> None:
        with self._handle.borrow() as t:
            _check(getattr(_L(), fn)(t, *args))

    # The program
    def load_program(self, path: str) -> None:
        """A new program document; on a problem the current one stays."""
        self._op("loyalty_load_program", _s(path, "path"))

    def program(self) -> Result:
        return self._result("loyalty_program")

    # Cards and accounts
    def enroll(self, op_id: str, card: Card, *, account_id: Optional[str] = None,
               name: Optional[str] = None, birthday: Optional[str] = None,
               referrer: Optional[Card] = None, cashier_id: Optional[str] = None) -> Result:
        """Puts a card on a new account (or account_id's). birthday "MM-DD"
        or "YYYY-MM-DD", referrer the card of the member who brought this
        one (the program's bonuses). A receipt."""
        if birthday is None and referrer is None:
            return self._result("loyalty_enroll", _s(op_id, "op_id"), _s(card, "card"),
                                _s(account_id, "account_id"), _s(name, "name"),
                                _s(cashier_id, "cashier_id"))
        return self._result("loyalty_enroll_member", _s(op_id, "op_id"), _s(card, "card"),
                            _s(account_id, "account_id"), _s(name, "name"),
                            _s(birthday, "birthday"), _s(referrer, "referrer"),
                            _s(cashier_id, "cashier_id"))

    def lookup(self, card: Card) -> Result:
        """What the till shows for a card (kind card)."""
        return self._result("loyalty_lookup", _s(card, "card"))

    def balance(self, card: Card) -> Result:
        return self._result("loyalty_balance", _s(card, "card"))

    def history(self, card: Card, limit: int = 50) -> List[Result]:
        """The account's entries, newest first."""
        return self._result("loyalty_history", _s(card, "card"), int(limit))["entries"]

    def identify(self, read: "CardRead") -> Result:
        """What the till shows for a good read of a Reader."""
        with self._handle.borrow() as t, read._handle.borrow() as r:
            return _take(lambda out: _L().loyalty_identify(t, r, out))

    # The sale
    def quote(self, card: Card, basket: Basket) -> Result:
        """What the basket would earn; writes nothing."""
        with basket._native() as b:
            return self._result("loyalty_quote", _s(card, "card"), b)

    def commit(self, op_id: str, card: Card, basket: Basket,
               cashier_id: Optional[str] = None) -> Result:
        """The sale. The same op_id again replays the first receipt."""
        with basket._native() as b:
            return self._result("loyalty_commit", _s(op_id, "op_id"), _s(card, "card"), b,
                                _s(cashier_id, "cashier_id"))

    def reserve(self, op_id: str, card: Card, basket: Basket,
                cashier_id: Optional[str] = None) -> Result:
        with basket._native() as b:
            return self._result("loyalty_reserve", _s(op_id, "op_id"), _s(card, "card"), b,
                                _s(cashier_id, "cashier_id"))

    def confirm_reservation(self, op_id: str, reservation_op_id: str) -> Result:
        return self._result("loyalty_confirm_reservation", _s(op_id, "op_id"),
                            _s(reservation_op_id, "reservation_op_id"))

    def release_reservation(self, op_id: str, reservation_op_id: str) -> Result:
        return self._result("loyalty_release_reservation", _s(op_id, "op_id"),
                            _s(reservation_op_id, "reservation_op_id"))

    def record_anonymous_sale(self, op_id: str, currency: str, amount_minor: int,
                              cashier_id: Optional[str] = None) -> None:
        self._op("loyalty_record_anonymous_sale", _s(op_id, "op_id"), _s(currency, "currency"),
                 _i64(amount_minor, "amount_minor"), _s(cashier_id, "cashier_id"))

    # Stored value
    def load_gift_card(self, op_id: str, gift_card: Card, amount_minor: int) -> Result:
        return self._result("loyalty_load_gift_card", _s(op_id, "op_id"),
                            _s(gift_card, "gift_card"), _i64(amount_minor, "amount_minor"))

    def gift_card_balance(self, gift_card: Card) -> int:
        with self._handle.borrow() as t:
            v = ctypes.c_int64()
            _check(_L().loyalty_gift_card_balance(t, _s(gift_card, "gift_card"),
                                                  ctypes.byref(v)))
            return v.value

    def top_up_wallet(self, op_id: str, card: Card, amount_minor: int) -> Result:
        return self._result("loyalty_top_up_wallet", _s(op_id, "op_id"), _s(card, "card"),
                            _i64(amount_minor, "amount_minor"))

    def void_load(self, op_id: str, load_op_id: str, operator_id: str,
                  reason: Optional[str] = None, amount_minor: Optional[int] = None,
                  cashier_id: Optional[str] = None) -> Result:
        """Takes back a gift-card load or wallet top-up (by the op_id it was
        made with): all of it not taken back yet, or amount_minor of it.
        Money already spent is refused with InsufficientFundsError, whose
        message says how much is left to take back."""
        if amount_minor is None:
            return self._result("loyalty_void_load", _s(op_id, "op_id"),
                                _s(load_op_id, "load_op_id"), _s(operator_id, "operator_id"),
                                _s(reason, "reason"), _s(cashier_id, "cashier_id"))
        return self._result("loyalty_refund_load", _s(op_id, "op_id"),
                            _s(load_op_id, "load_op_id"), _i64(amount_minor, "amount_minor"),
                            _s(operator_id, "operator_id"), _s(reason, "reason"),
                            _s(cashier_id, "cashier_id"))

    # Points outside a sale, returns, corrections
    def redeem(self, op_id: str, card: Card, points: int, reason: Optional[str] = None,
               cashier_id: Optional[str] = None) -> Result:
        return self._result("loyalty_redeem", _s(op_id, "op_id"), _s(card, "card"),
                            _i64(points, "points"), _s(reason, "reason"),
                            _s(cashier_id, "cashier_id"))

    def refund(self, op_id: str, sale_op_id: str, amount_minor: Optional[int] = None,
               cashier_id: Optional[str] = None) -> Result:
        """A return of amount_minor of a sale; None: everything not returned yet."""
        if amount_minor is None:
            return self._result("loyalty_refund_rest", _s(op_id, "op_id"),
                                _s(sale_op_id, "sale_op_id"), _s(cashier_id, "cashier_id"))
        return self._result("loyalty_refund", _s(op_id, "op_id"), _s(sale_op_id, "sale_op_id"),
                            _i64(amount_minor, "amount_minor"), _s(cashier_id, "cashier_id"))

    def refund_lines(self, op_id: str, sale_op_id: str,
                     lines: Union[Mapping[int, int], Iterable[Tuple[int, int]]],
                     cashier_id: Optional[str] = None) -> Result:
        """A return line by line: {line number: units returned}, line
        numbers as loyalty_refund_lines counts them in loyalty.h."""
        pairs = list(lines.items()) if isinstance(lines, Mapping) else list(lines)
        numbers = (ctypes.c_int64 * max(len(pairs), 1))(
            *[_i64(n, "line number") for n, _ in pairs])
        units = (ctypes.c_int64 * max(len(pairs), 1))(*[_i64(q, "quantity") for _, q in pairs])
        return self._result("loyalty_refund_lines", _s(op_id, "op_id"),
                            _s(sale_op_id, "sale_op_id"), numbers, units, len(pairs),
                            _s(cashier_id, "cashier_id"))

    def exchange(self, op_id: str, sale_op_id: str,
                 lines: Union[Mapping[int, int], Iterable[Tuple[int, int]]], card: Card,
                 basket: Basket, cashier_id: Optional[str] = None) -> Result:
        """Goods of a sale back ({line number: units}, as refund_lines) and
        `basket` bought instead on `card` (a card of the sale's account), in
        one operation: both halves are written or neither. A dict with
        "op_id", "replayed" and a receipt per half: "returned" and "bought"
        (whose "card" is the account after both). The goods bought come
        back later with refund or refund_lines on sale_op_id = op_id."""
        pairs = list(lines.items()) if isinstance(lines, Mapping) else list(lines)
        numbers = (ctypes.c_int64 * max(len(pairs), 1))(
            *[_i64(n, "line number") for n, _ in pairs])
        units = (ctypes.c_int64 * max(len(pairs), 1))(*[_i64(q, "quantity") for _, q in pairs])
        with basket._native() as b:
            done = self._result("loyalty_exchange", _s(op_id, "op_id"),
                                _s(sale_op_id, "sale_op_id"), numbers, units, len(pairs),
                                _s(card, "card"), b, _s(cashier_id, "cashier_id"))
        # One receipt per half: the header's one-item lists as plain dicts.
        done["returned"] = done["returned"][0]
        done["bought"] = done["bought"][0]
        return done

    def void(self, op_id: str, target_op_id: str, operator_id: str,
             reason: Optional[str] = None, cashier_id: Optional[str] = None) -> Result:
        return self._result("loyalty_void", _s(op_id, "op_id"), _s(target_op_id, "target_op_id"),
                            _s(operator_id, "operator_id"), _s(reason, "reason"),
                            _s(cashier_id, "cashier_id"))

    def adjust(self, op_id: str, card: Card, points: int, operator_id: str, reason: str,
               cashier_id: Optional[str] = None) -> Result:
        return self._result("loyalty_adjust", _s(op_id, "op_id"), _s(card, "card"),
                            _i64(points, "points"), _s(operator_id, "operator_id"),
                            _s(reason, "reason"), _s(cashier_id, "cashier_id"))

    def block(self, op_id: str, card: Card, blocked: bool, operator_id: str,
              reason: Optional[str] = None, cashier_id: Optional[str] = None) -> Result:
        return self._result("loyalty_block", _s(op_id, "op_id"), _s(card, "card"),
                            1 if blocked else 0, _s(operator_id, "operator_id"),
                            _s(reason, "reason"), _s(cashier_id, "cashier_id"))

    def record_event(self, op_id: str, card: Card, event: str,
                     cashier_id: Optional[str] = None) -> Result:
        return self._result("loyalty_record_event", _s(op_id, "op_id"), _s(card, "card"),
                            _s(event, "event"), _s(cashier_id, "cashier_id"))

    # The back office
    def expire(self, op_id: str) -> List[Result]:
        """Expiry entries for every lot past its date: a receipt per account."""
        return self._result("loyalty_expire", _s(op_id, "op_id"))["receipts"]

    def verify(self, progress: Optional[Callable[[int, int], None]] = None) -> Result:
        """The integrity check; result["ok"] is 0 when the ledger does not verify."""
        lib = _L()
        fntype = lib.callbacks["loyalty_progress_fn"]
        fn = fntype(lambda _u, done, total: progress(done, total)) if progress else fntype()
        with self._handle.borrow() as t:
            return _take(lambda out: lib.loyalty_verify(t, fn, None, out))

    def rebuild_balances(self) -> None:
        self._op("loyalty_rebuild_balances")

    def store_day(self, at: Time) -> Tuple[int, int]:
        """The store's calendar day around `at` in the program's time zone:
        (from_ms, to_ms), the window for till_report."""
        with self._handle.borrow() as t:
            start, end = ctypes.c_int64(), ctypes.c_int64()
            _check(_L().loyalty_store_day(t, _ms(at, "at"), ctypes.byref(start),
                                          ctypes.byref(end)))
            return start.value, end.value

    def till_report(self, from_ms: Time, to_ms: Time, point_value_minor: int = 0,
                    point_value_points: int = 1) -> Result:
        """The till's loyalty report for [from_ms, to_ms)."""
        return self._result("loyalty_till_report", _ms(from_ms, "from_ms"), _ms(to_ms, "to_ms"),
                            _i64(point_value_minor, "point_value_minor"),
                            _i64(point_value_points, "point_value_points"))


# --- sync ---------------------------------------------------------------------------

def _free_sync(ptr: int) -> None:
    _L().loyalty_sync_free(ptr)


class Sync(_Closable):
    """Sync with the chain's central server (docs/sync-protocol.md). Holds
    its Terminal: close the two in any order."""

    def __init__(self, terminal: Terminal, server_url: str, *, ca_file: Optional[str] = None,
                 ca_pem: Optional[str] = None, pinned_public_key: Optional[str] = None,
                 client_cert_file: Optional[str] = None, client_key_file: Optional[str] = None,
                 receipt_public_key_pem: Optional[str] = None,
                 program_public_key_pem: Optional[str] = None, max_batch_entries: int = 0,
                 max_batch_bytes: int = 0, max_batch_age_ms: int = 0,
                 connect_timeout_ms: int = 0, request_timeout_ms: int = 0,
                 poll_interval_ms: int = 0):
        lib = _L()
        self.terminal = terminal  # keeps the Terminal's callbacks alive
        options = ctypes.c_void_p()
        _check(lib.loyalty_sync_options_new(ctypes.byref(options)))
        try:
            o = options
            _check(lib.loyalty_sync_options_set_server_url(o, _s(server_url, "server_url")))
            if ca_file is not None or ca_pem is not None:
                _check(lib.loyalty_sync_options_set_ca(o, _s(ca_file, "ca_file"),
                                                       _s(ca_pem, "ca_pem")))
            if pinned_public_key is not None:
                _check(lib.loyalty_sync_options_set_pinned_public_key(
                    o, _s(pinned_public_key, "pinned_public_key")))
            if client_cert_file is not None or client_key_file is not None:
                _check(lib.loyalty_sync_options_set_client_cert(
                    o, _s(client_cert_file, "client_cert_file"),
                    _s(client_key_file, "client_key_file")))
            if receipt_public_key_pem is not None or program_public_key_pem is not None:
                _check(lib.loyalty_sync_options_set_trusted_keys(
                    o, _s(receipt_public_key_pem, "receipt_public_key_pem"),
                    _s(program_public_key_pem, "program_public_key_pem")))
            _check(lib.loyalty_sync_options_set_batches(
                o, _i64(max_batch_entries, "max_batch_entries"),
                _i64(max_batch_bytes, "max_batch_bytes"),
                _i64(max_batch_age_ms, "max_batch_age_ms")))
            _check(lib.loyalty_sync_options_set_timing(
                o, _i64(connect_timeout_ms, "connect_timeout_ms"),
                _i64(request_timeout_ms, "request_timeout_ms"),
                _i64(poll_interval_ms, "poll_interval_ms")))
            sync = ctypes.c_void_p()
            with terminal._handle.borrow() as t:
                _check(lib.loyalty_sync_create(t, o, ctypes.byref(sync)))
        finally:
            lib.loyalty_sync_options_free(options)
        self._handle = _Handle(sync.value, _free_sync, "sync")
        weakref.finalize(self, self._handle.close)

    def _call(self, fn: str) -> None:
        with self._handle.borrow() as s:
            _check(getattr(_L(), fn)(s))

    def start(self) -> None:
        """Rounds on a thread of the library's own until stop()."""
        self._call("loyalty_sync_start")

    def stop(self) -> None:
        self._call("loyalty_sync_stop")

    def pump(self) -> None:
        """What is due now (at most one request), for tills without threads."""
        self._call("loyalty_sync_pump")

    def now(self) -> None:
        """Pushes everything and pulls every page now."""
        self._call("loyalty_sync_now")

    def status(self) -> Result:
        with self._handle.borrow() as s:
            return _take(lambda out: _L().loyalty_sync_status(s, out))

    def exceptions(self) -> List[Result]:
        with self._handle.borrow() as s:
            return _take(lambda out: _L().loyalty_sync_exceptions(s, out))["exceptions"]


# --- card readers ----------------------------------------------------------------------

def _free_result(ptr: int) -> None:
    _L().loyalty_result_free(ptr)


class CardRead(dict):
    """One good read (a dict: card, masked, source, source_name, at_ms);
    keeps the native read for Terminal.identify."""

    def __init__(self, ptr: int):
        super().__init__(_to_dict(_L(), ptr))
        self._handle = _Handle(ptr, _free_result, "card read")
        weakref.finalize(self, self._handle.close)


def _free_reader(ptr: int) -> None:
    _L().loyalty_reader_close(ptr)


class Reader(_Closable):
    """A card reader by connection string ("sim:cards=...", "pcsc:",
    "pn532_uart:/dev/ttyUSB0"...). sun: (meta_read_key, file_key, counter_file)
    for NTAG 424 DNA readers opened with "?sun=1", file_key(uid_hex) returning
    the card's 16-byte key or None."""

    def __init__(self, connection: str, *, log: Optional[Callable[[int, str], None]] = None,
                 sun: Optional[Tuple[bytes, Callable[[str], Optional[bytes]], str]] = None):
        lib = _L()
        self._callbacks: List[Any] = []
        options = ctypes.c_void_p()
        _check(lib.loyalty_reader_options_new(ctypes.byref(options)))
        try:
            if log is not None:
                fn = lib.callbacks["loyalty_log_fn"](
                    lambda _user, level, message: log(level, _text(message)))
                self._callbacks.append(fn)
                _check(lib.loyalty_reader_options_set_log(options, fn, None))
            if sun is not None:
                meta, file_key, counter_file = sun
                if len(meta) != 16:
                    raise _invalid(f"meta_read_key: {len(meta)} bytes, 16 needed")

                def key_for(_user: Any, uid: bytes, key_out: int) -> int:
                    key = file_key(_text(uid))
                    if key is None or len(key) != 16:
                        return 0
                    ctypes.memmove(key_out, bytes(key), 16)
                    return 1

                fn = lib.callbacks["loyalty_sun_file_key_fn"](key_for)
                self._callbacks.append(fn)
                self._meta = ctypes.create_string_buffer(bytes(meta), 16)
                _check(lib.loyalty_reader_options_set_sun(options, self._meta, fn, None,
                                                          _s(counter_file, "counter_file")))
            reader = ctypes.c_void_p()
            if log is None and sun is None:
                _check(lib.loyalty_reader_open(_s(connection, "connection"),
                                               ctypes.byref(reader)))
            else:
                _check(lib.loyalty_reader_open_with(_s(connection, "connection"), options,
                                                    ctypes.byref(reader)))
        finally:
            lib.loyalty_reader_options_free(options)
        self._handle = _Handle(reader.value, _free_reader, "reader")
        weakref.finalize(self, self._handle.close)

    def wait(self, timeout_ms: int) -> CardRead:
        """The next card, at most timeout_ms: TimeoutError_, BadReadError..."""
        with self._handle.borrow() as r:
            out = ctypes.c_void_p()
            _check(_L().loyalty_reader_wait(r, _i64(timeout_ms, "timeout_ms"),
                                            ctypes.byref(out)))
            return CardRead(out.value)

    def cancel(self) -> None:
        """Makes a wait() in another thread raise CancelledError promptly."""
        with self._handle.borrow() as r:
            _check(_L().loyalty_reader_cancel(r))

    def restart(self) -> None:
        with self._handle.borrow() as r:
            _check(_L().loyalty_reader_restart(r))

    def close(self) -> None:
        if not self._handle.closed:
            try:
                self.cancel()  # a wait() in another thread returns first
            except ClosedError:
                pass
        self._handle.close()


def open_reader(connection: str) -> Reader:
    """loyalty_reader_open: a reader with no options."""
    return Reader(connection)


__all__ = ["Basket", "CardRead", "CardSource", "ClosedError", "EntryKind", "HeaderError",
           "Key", "Kind", "LoyaltyError", "Reader", "Result", "Status", "Sync", "Terminal",
           "VERSION", "currency_decimals", "error_class", "format_money", "last_error",
           "load", "open_reader", "parse_money", "status_name", "version", "version_number"] + sorted(c.__name__ for c in _ERRORS.values())
