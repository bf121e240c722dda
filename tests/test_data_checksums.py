"""Generated data is byte-identical for a given seed: every embedded default, at its default seed and at
another, and the generators called directly, against checksums pinned here.

The digests were measured on commit 3d65404, before the dataset modules were split into readers, generators
and one module per dataset; a change to any generator (or to the order in which it draws) shows here. A
deliberate change to a generator bumps its dataset's version and its digests together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.data import DatasetInfo, Split, checksum
from bench.data.adult import load_embedded_adult
from bench.data.anomalies import make_suite
from bench.data.churn import load_churn, make_table
from bench.data.cifar10 import load_cifar_shapes
from bench.data.digits import load_digits28
from bench.data.drivers import make_driven_table
from bench.data.en_fr import load_embedded_parallel
from bench.data.fashion_mnist import load_fashion_shapes
from bench.data.generators.adult import make_adult
from bench.data.generators.cifar_shapes import cifar_shapes
from bench.data.generators.digits28 import digits28
from bench.data.generators.fashion_shapes import fashion_shapes
from bench.data.generators.parallel import make_parallel
from bench.data.generators.reviews import review_corpus
from bench.data.generators.topical import topical_corpus
from bench.data.imdb import load_reviews
from bench.data.newsgroups import load_topical
from bench.data.registry import datasets
from bench.data.shipped import load_breast_cancer

FASHION = ["t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"]
CIFAR = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
TOPICS = ["comp.graphics", "comp.sys.hardware", "comp.os.windows", "rec.autos", "rec.motorcycles",
          "rec.sport.baseball", "rec.sport.hockey", "sci.space", "sci.med", "sci.crypt", "talk.politics.guns",
          "talk.religion"]
SENTIMENTS = ["negative", "positive"]

# What `spec.load(None)` gives for every dataset of the registry: (name, variant, version, checksum, sizes).
DEFAULT_LOADS = {
    "mnist": ("digits28", "embedded", "sklearn-digits/28x28-bilinear/hidden-split-warp/v2",
              "02fe7a806aa6890295d6211fbf8175ca5f29361224484e6c2b69c7bbac7cb782", {"train": 1258, "test": 539}),
    "fashion-mnist": ("fashion-shapes28", "embedded", "fashion-shapes/v1",
                      "29e05cf1a5842c4392fde04db01f5df2a525acc1e2568d6446a32e9c75e58b97",
                      {"train": 5400, "val": 600, "test": 1000, "classes": FASHION}),
    "cifar-10": ("cifar-shapes32", "embedded", "cifar-shapes/v1",
                 "9b3e1809273b47880e11c94f9696eb5f64ae84a53f02d950a42c26f36abd3237",
                 {"train": 4500, "val": 500, "test": 1000, "classes": CIFAR}),
    "20newsgroups": ("topical-news", "embedded", "topical-news/v1",
                     "390dcaa958bafec3ea902369d1acf799f34c238165eeb15e3139022733759f1e",
                     {"train": 3000, "test": 1000, "classes": TOPICS}),
    "imdb": ("movie-reviews", "embedded", "movie-reviews/v1",
             "35669df6aa7d391c96539f926c3e240072b52d98b10e65f38484d3b754d5f128",
             {"train": 2000, "test": 1000, "classes": SENTIMENTS}),
    "en-fr": ("en-fr-grammar", "embedded", "en-fr-grammar/v1",
              "5935949d8d8a394a95959934e2ce7d1826531f07893589286b015880882c8a8f",
              {"train": 20000, "val": 500, "test": 1000}),
    "adult": ("adult-synthetic", "embedded", "adult-synthetic/v1",
              "8080594333783d1bb2fc73bf7f07da75b24b6e36c38fe7653abcb919151af158", {"train": 8000, "test": 2000}),
    "churn-table": ("churn-table", "embedded", "churn-table/v1",
                    "b16f047291fc486cbe87816d5af1fd8b25530fd4d8021ab0f759d01b3eeffac7",
                    {"train": 40000, "test": 10000}),
    "seasonal-anomalies": ("seasonal-anomalies", "embedded", "seasonal-anomalies/v1",
                           "f4de64d0c270223c25d720b0d4a7d38852dad9faaa17108521ed689bf55a27c3",
                           {"series": 8, "length": 1200, "anomalous_samples": 374}),
    "driven-table": ("driven-table", "embedded", "driven-table/v1",
                     "019dc160abd35ad58d85156987a30d3feeffe363ca8b87857d43256a4fa183a7",
                     {"train": 1500, "test": 500, "features": 10}),
    "breast-cancer": ("breast-cancer", "real", "sklearn/hidden-split/synthetic-test-lognormal/v2",
                      "17f6fa73e8473fe0f4de275b9b54335950f68596e231aeb5856d036779742fe4",
                      {"train": 427, "test": 5000, "features": 30}),
    "cartpole": None,  # built by gymnasium in the worker: nothing to load
}


def _info(loaded) -> DatasetInfo:
    """The DatasetInfo of whatever a loader returns: a Split, or (anything, DatasetInfo) as make_suite does."""
    if isinstance(loaded, Split):
        return loaded.info
    return loaded[1]


def test_every_dataset_is_pinned():
    assert sorted(datasets()) == sorted(DEFAULT_LOADS)


@pytest.mark.parametrize("name", sorted(DEFAULT_LOADS))
def test_the_default_load_of_every_dataset_is_unchanged(name):
    loaded = datasets()[name].load(None)
    if DEFAULT_LOADS[name] is None:
        assert loaded is None
        return
    info = _info(loaded)
    assert (info.name, info.variant, info.version, info.checksum, info.sizes) == DEFAULT_LOADS[name]


OTHER_SEED = 7
OTHER_SEED_LOADS = {
    "digits28": (lambda: load_digits28(OTHER_SEED),
                 "49c66a0e10acfd5a1716e8e40ff9159aed34245fb5607395e56add56b7d233b0", {"train": 1258, "test": 539}),
    "fashion-shapes28": (lambda: load_fashion_shapes(OTHER_SEED),
                         "87b9578b4fe3494edcc929beb79e444b325cb80c9ab72681b064ce381bd79dec",
                         {"train": 5400, "val": 600, "test": 1000, "classes": FASHION}),
    "cifar-shapes32": (lambda: load_cifar_shapes(OTHER_SEED),
                       "d40f64530dfbe2c2a24cc957f3f92c3ed4193af6d2b340cf5d7ac838a9b93170",
                       {"train": 4500, "val": 500, "test": 1000, "classes": CIFAR}),
    "topical-news": (lambda: load_topical(OTHER_SEED),
                     "47f7a675929a4d46301f8b9a35398345f652be68497e4b7037bfd99c127f92ae",
                     {"train": 3000, "test": 1000, "classes": TOPICS}),
    "movie-reviews": (lambda: load_reviews(OTHER_SEED),
                      "0d78519fc56a6817ed7701dc6332a0518633f41f87bce8089790d6ae5e75868d",
                      {"train": 2000, "test": 1000, "classes": SENTIMENTS}),
    "en-fr-grammar": (lambda: load_embedded_parallel(OTHER_SEED),
                      "f1aab7b84307153fb2fa56e49f6a40b45c84ddcf74a8fdadb07fbb8067086113",
                      {"train": 20000, "val": 500, "test": 1000}),
    "adult-synthetic": (lambda: load_embedded_adult(OTHER_SEED),
                        "973da3522261e11d7d3d38222b2a4bf31c8f4ccb2d3f6e48584eef0fe2d6bb22",
                        {"train": 8000, "test": 2000}),
    "churn-table": (lambda: load_churn(seed=OTHER_SEED),
                    "9a995138295d066e036cf27307fd301273a9011f64a0f7ce2ed75f6c5e9e40c4",
                    {"train": 40000, "test": 10000}),
    "breast-cancer": (lambda: load_breast_cancer(None, OTHER_SEED),
                      "4ddb1eed90efd6817fa14d957f1e9b63d170db20417bb2921537416a8c06eee3",
                      {"train": 427, "test": 5000, "features": 30}),
    "seasonal-anomalies": (lambda: make_suite(OTHER_SEED),
                           "181ea8c54a9752bc6fcf1cb732e9289bd8eb8d2997669ed0449cd147d914cf05",
                           {"series": 8, "length": 1200, "anomalous_samples": 341}),
    "driven-table": (lambda: make_driven_table(OTHER_SEED)[0],
                     "1d2a21118aa4d8c614a125d367ad58dad165f5a862aef89535b82328a2a261e0",
                     {"train": 1500, "test": 500, "features": 10}),
}


@pytest.mark.parametrize("name", sorted(OTHER_SEED_LOADS))
def test_the_embedded_data_at_another_seed_is_unchanged(name):
    load, digest, sizes = OTHER_SEED_LOADS[name]
    info = _info(load())
    assert (info.name, info.checksum, info.sizes) == (name, digest, sizes)


def _frame_digest(df: pd.DataFrame) -> str:
    """checksum over a frame's columns: numbers as they are, anything else as strings ('?' for missing)."""
    parts: list = [list(df.columns)]
    for c in df.columns:
        col = df[c]
        parts.append(col.to_numpy() if pd.api.types.is_numeric_dtype(col)
                     else [v if isinstance(v, str) else "?" for v in col])
    return checksum(*parts)


