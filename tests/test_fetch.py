"""`fetch` against a server on 127.0.0.1: each way a download can go, with its exact outcome."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.data import DatasetSpec, RemoteFile
from bench.data.fetch import FetchError, fetch
from conftest import REPO

GOOD = bytes(range(256)) * 4096  # 1 MiB
SHA = hashlib.sha256(GOOD).hexdigest()


class Handler(BaseHTTPRequestHandler):
    requests: list[tuple[str, str | None]] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        Handler.requests.append((self.path, self.headers.get("Range")))
        start = int(self.headers["Range"].split("=")[1].rstrip("-")) if self.headers.get("Range") else 0
        if self.path == "/missing.bin":
            self.send_error(404, "Not Found")
            return
        body = GOOD.replace(b"\x00", b"\x01", 1) if self.path == "/corrupt.bin" else GOOD
        if self.path == "/no-range.bin":
            start = 0  # a server that ignores Range and sends everything again
        cut = self.path.startswith("/broken") and (start == 0 or self.path == "/broken-always.bin")
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(body) - start))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.end_headers()
        if cut:  # promise the whole file, send a third, hang up
            self.wfile.write(body[start:start + (len(body) - start) // 3])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body[start:])


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def spec_for(url: str, sha: str = SHA, size: int = len(GOOD)) -> DatasetSpec:
    return DatasetSpec(name="toy", title="toy", folder="toy", files=(RemoteFile(url, sha, size, "toy.bin"),),
                       used_by=(), embedded="a generator", generate=lambda seed: None)


def test_a_good_file_is_downloaded_verified_and_kept(server, tmp_path):
    [path] = fetch(spec_for(f"{server}/good.bin"), tmp_path, log=lambda m: None)
    assert path == tmp_path / "toy" / "toy.bin" and path.read_bytes() == GOOD
    Handler.requests.clear()
    messages = []
    fetch(spec_for(f"{server}/good.bin"), tmp_path, log=messages.append)
    assert messages == ["toy.bin: present, checksum ok"] and Handler.requests == []  # not downloaded again


def test_a_checksum_mismatch_leaves_nothing(server, tmp_path):
    with pytest.raises(FetchError, match=f"checksum mismatch. Expected {len(GOOD)} bytes with sha256 {SHA}"):
        fetch(spec_for(f"{server}/corrupt.bin"), tmp_path, log=lambda m: None)
    assert list((tmp_path / "toy").iterdir()) == []


def test_a_broken_connection_resumes_where_it_stopped(server, tmp_path):
    Handler.requests.clear()
    [path] = fetch(spec_for(f"{server}/broken-once.bin"), tmp_path, log=lambda m: None)
    assert path.read_bytes() == GOOD
    ranges = [r for p, r in Handler.requests if p == "/broken-once.bin"]
    assert ranges[0] is None and ranges[1] == f"bytes={len(GOOD) // 3}-"  # the second request resumed


def test_a_server_ignoring_range_still_gives_a_correct_file(server, tmp_path):
    Handler.requests.clear()
    [path] = fetch(spec_for(f"{server}/no-range.bin"), tmp_path, log=lambda m: None)
    assert path.read_bytes() == GOOD


def test_a_connection_that_always_breaks_fails_and_cleans_up(server, tmp_path):
    with pytest.raises(FetchError, match="kept breaking.*after 3 attempts"):
        fetch(spec_for(f"{server}/broken-always.bin"), tmp_path, log=lambda m: None)
    assert list((tmp_path / "toy").iterdir()) == []


def test_a_missing_file_names_the_status(server, tmp_path):
    with pytest.raises(FetchError, match="answered HTTP 404"):
        fetch(spec_for(f"{server}/missing.bin"), tmp_path, log=lambda m: None)
    assert list((tmp_path / "toy").iterdir()) == []


def test_an_unreachable_host_fails_in_seconds_and_says_what_to_do(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(FetchError, match="seems to have no network.*toy.bin.*embedded default"):
        fetch(spec_for(f"http://127.0.0.1:{port}/toy.bin"), tmp_path, log=lambda m: None)
    assert time.monotonic() - started < 5
    assert list((tmp_path / "toy").iterdir()) == []


def test_the_cli_lists_datasets_and_refuses_unknown_names(tmp_path):
    listing = subprocess.run([sys.executable, "-m", "bench.data", "--data-dir", str(tmp_path), "list"], cwd=REPO,
                             capture_output=True, text=True)
    assert listing.returncode == 0
    assert any(line.startswith("mnist") and "exp01" in line and "embedded" in line
               for line in listing.stdout.splitlines())
    unknown = subprocess.run([sys.executable, "-m", "bench.data", "fetch", "mnits"], cwd=REPO,
                             capture_output=True, text=True)
    assert unknown.returncode == 2 and "unknown dataset mnits" in unknown.stderr
