"""A checkout through the Python binding as a till runs it, with the
values a cashier would check."""
import datetime as dt

import pytest

import loyalty

CARD = "9900 0000 0042"


def test_a_whole_checkout(till, clock):
    enrolled = till.enroll("E-1", CARD, name="Ada Lovelace", cashier_id="maria")
    assert enrolled["earned"] == 50
    assert enrolled["card"][0]["available"] == 50
    card = till.lookup(CARD)
    assert card["name"] == "Ada Lovelace"
    assert card["masked"].endswith("0042")
    assert card["tier"] == "bronze"
    assert [r["id"] for r in card["rewards"]] == ["five-off", "gold-gift"]

    basket = (loyalty.Basket("EUR")
              .line("4006381333931", 2, 1250, category="stationery")
              .line("5000112637922", 1, 3999, category="drinks")
              .reward("five-off"))
    quote = till.quote(CARD, basket)
    assert quote["basket_minor"] == 5249
    assert quote["discount_minor"] == 500
    assert quote["points_to_earn"] == 47
    assert len(quote["line_points"]) == 2
    assert all(isinstance(e["text"], str) and e["text"] for e in quote["explanations"])

    receipt = till.commit("R-1", CARD, basket, cashier_id="maria")
    assert (receipt["earned"], receipt["redeemed"], receipt["discount_minor"]) == (47, 50, 500)
    assert receipt["replayed"] == 0
    again = till.commit("R-1", CARD, basket, cashier_id="maria")
    assert again["replayed"] == 1 and again["earned"] == 47

    # Line 1 (0-based) is the drinks line: its points come back exactly.
    back = till.refund_lines("RET-1", "R-1", {1: 1}, cashier_id="maria")
    assert back["earned"] == -receipt["line_points"][1]
    till.record_anonymous_sale("R-2", "EUR", 1575, cashier_id="maria")

    history = till.history(CARD)
    assert [e["kind_name"] for e in history][-1] == "enroll"
    assert sum(e["points"] for e in history) == till.balance(CARD)["balance"]
    assert till.verify()["ok"] == 1

    day = till.store_day(clock.ms)
    report = till.till_report(*day, point_value_minor=1, point_value_points=1)
    total = report["total"][0]
    assert (total["member_sales"], total["anonymous_sales"], total["card_share_bp"]) == (1, 1, 5000)
    assert "maria" in [c["cashier_id"] for c in report["cashiers"]]
    assert report["text"]


def test_refusals_are_exceptions_of_their_status(till):
    till.enroll("E-1", CARD)
    with pytest.raises(loyalty.InsufficientPointsError) as caught:
        till.redeem("X-1", CARD, 1000, "a television")
    assert caught.value.status == loyalty.Status.INSUFFICIENT_POINTS
    assert caught.value.name == "insufficient_points"
    assert "1000" in caught.value.message
    with pytest.raises(loyalty.UnknownCardError):
        till.lookup("9900 0000 0059")
    # A malformed card is an InvalidArgumentError, which is a ValueError.
    with pytest.raises(ValueError) as bad:
        till.lookup("99#!")
    assert isinstance(bad.value, loyalty.InvalidArgumentError)
    assert "card" in bad.value.message
    with pytest.raises(loyalty.DuplicateIdConflictError):
        till.redeem("E-1", CARD, 5)
    # Out of int64: refused before the call instead of truncated.
    with pytest.raises(loyalty.InvalidArgumentError, match="points: .* int64"):
        till.redeem("X-2", CARD, 2 ** 64 + 5)
    with pytest.raises(loyalty.InvalidArgumentError, match="is not an integer"):
        till.redeem("X-3", CARD, 5.0)
    with pytest.raises(loyalty.CurrencyMismatchError):
        till.quote(CARD, loyalty.Basket("USD").line("A", 1, 100))


def test_a_quote_lists_the_rewards_the_card_cannot_take(till):
    till.enroll("E-1", CARD)  # 50 points, tier bronze
    basket = (loyalty.Basket("EUR").line("A", 1, 2000)
              .reward("gold-gift").reward("five-off").reward("no-such-reward"))
    quote = till.quote(CARD, basket)
    assert quote["discount_minor"] == 500  # five-off only
    assert quote["points_to_spend"] == 50 and quote["points_to_earn"] == 15  # on 20.00 - 5.00
    assert [(r["id"], r["status"], r["reason"]) for r in quote["refused_rewards"]] == [
        ("gold-gift", loyalty.Status.REWARD_REFUSED, "needs tier gold"),
        ("no-such-reward", loyalty.Status.REWARD_REFUSED, "not in the program's catalog")]
    with pytest.raises(loyalty.RewardRefusedError, match="reward 'gold-gift': needs tier gold"):
        till.commit("R-1", CARD, basket)
    assert till.balance(CARD)["available"] == 50  # the refused sale wrote nothing


