"""CIFAR-10, tiny colour images for the VAE homework.

Real data: the python version's pickled batches or the binary version's records (`readers/cifar.py`),
CIFAR-10's own 50k/10k split with a stratified validation part, `val_fraction` (0.1) of train, fixed by the
seed.

Embedded default: `cifar_shapes` (`generators/cifar_shapes.py`), generated 32x32 colour scenes, one object
each, 5,000 train (of which 500 validation) and 1,000 test, train and test independent draws from the seed;
about 2 s of CPU.
Preserved: shape, range and 256 levels, ten balanced classes with CIFAR-10's names and order, objects of
varying size and place on cluttered coloured backgrounds that correlate with the class, CIFAR-10's confusions
(cat/dog, car/truck, deer/horse, bird with airplane and deer) and its difficulty for pixel models. Measured on
2,000/1,000 images: nearest centroid 0.25-0.27, extra trees on 2x2-averaged pixels 0.44-0.47 over 8 seeds
(not measured here on real CIFAR-10; the figures usually reported for these model families on its raw pixels
are about 0.28 and 0.45-0.5).
Not preserved: natural images (real texture, pose, occlusion, lighting), the size (50k/10k); a VAE's
likelihoods and samples are not comparable with the real set's, and targets are kept per variant.
"""

from __future__ import annotations

from . import DEFAULT_SEED, DatasetSpec, RemoteFile, Split
from .generators.cifar_shapes import CIFAR_SHAPES_VERSION, cifar_shapes
from .readers.cifar import CIFAR_ARCHIVES, CIFAR_CLASSES, find_cifar10, load_cifar10_files
from .splits import drawn_image_split


def load_cifar_shapes(seed: int = DEFAULT_SEED, n_train: int = 5000, n_test: int = 1000,
                      val_fraction: float = 0.1) -> Split:
    """The embedded default: generated scenes (train and test drawn independently from the seed)."""
    return drawn_image_split(cifar_shapes, n_train, n_test, seed, CIFAR_CLASSES, val_fraction,
                             name="cifar-shapes32", variant="embedded", version=CIFAR_SHAPES_VERSION,
                             source=f"generated 32x32 colour scenes in the 10 CIFAR-10 classes "
                                    f"(bench.data.generators.cifar_shapes), seed {seed}")


# The python version. TensorFlow Datasets' url_checksums/cifar10.txt lists only the *binary* archive
# (cifar-10-binary.tar.gz, 170052171 bytes, sha256 c4a38c50...), so this SHA-256 is the one Keras pins for
# this URL (keras/src/datasets/cifar10.py, `file_hash`). Neither records the size: 170498071 bytes is the
# size independent projects record next to this SHA-256 and torchvision's MD5 for the archive
# (c58f30108f718f92721af3b95e74349a); fetch checks the SHA-256 either way.
CIFAR10_FILES = (RemoteFile("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
                            "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce", 170498071,
                            CIFAR_ARCHIVES["python"]),)

SPEC = DatasetSpec(
    name="cifar-10", title="CIFAR-10 tiny colour images (python version)", folder="cifar-10",
    files=CIFAR10_FILES, used_by=("homework",),
    embedded="cifar-shapes32: generated 32x32 colour scenes in the 10 CIFAR-10 classes",
    find=find_cifar10, read=load_cifar10_files, generate=load_cifar_shapes,
)
DATASETS = (SPEC,)

load_cifar10 = SPEC.load  # (data_dir=None, seed=None): real CIFAR-10 if found, else the generated scenes
