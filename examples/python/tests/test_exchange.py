"""An exchange at the service desk through the Python binding: goods of a
sale back and other goods bought in one operation."""
import pytest

import loyalty

CARD = "9900 0000 0042"
OTHER = "9900 0000 0059"


def sell(till):
    till.enroll("E-1", CARD, name="Ada")  # 50 points sign-up bonus
    # Line 0: tea at 20.00, line 1: a mug at 30.00 (1 point per euro).
    basket = loyalty.Basket("EUR").line("TEA", 1, 2000).line("MUG", 1, 3000)
    assert till.commit("R-1", CARD, basket)["earned"] == 50
    assert till.balance(CARD)["balance"] == 100


def test_the_mug_back_and_a_cup_instead(till):
    sell(till)
    cup = loyalty.Basket("EUR").line("CUP", 1, 1500)
    done = till.exchange("X-1", "R-1", {1: 1}, CARD, cup, cashier_id="maria")
    assert done["op_id"] == "X-1" and done["replayed"] == 0
    assert done["returned"]["earned"] == -30
    assert done["bought"]["earned"] == 15
    assert done["bought"]["card"][0]["balance"] == 85
    assert till.balance(CARD)["balance"] == 85

    # A retry after a timeout: the first result, nothing written twice.
    again = till.exchange("X-1", "R-1", {1: 1}, CARD, cup)
    assert again["replayed"] == 1
    assert (again["returned"]["earned"], again["bought"]["earned"]) == (-30, 15)
    assert till.balance(CARD)["balance"] == 85
    with pytest.raises(loyalty.DuplicateIdConflictError):
        till.exchange("X-1", "R-1", {1: 1}, CARD, loyalty.Basket("EUR").line("CUP", 1, 2500))

    # The cup comes back by the exchange's op_id.
    assert till.refund("RET-1", "X-1")["earned"] == -15
    assert till.balance(CARD)["balance"] == 70
    assert till.verify()["ok"] == 1


def test_a_refused_exchange_writes_neither_half(till):
    sell(till)
    till.enroll("E-2", OTHER, name="Grace")
    cup = loyalty.Basket("EUR").line("CUP", 1, 1500)
    with pytest.raises(loyalty.InvalidArgumentError) as caught:
        till.exchange("X-1", "R-1", {1: 1}, OTHER, cup)
    assert "purchase.card" in caught.value.message
    with pytest.raises(loyalty.InvalidArgumentError, match="line"):
        till.exchange("X-2", "R-1", {7: 1}, CARD, cup)
    with pytest.raises(loyalty.InvalidArgumentError, match="count"):
        till.exchange("X-3", "R-1", {}, CARD, cup)
    assert till.balance(CARD)["balance"] == 100
    # The mug is still there to return.
    assert till.refund_lines("RET-1", "R-1", {1: 1})["earned"] == -30