def test_enrolment_with_birthday_and_referrer(till):
    till.enroll("E-1", CARD, name="Ada")
    friend = till.enroll("E-2", "9900 0000 0067", name="Grace", birthday="01-09",
                         referrer=CARD)
    assert friend["earned"] == 50
    # Her first purchase, in her birthday month: both bonuses, and the
    # referrer's.
    sale = till.commit("R-1", "9900 0000 0067", loyalty.Basket("EUR").line("A", 1, 1000))
    assert sale["earned"] == 10 + 25 + 10
    assert till.balance(CARD)["balance"] == 50 + 30
    with pytest.raises(loyalty.InvalidArgumentError, match="referrer"):
        till.enroll("E-3", "9900 0000 0075", referrer="12")
    with pytest.raises(loyalty.InvalidArgumentError, match="birthday"):
        till.enroll("E-4", "9900 0000 0083", birthday="31-31")


def test_money_helpers_use_the_currencys_decimals():
    assert loyalty.currency_decimals("EUR") == 2
    assert loyalty.currency_decimals("JPY") == 0
    assert loyalty.currency_decimals("KWD") == 3
    assert loyalty.parse_money("12.34", "EUR") == 1234
    assert loyalty.parse_money("12", "EUR") == 1200
    assert loyalty.parse_money("1200", "JPY") == 1200
    assert loyalty.format_money(1234, "EUR") == "12.34"
    assert loyalty.format_money(-50, "KWD") == "-0.050"
    assert loyalty.format_money(1200, "JPY") == "1200"
    with pytest.raises(loyalty.InvalidArgumentError, match="12.345"):
        loyalty.parse_money("12.345", "EUR")
    with pytest.raises(loyalty.InvalidArgumentError, match="XYZ"):
        loyalty.currency_decimals("XYZ")


def test_store_day_is_the_programs_time_zone(till):
    # 2026-03-28 23:30 UTC is already Sunday the 29th in Berlin, the day
    # clocks go forward: it is 23 hours long.
    at = dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.timezone.utc)
    start, end = till.store_day(at)
    assert start == int(dt.datetime(2026, 3, 28, 23, 0, tzinfo=dt.timezone.utc).timestamp()) * 1000
    assert end - start == 23 * 3600 * 1000


def test_gift_cards_wallet_reservations_and_staff_operations(till):
    till.enroll("E-1", CARD)
    till.load_gift_card("G-1", "9900 0000 0091", 2000)
    assert till.gift_card_balance("9900 0000 0091") == 2000
    till.top_up_wallet("W-1", CARD, 500)
    assert till.lookup(CARD)["wallet_minor"] == 500
    paid = till.commit("R-1", CARD, loyalty.Basket("EUR").line("A", 1, 3000)
                       .gift_card("9900 0000 0091", 1500).wallet(500))
    assert paid["stored_value_minor"] == -2000
    assert till.gift_card_balance("9900 0000 0091") == 500

    held = till.reserve("H-1", CARD, loyalty.Basket("EUR").line("B", 1, 1000).reward("five-off"))
    assert held["held"] == 50
    till.release_reservation("H-1-x", "H-1")
    assert till.balance(CARD)["held"] == 0

    till.adjust("A-1", CARD, 7, "lead-1", "goodwill")
    till.record_event("V-1", CARD, "review")
    till.block("B-1", CARD, True, "lead-1", "lost card")
    assert till.lookup(CARD)["is_blocked"] == 1
    with pytest.raises(loyalty.CardBlockedError):
        till.redeem("X-1", CARD, 1)
    till.block("B-2", CARD, False, "lead-1")
    till.void("VO-1", "A-1", "lead-1", "wrong card")
    assert till.expire("EXP-1") == []
    till.rebuild_balances()
    done = []
    assert till.verify(lambda n, total: done.append((n, total)))["ok"] == 1
    assert till.program()["id"] == "py-shop"
