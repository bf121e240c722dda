"""Fashion-MNIST, clothing images for Experiment 2 (a GAN).

Real data: the four IDX files (`readers/idx.py`), Fashion-MNIST's own 60k/10k split with a stratified
validation part, `val_fraction` (0.1) of train, fixed by the seed.

Embedded default: `fashion_shapes` (`generators/fashion_shapes.py`), generated clothing silhouettes, 6,000
train (of which 600 validation) and 1,000 test, train and test independent draws from the seed; about 0.7 s
of CPU.
Preserved: the geometry (28x28, items centred and filling the frame, zero background), value range and 256
levels, ten balanced classes with Fashion-MNIST's names and label order, and its difficulty structure: shirt
is the hardest class, confused with t-shirt, pullover and coat; pullover and coat confuse each other;
trouser, bag and footwear are near perfect; a pixel-template model trails a nonlinear one by about 0.2.
Measured on 2,000 train / 1,000 test images (tests/test_data_images.py): nearest centroid 0.65-0.69, extra
trees 0.86-0.87 over 8 seeds; on real Fashion-MNIST subsets of the same sizes, 0.66-0.68 and 0.79-0.84.
Not preserved: photographs (no folds, real logos, straps or shadows), the size (60k/10k), exact per-class
rates (footwear is easier here, shirts harder), pixel statistics (Gaussian naive Bayes scores about 0.67
here, 0.53-0.56 on the real subsets); so absolute accuracies and a GAN's scores are not comparable with the
real set's, and targets are kept per variant.
"""

from __future__ import annotations

from . import DEFAULT_SEED, DatasetSpec, RemoteFile, Split
from .generators.fashion_shapes import FASHION_SHAPES_VERSION, fashion_shapes
from .readers.idx import FASHION_CLASSES, find_fashion_mnist, load_fashion_mnist_files
from .splits import drawn_image_split


def load_fashion_shapes(seed: int = DEFAULT_SEED, n_train: int = 6000, n_test: int = 1000,
                        val_fraction: float = 0.1) -> Split:
    """The embedded default: generated silhouettes (train and test drawn independently from the seed)."""
    return drawn_image_split(fashion_shapes, n_train, n_test, seed, FASHION_CLASSES, val_fraction,
                             name="fashion-shapes28", variant="embedded", version=FASHION_SHAPES_VERSION,
                             source=f"generated clothing silhouettes in the 10 Fashion-MNIST classes "
                                    f"(bench.data.generators.fashion_shapes), seed {seed}")


# Sizes and SHA-256 as published in TensorFlow Datasets' url_checksums/fashion_mnist.txt (Keras'
# keras/src/datasets/fashion_mnist.py pins the same four SHA-256 for its mirror of these files).
_FASHION_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
FASHION_MNIST_FILES = tuple(RemoteFile(_FASHION_URL + name, sha, size, name) for name, size, sha in (
    ("train-images-idx3-ubyte.gz", 26421880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
    ("train-labels-idx1-ubyte.gz", 29515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
    ("t10k-images-idx3-ubyte.gz", 4422102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
    ("t10k-labels-idx1-ubyte.gz", 5148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
))

SPEC = DatasetSpec(
    name="fashion-mnist", title="Fashion-MNIST clothing images", folder="fashion-mnist",
    files=FASHION_MNIST_FILES, used_by=("exp02",),
    embedded="fashion-shapes28: generated 28x28 clothing silhouettes in the 10 Fashion-MNIST classes",
    find=find_fashion_mnist, read=load_fashion_mnist_files, generate=load_fashion_shapes,
)
DATASETS = (SPEC,)

load_fashion_mnist = SPEC.load  # (data_dir=None, seed=None): real Fashion-MNIST if found, else the silhouettes
