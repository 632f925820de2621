"""examples/programs/starter.json, the program to start from: a card
signed up at the till can take the welcome reward in the same sale."""
from pathlib import Path

import loyalty

STARTER = Path(__file__).resolve().parents[2] / "programs" / "starter.json"


def test_a_new_card_takes_the_welcome_reward_on_its_first_day(tmp_path, clock):
    with loyalty.Terminal(database_path=str(tmp_path / "l.db"), terminal_id="t",
                          terminal_key=b"s" * 32, program_path=str(STARTER),
                          clock=clock) as till:
        assert till.enroll("E-1", "9900 0000 0042", name="Ada")["earned"] == 200
        assert till.balance("9900 0000 0042")["available"] == 200
        basket = loyalty.Basket("EUR").line("4011", 1, 1240).reward("welcome-off")
        sale = till.commit("R-1", "9900 0000 0042", basket)
        assert (sale["redeemed"], sale["discount_minor"], sale["earned"]) == (200, 200, 10)
        # Nothing waits for a return window: the points of the sale are spendable.
        assert till.balance("9900 0000 0042") == {**till.balance("9900 0000 0042"),
                                                   "available": 10, "pending": 0}
