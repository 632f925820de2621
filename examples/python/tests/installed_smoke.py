"""Run by install_test.sh with an installed package (not from the
checkout): a sale against a scratch ledger, a card read through the
simulated reader, and where the package found its header and library."""
import sys
import tempfile
from pathlib import Path

import loyalty

work = Path(tempfile.mkdtemp())
program = work / "program.json"
program.write_text('{"format": 1, "id": "s", "version": 1, "name": "S", "currency": "EUR",'
                   ' "earn": {"points": 1, "per": "1.00"}, "bonuses": {"signup": 5}}')
with loyalty.Terminal(database_path=str(work / "l.db"), terminal_id="t",
                      terminal_key=b"k" * 32, program_path=str(program)) as till:
    till.enroll("E-1", "9900 0000 0042")
    r = till.commit("R-1", "9900 0000 0042", loyalty.Basket("EUR").line("A", 1, 1999))
    assert r["earned"] == 19, r
    assert till.balance("9900 0000 0042")["balance"] == 24
# The card readers: libloyalty.so loads libloyalty_readers.so from beside
# itself (in the wheel, both are bundled).
with loyalty.Reader("sim:cards=990000000042") as reader:
    read = reader.wait(10_000)
    assert read["card"] == "990000000042", read
lib = loyalty.load()
print("package", Path(loyalty.__file__).parent)
print("header", lib.header.path)
print("library", lib.path)
expect = sys.argv[1] if len(sys.argv) > 1 else ""
if expect and not lib.header.path.startswith(expect):
    sys.exit(f"the header came from {lib.header.path}, not from {expect}")
