"""Datasets: the IDX reader on files in the real format, the embedded digits, the anomaly generator."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from bench.data import digits
from bench.data.anomalies import COLLECTIVE, CONTEXTUAL, POINT, make_series, make_suite
from bench.data.readers import idx


def write_idx(path, array: np.ndarray, gz: bool = False):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    data = header + array.astype(np.uint8).tobytes()
    (gzip.open if gz else open)(path, "wb").write(data)


@pytest.mark.parametrize("gz", [False, True])
def test_mnist_idx_files_are_found_and_parsed(tmp_path, gz):
    rng = np.random.default_rng(0)
    folder = tmp_path / "mnist"
    folder.mkdir()
    suffix = ".gz" if gz else ""
    x_train, x_test = rng.integers(0, 256, (6, 28, 28)), rng.integers(0, 256, (4, 28, 28))
    write_idx(folder / f"train-images-idx3-ubyte{suffix}", x_train, gz)
    write_idx(folder / f"train-labels-idx1-ubyte{suffix}", np.arange(6), gz)
    write_idx(folder / f"t10k-images-idx3-ubyte{suffix}", x_test, gz)
    write_idx(folder / f"t10k-labels-idx1-ubyte{suffix}", np.arange(4), gz)
    split = digits.load_images(tmp_path)
    assert split.info.name == "mnist" and split.info.variant == "real"
    assert split.x_train.shape == (6, 28, 28) and split.x_train.dtype == np.float32
    np.testing.assert_allclose(split.x_test * 255, x_test, atol=1e-4)
    np.testing.assert_array_equal(split.y_train, np.arange(6))


def test_decoded_arrays_are_cached_and_refreshed_when_a_file_changes(tmp_path, monkeypatch):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for stem, array in (("train-images-idx3-ubyte", np.zeros((2, 28, 28))), ("train-labels-idx1-ubyte", np.arange(2)),
                        ("t10k-images-idx3-ubyte", np.zeros((1, 28, 28))), ("t10k-labels-idx1-ubyte", np.arange(1))):
        write_idx(folder / stem, array)
    calls = []
    real_read = idx.read_idx
    monkeypatch.setattr(idx, "read_idx", lambda p: calls.append(p) or real_read(p))
    digits.load_images(tmp_path)
    digits.load_images(tmp_path)
    assert len(calls) == 4  # parsed once; the second run read the cache
    write_idx(folder / "t10k-labels-idx1-ubyte", np.array([7]))
    assert digits.load_images(tmp_path).y_test.tolist() == [7] and len(calls) == 8


def test_the_list_command_sees_real_files(tmp_path):
    import subprocess
    import sys

    from conftest import REPO

    folder = tmp_path / "mnist"
    folder.mkdir()
    for stem in idx.IDX_FILES.values():
        write_idx(folder / (stem + ".gz"), np.zeros((1, 28, 28)) if "images" in stem else np.arange(1), gz=True)
    out = subprocess.run([sys.executable, "-m", "bench.data", "--data-dir", str(tmp_path), "list"], cwd=REPO,
                         capture_output=True, text=True).stdout
    assert any(ln.startswith("mnist") and " real " in ln and str(folder) in ln for ln in out.splitlines()), out


def test_a_truncated_idx_file_says_what_is_wrong(tmp_path):
    path = tmp_path / "bad-idx3-ubyte"
    write_idx(path, np.zeros((3, 28, 28)))
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(ValueError, match="header says shape"):
        idx.read_idx(path)


def test_without_data_the_embedded_digits_are_used():
    split = digits.load_images(None, seed=7)
    assert split.info.name == "digits28" and split.info.variant == "embedded"
    assert split.x_train.shape[1:] == (28, 28) and split.x_train.dtype == np.float32
    assert 0 <= min(split.x_train.min(), split.x_test.min()) and max(split.x_train.max(), split.x_test.max()) <= 1
    assert len(split.y_train) + len(split.y_test) == 1797
    # Stratified: every class holds the same share of the test split (within rounding).
    counts = np.bincount(split.y_test, minlength=10) / np.bincount(np.concatenate([split.y_train, split.y_test]))
    assert counts.min() > 0.28 and counts.max() < 0.32
    # Still centred like MNIST: the warp shifts by at most 2 pixels, so the outer 2-pixel frame holds little
    # but the faint noise (sd 0.03, clipped at 0: mean about 0.012).
    frame = np.ones((28, 28), bool)
    frame[2:26, 2:26] = False
    assert split.x_test[:, frame].mean() < 0.03 and split.x_test[:, 8:20, 8:20].mean() > 0.2
    assert digits.load_digits28(7).info.checksum == split.info.checksum  # deterministic
    assert "7" not in split.info.source  # the seed is never written into the record


def test_anomaly_series_are_deterministic_and_hold_every_kind():
    a, info_a = make_suite(5)
    b, info_b = make_suite(5)
    assert info_a.checksum == info_b.checksum and make_suite(6)[1].checksum != info_a.checksum
    for s in a:
        counts = {k: int((s.kinds == k).sum()) for k in (POINT, CONTEXTUAL, COLLECTIVE)}
        assert counts[POINT] == 4 and counts[CONTEXTUAL] == 4 and counts[COLLECTIVE] >= s.period // 3
        assert np.isfinite(s.values).all() and 24 <= s.period <= 72


def test_contextual_anomalies_hide_from_a_global_threshold():
    """The calibration claim of the generator: raw-value z-scores cannot see contextual anomalies."""
    suite, _ = make_suite(11)
    caught = []
    for s in suite:
        z = np.abs(s.values - s.values.mean()) / s.values.std()
        caught.append((z > 3)[s.kinds == CONTEXTUAL].mean())
    assert max(caught) == 0.0


def test_short_series_are_refused_with_the_minimum():
    with pytest.raises(ValueError, match="at least 150"):
        make_series(np.random.default_rng(0), 100)
