"""Fixtures of the binding's tests: a fresh ledger and program per test,
a fake clock the test moves. libloyalty.so comes from $LOYALTY_LIBRARY
(ctest sets it to the build's), loyalty.h from the checkout."""
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import loyalty  # noqa: E402

PROGRAM = """{"format": 1, "id": "py-shop", "version": 1, "name": "Py Shop",
 "currency": "EUR", "time_zone": "Europe/Berlin",
 "earn": {"points": 1, "per": "1.00"},
 "bonuses": {"signup": 50, "birthday": 25, "referral": {"new_member": 10, "referrer": 30},
             "events": {"review": 40}},
 "tiers": {"measure": "spend", "window_days": 365, "levels": [
   {"id": "bronze", "threshold": "0.00"}, {"id": "gold", "threshold": "1000.00"}]},
 "rewards": [{"id": "five-off", "kind": "order_amount", "cost": 50, "amount": "5.00"},
             {"id": "gold-gift", "kind": "order_amount", "cost": 10, "amount": "1.00",
              "min_tier": "gold"}]}
"""
KEY = b"py-shop-till-1-secret-key-0123456789abcdef"
START_MS = 1_767_261_600_000  # 2026-01-01 10:00 UTC


class Clock:
    def __init__(self):
        self.ms = START_MS

    def __call__(self):
        return self.ms


@pytest.fixture
def program(tmp_path):
    path = tmp_path / "program.json"
    path.write_text(PROGRAM, encoding="utf-8")
    return str(path)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def open_till(tmp_path, program, clock):
    def opener(name="till.db", **kw):
        return loyalty.Terminal(database_path=str(tmp_path / name), terminal_id="till-py",
                                terminal_key=KEY, program_path=program, clock=clock, **kw)
    return opener


@pytest.fixture
def till(open_till):
    t = open_till()
    yield t
    t.close()
