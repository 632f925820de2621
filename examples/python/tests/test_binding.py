"""The binding itself: everything comes from loyalty.h, every function is
wrapped, and no order of closing or garbage collection can crash."""
import gc
import random
import re
import threading
from pathlib import Path

import pytest

import loyalty
from loyalty import _header

CARD = "9900 0000 0042"
PACKAGE = Path(loyalty.__file__).resolve().parent


def test_every_function_of_the_header_is_wrapped():
    header = _header.load()
    source = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    unused = [name for name in header.functions if f'"{name}"' not in source
              and f".{name}(" not in source]
    assert unused == [], "functions of loyalty.h the package does not call"
    assert len(header.functions) >= 95


def test_constants_and_exceptions_are_the_headers():
    header = _header.load()
    text = Path(header.path).read_text(encoding="utf-8")
    # Numbers as the header writes them, read here with a pattern of the
    # test's own.
    for name, number in re.findall(r"^\s*(LOYALTY_[A-Z_]+) = (\d+)", text, flags=re.M):
        if name.startswith("LOYALTY_KIND_"):
            assert loyalty.Kind[name[len("LOYALTY_KIND_"):]] == int(number)
        elif name in header.enums["status"]:
            assert loyalty.Status[name[len("LOYALTY_"):]] == int(number)
            if int(number):
                cls = loyalty.error_class(int(number))
                assert cls.status == int(number) and issubclass(cls, loyalty.LoyaltyError)
                # The library names each status as the header does.
                assert loyalty.status_name(int(number)) == name[len("LOYALTY_"):].lower()
                camel = "".join(w.capitalize() for w in name[len("LOYALTY_"):].split("_"))
                assert cls.__name__ in (camel, camel + "Error")
        elif name in header.enums["key"]:
            assert loyalty.Key[name[len("LOYALTY_"):]] == int(number)
    assert loyalty.VERSION == tuple(int(p) for p in loyalty.version().split("."))
    assert loyalty.status_name(9999) == "unknown_status"


def test_a_header_the_parser_does_not_know_is_refused():
    with pytest.raises(_header.HeaderError, match="LOYALTY_VERSION_MAJOR"):
        _header.parse("int x;", "broken.h")
    good = Path(_header.load().path).read_text(encoding="utf-8")
    with pytest.raises(_header.HeaderError, match="cannot read"):
        _header.parse(good.replace("LOYALTY_OK = 0,", "LOYALTY_OK = zero,"), "edited.h")


def _sync(till):
    # Nothing listens on port 1: rounds fail fast and back off.
    return loyalty.Sync(till, "https://127.0.0.1:1", connect_timeout_ms=2000,
                        request_timeout_ms=5000)


def test_closing_the_terminal_before_its_sync(till):
    till.enroll("E-1", CARD)
    sync = _sync(till)
    sync.start()
    till.close()
    status = sync.status()
    # the program in force, the enrolment, the sign-up bonus
    assert status["head_seq"] == 3 and status["backlog"] == 3
    with pytest.raises(loyalty.NetworkError):
        sync.now()
    sync.close()
    sync.close()
    with pytest.raises(loyalty.ClosedError):
        till.lookup(CARD)
    with pytest.raises(loyalty.ClosedError):
        sync.status()


def test_garbage_collection_in_any_order(open_till):
    rng = random.Random(23)
    for round_ in range(6):
        till = open_till(f"gc-{round_}.db")
        till.enroll(f"E-{round_}", CARD)
        sync = _sync(till)
        if round_ % 2:
            sync.start()
        handles = [till, sync]
        rng.shuffle(handles)
        if round_ % 3 == 0:
            handles[0].close()
        del till, sync
        while handles:
            handles.pop()
            gc.collect()


def test_close_waits_for_calls_in_other_threads(open_till):
    till = open_till()
    till.enroll("E-1", CARD)
    basket = loyalty.Basket("EUR").line("A", 1, 100)
    outcomes = []
    started = threading.Event()

    def sell():
        n = 0
        try:
            while True:
                till.commit(f"R-{n}", CARD, basket)
                n += 1
                started.set()
        except loyalty.ClosedError:
            outcomes.append(n)

    seller = threading.Thread(target=sell)
    seller.start()
    assert started.wait(60)
    till.close()
    seller.join(60)
    assert not seller.is_alive()
    assert outcomes and outcomes[0] >= 1


def test_a_read_from_the_sim_reader_identifies_the_card(till):
    till.enroll("E-1", "9900 0000 0042", name="Ada")
    with loyalty.Reader("sim:cards=990000000042") as reader:
        read = reader.wait(10_000)
        assert read["card"] == "990000000042"
        assert read["source_name"]
        assert till.identify(read)["name"] == "Ada"
    with pytest.raises(loyalty.ClosedError):
        reader.wait(1)
    with pytest.raises(loyalty.InvalidArgumentError, match="nope"):
        loyalty.Reader("nope:")
