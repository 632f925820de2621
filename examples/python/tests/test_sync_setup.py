"""Sync from Python against the reference server (loyalty-server, over TLS
on 127.0.0.1 with a CA made here): a till set up wrong is told what is
wrong and which option to fix, each as its own exception class.

Needs $LOYALTY_SERVER (ctest sets it to the build's loyalty-server) and
the openssl command."""
import os
import shutil
import subprocess
import time

import pytest

import loyalty

PROGRAM = """{"format": 1, "id": "py-sync", "version": 1, "name": "Py Sync",
 "currency": "EUR", "earn": {"points": 1, "per": "1.00"}, "bonuses": {"signup": 10}}
"""
SERVER = os.environ.get("LOYALTY_SERVER")
START_LIMIT_S = 60  # a safety net: the server writes its port file within a second


def _run(*args, cwd):
    done = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"


class Central:
    """The reference server with its CA, receipt key and program key."""

    def __init__(self, folder):
        self.folder = folder
        f = str(folder)
        _run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-days", "2", "-subj", "/CN=Py Test CA", "-addext",
             "basicConstraints=critical,CA:TRUE", "-keyout", "ca.key", "-out", "ca.pem", cwd=f)
        _run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", "server.key", "-out", "server.csr", cwd=f)
        _run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-copy_extensions", "copyall", "-days", "1",
             "-out", "server.pem", cwd=f)
        _run(SERVER, "keygen", "--private", "receipt.key", "--public", "receipt.pub", cwd=f)
        _run(SERVER, "keygen", "--private", "program.key", "--public", "program.pub", cwd=f)
        self.ca_pem = (folder / "ca.pem").read_text()
        self.receipt_pub = (folder / "receipt.pub").read_text()
        self.program_pub = (folder / "program.pub").read_text()
        self.log = open(folder / "server.log", "w")
        self.process = subprocess.Popen(
            [SERVER, "serve", "--db", "central.db", "--cert", "server.pem", "--key",
             "server.key", "--receipt-key", "receipt.key", "--port", "0", "--port-file", "port"],
            cwd=f, stdout=self.log, stderr=subprocess.STDOUT)
        port = folder / "port"
        deadline = time.monotonic() + START_LIMIT_S
        while not (port.exists() and port.read_text().strip()):
            assert self.process.poll() is None, (folder / "server.log").read_text()
            assert time.monotonic() < deadline, "the server wrote no port file"
            time.sleep(0.05)
        self.url = f"https://127.0.0.1:{port.read_text().strip()}"

    def add_terminal(self, terminal_id, key):
        path = self.folder / f"{terminal_id}.key"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        _run(SERVER, "add-terminal", "--db", "central.db", "--id", terminal_id,
             "--key-file", str(path), cwd=str(self.folder))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    if not SERVER:
        pytest.skip("LOYALTY_SERVER is not set (ctest sets it to the build's loyalty-server)")
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is missing")
    server = Central(tmp_path_factory.mktemp("central"))
    yield server
    server.stop()


@pytest.fixture
def open_synced(tmp_path, central):
    """A till on the wall clock (the server checks request times) with a
    Sync to the server; receipt_key defaults to the server's."""
    program = tmp_path / "program.json"
    program.write_text(PROGRAM, encoding="utf-8")
    handles = []

    def opener(terminal_id, key, *, db=None, receipt_key=None):
        till = loyalty.Terminal(database_path=str(tmp_path / (db or f"{terminal_id}.db")),
                                terminal_id=terminal_id, terminal_key=key,
                                program_path=str(program))
        till.enroll(f"E-{len(handles)}", f"99000000{len(handles):04d}", name="Ada")
        sync = loyalty.Sync(till, central.url, ca_pem=central.ca_pem,
                            receipt_public_key_pem=receipt_key or central.receipt_pub,
                            program_public_key_pem=central.program_pub,
                            connect_timeout_ms=3000, request_timeout_ms=10000)
        handles.extend([sync, till])
        return till, sync
    yield opener
    for handle in handles:
        handle.close()


def test_an_unregistered_till_is_unknown_terminal_until_it_is_added(central, open_synced):
    key = b"terminal key of py-new, 32 bytes or more"
    _, sync = open_synced("py-new", key)
    with pytest.raises(loyalty.UnknownTerminalError) as caught:
        sync.now()
    assert caught.value.status == loyalty.Status.UNKNOWN_TERMINAL
    assert caught.value.name == "unknown_terminal"
    assert "'py-new'" in caught.value.message
    assert "terminal_id" in caught.value.message
    assert "loyalty-server add-terminal" in caught.value.message
    status = sync.status()
    assert status["last_error_code"] == loyalty.Status.UNKNOWN_TERMINAL
    assert status["backlog"] == status["head_seq"] > 0  # kept, nothing dropped
    central.add_terminal("py-new", key)
    sync.now()
    assert sync.status()["backlog"] == 0


def test_a_terminal_key_that_is_not_the_servers_is_key_mismatch(central, open_synced):
    central.add_terminal("py-key", b"the key the server holds for py-key, 32+")
    _, sync = open_synced("py-key", b"another key of py-key, 32 bytes or more")
    with pytest.raises(loyalty.KeyMismatchError, match="terminal_key"):
        sync.now()


def test_a_receipt_key_that_is_not_the_servers_is_key_mismatch(central, open_synced):
    key = b"terminal key of py-receipt, 32 bytes or more"
    central.add_terminal("py-receipt", key)
    # The program key where the receipt key belongs: an easy slip.
    _, sync = open_synced("py-receipt", key, receipt_key=central.program_pub)
    with pytest.raises(loyalty.KeyMismatchError, match="receipt_public_key_pem"):
        sync.now()
    assert sync.status()["acked_seq"] == 0


def test_a_cloned_till_is_a_sync_fork_at_its_seq(central, open_synced):
    key = b"terminal key of py-fork, 32 bytes or more"
    central.add_terminal("py-fork", key)
    _, first = open_synced("py-fork", key)
    first.now()
    # A second ledger under the same id and key: another history from seq 1.
    _, clone = open_synced("py-fork", key, db="clone.db")
    with pytest.raises(loyalty.SyncForkError, match="fork at seq 1") as caught:
        clone.now()
    assert "docs/sync-protocol.md" in caught.value.message
    status = clone.status()
    assert status["is_halted"] == 1
    assert status["last_error_code"] == loyalty.Status.SYNC_FORK
    with pytest.raises(loyalty.SyncForkError):  # stopped, not retried
        clone.now()
