"""A gift-card load taken back after it synced reaches the reference
central server: a second till that syncs sees the server's balance. The
server is the build's loyalty-server ($LOYALTY_SERVER, set by ctest) over
TLS with a CA made here by the openssl command, as
examples/server/demo-sync.sh sets one up."""
import os
import subprocess
import time

import pytest

import loyalty

GIFT = "9900 0000 0091"
CARD = "9900 0000 0042"
CARD_KEY = b"the chain's card key, 32 bytes or more"
SERVER = os.environ.get("LOYALTY_SERVER")


def _run(*args, cwd):
    subprocess.run(list(args), cwd=cwd, check=True, capture_output=True, timeout=120)


@pytest.fixture
def server(tmp_path):
    """(url, folder): a loyalty-server serving central.db in `folder`."""
    if not SERVER:
        pytest.skip("LOYALTY_SERVER is not set (ctest sets it to the build's loyalty-server)")
    d = tmp_path
    _run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "2", "-subj", "/CN=Test Chain CA", "-addext",
         "basicConstraints=critical,CA:TRUE", "-keyout", "ca.key", "-out", "ca.pem", cwd=d)
    _run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
         "server.key", "-out", "server.csr", cwd=d)
    _run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
         "-CAcreateserial", "-copy_extensions", "copyall", "-days", "1", "-out", "server.pem",
         cwd=d)
    os.chmod(d / "server.key", 0o600)
    _run(SERVER, "keygen", "--private", "receipt.key", "--public", "receipt.pub", cwd=d)
    with open(d / "server.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [SERVER, "serve", "--db", "central.db", "--cert", "server.pem", "--key",
             "server.key", "--receipt-key", "receipt.key", "--port", "0", "--port-file",
             "port"], cwd=d, stdout=log, stderr=subprocess.STDOUT)
    try:
        give_up = time.monotonic() + 120  # a safety net: it starts in well under a second
        while not (d / "port").exists() or not (d / "port").read_text().strip():
            assert process.poll() is None, (d / "server.log").read_text()
            assert time.monotonic() < give_up, "the server did not start"
            time.sleep(0.05)
        yield f"https://127.0.0.1:{(d / 'port').read_text().strip()}", d
    finally:
        process.terminate()
        process.wait(timeout=60)


def _till(folder, name, program):
    key = f"terminal key of {name}, 32 bytes or more".encode()
    key_file = folder / f"{name}.key"
    key_file.write_bytes(key)
    os.chmod(key_file, 0o600)
    _run(SERVER, "add-terminal", "--db", "central.db", "--id", name, "--key-file",
         str(key_file), cwd=folder)
    return loyalty.Terminal(database_path=str(folder / f"{name}.db"), terminal_id=name,
                            terminal_key=key, card_key=CARD_KEY, program_path=program)


def test_a_load_voided_after_sync_reaches_the_server_and_the_other_till(server, program):
    url, folder = server
    receipt_key = (folder / "receipt.pub").read_text()
    a = _till(folder, "till-a", program)
    b = _till(folder, "till-b", program)
    sync_a = loyalty.Sync(a, url, ca_file=str(folder / "ca.pem"),
                          receipt_public_key_pem=receipt_key)
    sync_b = loyalty.Sync(b, url, ca_file=str(folder / "ca.pem"),
                          receipt_public_key_pem=receipt_key)
    a.enroll("E-1", CARD)
    a.load_gift_card("G-1", GIFT, 5000)
    sync_a.now()
    a.void_load("V-1", "G-1", "lead-1", "keyed wrong", amount_minor=2000)
    sync_a.now()
    sync_b.now()
    assert b.gift_card_balance(GIFT) == 3000

    # B spends 10.00 of it; once A has heard, A refuses that part.
    b.commit("R-1", CARD, loyalty.Basket("EUR").line("A", 1, 1000).gift_card(GIFT, 1000))
    sync_b.now()
    sync_a.now()
    with pytest.raises(loyalty.InsufficientFundsError, match="20.00 EUR is left to take back"):
        a.void_load("V-2", "G-1", "lead-1")
    a.void_load("V-2", "G-1", "lead-1", amount_minor=2000)
    sync_a.now()
    sync_b.now()
    assert b.gift_card_balance(GIFT) == 0
    assert sync_a.exceptions() == [] and sync_b.exceptions() == []
    for s in (sync_a, sync_b):
        s.close()
    for t in (a, b):
        t.close()
