"""The demo's morning in Python runs to its end with the figures of the story."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def test_the_morning_runs_and_the_ledger_verifies(tmp_path):
    program = HERE.parents[0] / "programs" / "supermarket.json"
    run = subprocess.run([sys.executable, str(HERE / "morning.py"), str(program),
                          str(tmp_path / "ledger.db")], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr + run.stdout
    out = run.stdout
    assert "Frischmarkt Bonus" in out
    assert "retry wrote nothing" in out
    assert "refused (invalid_argument)" in out
    assert "ledger verifies" in out
