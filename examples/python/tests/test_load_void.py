"""Gift-card loads and wallet top-ups taken back (Terminal.void_load): the
whole load or part of it, never the part already spent, idempotent on the
op_id, counted by the till report."""
import pytest

import loyalty

CARD = "9900 0000 0042"
GIFT = "9900 0000 0091"


def _pay_with_gift(till, op_id, amount_minor):
    return till.commit(op_id, CARD, loyalty.Basket("EUR").line("A", 1, amount_minor)
                       .gift_card(GIFT, amount_minor))


def test_a_mis_keyed_load_is_voided_whole(till):
    loaded = till.load_gift_card("G-1", GIFT, 50000)
    voided = till.void_load("V-1", "G-1", "lead-1", "keyed 500.00 for 50.00")
    assert voided["stored_value_minor"] == -50000
    assert voided["account_id"] == loaded["account_id"]
    assert voided["card_masked"] == loaded["card_masked"]
    assert till.gift_card_balance(GIFT) == 0
    # The same op_id again: the first answer, nothing written twice.
    again = till.void_load("V-1", "G-1", "lead-1", "keyed 500.00 for 50.00")
    assert again["replayed"] == 1
    assert again["stored_value_minor"] == -50000
    assert again["entry_seqs"] == voided["entry_seqs"]
    with pytest.raises(loyalty.AlreadyReversedError):
        till.void_load("V-2", "G-1", "lead-1")
    with pytest.raises(loyalty.DuplicateIdConflictError):
        till.void_load("V-1", "G-1", "lead-1", "keyed 500.00 for 50.00", amount_minor=100)


def test_part_of_a_load_comes_back_but_not_what_is_spent(till):
    till.enroll("E-1", CARD)
    till.load_gift_card("G-1", GIFT, 5000)
    _pay_with_gift(till, "R-1", 3000)
    with pytest.raises(loyalty.InsufficientFundsError) as refused:
        till.void_load("V-1", "G-1", "lead-1")
    assert ("30.00 EUR of load 'G-1' (50.00 EUR) is spent; 20.00 EUR is left to take back"
            in refused.value.message)
    with pytest.raises(loyalty.InsufficientFundsError):
        till.void_load("V-1", "G-1", "lead-1", amount_minor=2001)
    part = till.void_load("V-1", "G-1", "lead-1", amount_minor=1500)
    assert part["stored_value_minor"] == -1500
    assert till.gift_card_balance(GIFT) == 500
    rest = till.void_load("V-2", "G-1", "lead-1", amount_minor=500)
    assert rest["stored_value_minor"] == -500
    assert till.gift_card_balance(GIFT) == 0
    assert till.verify()["ok"] == 1


def test_what_is_not_a_load_is_refused_and_named(till):
    till.enroll("E-1", CARD)
    till.load_gift_card("G-1", GIFT, 2000)
    _pay_with_gift(till, "R-1", 500)
    with pytest.raises(loyalty.NotFoundError, match="no operation 'G-9'"):
        till.void_load("V-1", "G-9", "lead-1")
    with pytest.raises(loyalty.InvalidArgumentError, match="'R-1' is a sale"):
        till.void_load("V-1", "R-1", "lead-1")
    with pytest.raises(loyalty.InvalidArgumentError, match="loyalty_void_load"):
        till.void("V-1", "G-1", "lead-1", "keyed wrong")
    with pytest.raises(loyalty.InvalidArgumentError, match="operator_id"):
        till.void_load("V-1", "G-1", "")
    with pytest.raises(loyalty.InvalidArgumentError, match="amount_minor"):
        till.void_load("V-1", "G-1", "lead-1", amount_minor=0)
    assert till.gift_card_balance(GIFT) == 1500


def test_a_wallet_top_up_is_voided_and_the_report_counts_it(till):
    till.enroll("E-1", CARD)
    till.top_up_wallet("W-1", CARD, 2500)
    till.load_gift_card("G-1", GIFT, 1000)
    wallet = till.void_load("V-1", "W-1", "lead-1", cashier_id="ann")
    assert wallet["card"][0]["wallet_minor"] == 0
    till.void_load("V-2", "G-1", "lead-1", amount_minor=400, cashier_id="ann")
    total = till.till_report(0, 2**62)["total"][0]
    assert total["load_voids"] == 2
    assert total["wallet_voided_minor"] == 2500
    assert total["gift_card_voided_minor"] == 400
    assert total["gift_card_spent_minor"] == 0
