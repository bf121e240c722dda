"""Download a dataset's canonical files, verified, resumable, atomic.

Each file streams into `<name>.part` while its SHA-256 is computed; a broken
connection resumes from where it stopped (HTTP Range) a few times; the file
appears under its real name only once its size and checksum match. On any
failure the partial file is removed, so a data directory never holds a file
that looks complete and is not. No network fails in seconds with a message
that says what to download by hand and where to put it.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

from . import DatasetSpec, RemoteFile

CHUNK = 1 << 16
USER_AGENT = "labmark-fetch/1"


class FetchError(Exception):
    pass


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def fetch(spec: DatasetSpec, root: Path, timeout: float = 10.0, retries: int = 3,
          log: Callable[[str], None] = print) -> list[Path]:
    """Every file of `spec` present and verified under root/spec.folder; returns their paths."""
    folder = root / spec.folder
    if not spec.files:
        raise FetchError(f"{spec.name} has no download the harness can verify. Put its files in {folder} by hand "
                         f"(see the loader's documentation), or rely on the embedded default: {spec.embedded}.")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for remote in spec.files:
        path = folder / remote.name
        if path.exists() and path.stat().st_size == remote.size and sha256_of(path) == remote.sha256:
            log(f"{remote.name}: present, checksum ok")
        else:
            log(f"{remote.name}: downloading {remote.size / 1e6:.1f} MB from {remote.url}")
            download(remote, path, timeout, retries, spec, log)
            log(f"{remote.name}: done, checksum ok")
        paths.append(path)
    return paths


def download(remote: RemoteFile, path: Path, timeout: float, retries: int, spec: DatasetSpec,
             log: Callable[[str], None]) -> None:
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)  # a stale partial file from another run is not trusted
    try:
        for attempt in range(1, retries + 1):
            have = part.stat().st_size if part.exists() else 0
            try:
                _transfer(remote, part, have, timeout)
                break
            except urllib.error.HTTPError as exc:
                raise FetchError(f"{remote.url} answered HTTP {exc.code} ({exc.reason}). Expected the file "
                                 f"{remote.name}. Likely cause: the file has moved; download it by hand into "
                                 f"{path.parent} (size {remote.size} bytes, sha256 {remote.sha256}).") from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                got = part.stat().st_size if part.exists() else 0
                if got == 0 and have == 0 and attempt == 1 and _unreachable(exc):
                    raise FetchError(_no_network(remote, path, spec, exc)) from None
                if attempt == retries:
                    raise FetchError(f"{remote.url}: the connection kept breaking ({_reason(exc)}); got {got} of "
                                     f"{remote.size} bytes after {retries} attempts. Try again later, or download "
                                     f"it by hand into {path.parent}.") from None
                log(f"{remote.name}: connection broken at {got} of {remote.size} bytes ({_reason(exc)}); resuming")
                time.sleep(0.2 * attempt)
        size, digest = part.stat().st_size, sha256_of(part)
        if size != remote.size or digest != remote.sha256:
            raise FetchError(f"{remote.name}: checksum mismatch. Expected {remote.size} bytes with sha256 "
                             f"{remote.sha256}; got {size} bytes with sha256 {digest}. The download was "
                             "corrupted or the mirror serves a different file; the bad copy was deleted.")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _transfer(remote: RemoteFile, part: Path, have: int, timeout: float) -> None:
    headers = {"User-Agent": USER_AGENT}
    if have:
        headers["Range"] = f"bytes={have}-"
    with urllib.request.urlopen(urllib.request.Request(remote.url, headers=headers), timeout=timeout) as resp:
        mode = "ab" if have and resp.status == 206 else "wb"  # a server that ignores Range sends it all again
        expected = resp.headers.get("Content-Length")
        written = 0
        with open(part, mode) as out:
            while chunk := resp.read(CHUNK):
                out.write(chunk)
                written += len(chunk)
                if part.stat().st_size > remote.size:
                    raise FetchError(f"{remote.url} sent more than the expected {remote.size} bytes")
        if expected is not None and written < int(expected):
            raise ConnectionResetError(f"connection closed after {written} of {expected} bytes")


def _unreachable(exc: Exception) -> bool:
    reason = getattr(exc, "reason", exc)
    return isinstance(reason, (socket.gaierror, ConnectionRefusedError, socket.timeout, TimeoutError, OSError)) \
        and not isinstance(reason, ConnectionResetError)


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "reason", exc))


def _no_network(remote: RemoteFile, path: Path, spec: DatasetSpec, exc: Exception) -> str:
    listing = "; ".join(f"{f.name} ({f.size} bytes, sha256 {f.sha256}) from {f.url}" for f in spec.files)
    return (f"Could not reach {urllib.request.urlparse(remote.url).netloc} ({_reason(exc)}): this machine seems "
            f"to have no network. Either download these files elsewhere and put them in {path.parent}: {listing}. "
            f"Or do nothing: the bench uses the embedded default ({spec.embedded}).")