GENERATOR_CALLS = {
    "fashion_shapes": (lambda: checksum(*fashion_shapes(100, 3, part=2)),
                       "88eb606ee873ea8a0495b8bc8de395b0d039318a6b5b89a9d49aebc0d8b34893"),
    "cifar_shapes": (lambda: checksum(*cifar_shapes(100, 3, part=2)),
                     "f9ecb3c8f0fd6319b2bbbd9af15e31e911c0ccb3a4bea2ac2aaa1c9c177e7d50"),
    "topical_corpus": (lambda: checksum(*topical_corpus(3, 120)),
                       "339d6b223efa87f307671f494c95bf6b12009247b52f0c471296a4537d3d9e2e"),
    "review_corpus": (lambda: checksum(*review_corpus(3, 120)),
                      "13d31f46c7e78314b07539ddc3d005c1607b80d390003c428fa9b1c888ceb4c1"),
    "make_parallel": (lambda: checksum(*[side for part in make_parallel(3, 300, 20, 40).values() for side in part]),
                      "43e5e1dd26e7b023c66f80c34421f6c3385d12e54b5c072a616b79df3c1b0198"),
    "make_adult": (lambda: _frame_digest(make_adult(3, 500)[0]),
                   "2b45e4447db51b6350fb86766596006dc1030e1b970af1e3ec465d6ab2fd433c"),
    "digits28": (lambda: checksum(*digits28()), "428a8a9676625b2f950106ee3d64357a37c91d9af47ae6602bd6704ab3750fc3"),
    "churn make_table": (lambda: _frame_digest(make_table(1000, 3)),
                         "191434ee646f21e06ed8112be485b6d555daceb4f5056231d4f5c8df7672a49e"),
    "make_suite": (lambda: make_suite(3, 2, 300)[1].checksum,
                   "7bb3e1c4cedad7bb31de6bc45905e6befe9f68bd7b5d34db061e53c2ab8df109"),
    "make_driven_table": (lambda: make_driven_table(3, 100, 50)[0].info.checksum,
                          "8e6489f2d8a78c2b593c763668b68e738fd5cde653190bed4e7afba973a7d6ee"),
}


@pytest.mark.parametrize("name", sorted(GENERATOR_CALLS))
def test_a_generator_called_directly_gives_the_same_bytes(name):
    compute, digest = GENERATOR_CALLS[name]
    assert compute() == digest


def test_the_designs_and_drivers_drawn_from_a_seed_are_unchanged():
    assert make_driven_table(OTHER_SEED)[1] == (8, 6, 1)
    assert make_driven_table(3, 100, 50)[1] == (6, 9, 8)
    design = make_adult(3, 500)[1]
    assert np.isclose(design.d_sex, -0.675324, atol=1e-6)
