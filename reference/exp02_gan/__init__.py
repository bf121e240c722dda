"""Experiment 2: a GAN that generates Fashion-MNIST-like images.

Aim: train a generator and a discriminator against each other until the
generator draws clothing the way the training set does, then sample from it.

Data: real Fashion-MNIST when the data directory holds it (or Debian's
dataset-fashion-mnist package); otherwise generated clothing silhouettes in
the same ten classes (`bench/data/fashion_mnist.py`). Samples are judged only
in the grading process: a Frechet distance and an Inception-style score in the
feature space of a classifier trained there on the same data, class coverage,
and a memorisation check against the training images (`bench/scoring/gan_metrics.py`).

Claim: with the full 240 s budget on 2 CPU threads, the reference (a small
DCGAN sampling from a running average of its generator's weights) reaches a
Frechet distance of 16.3-24.3 (mean 18.5, 5 seeds) and covers all 10 classes;
within the 90 s quick budget (a loaded machine), 34-75 (mean 56) and 9 or 10
classes. For scale in the same feature space: real training images 3.0, one
sample per class repeated 134, one image repeated 440-570, uniform noise 855.
On real Fashion-MNIST (Debian's package; its own feature space, so not
comparable with the silhouettes' figures): 41.9-48.7 (mean 44.8, 5 seeds) and
all 10 classes in 240 s; 60.1-74.6 (mean 67.2, 5 seeds) and 9 classes in every
seed within the quick budget.
"""

from __future__ import annotations

from reference.spec import BudgetSpec, Experiment, Function, Target

INTERFACE = (
    Function("train_gan", ("x_train", "budget"), "generator, or (generator, history)",
             "Train on (n, 28, 28) float32 images in [0, 1]. history: per epoch g_loss, d_loss, d_acc_real, "
             "d_acc_fake."" Return the generator (any object generate accepts, a tuple or dict of parts included), or "
             "reference.spec.Trained(generator, history); (generator, history) with history a dict of per-epoch lists "
             "(or a Keras History) is read the same way."),
    Function("generate", ("generator", "n", "seed"), "float array, shape (n, 28, 28), values in [0, 1]",
             "n samples; the same seed gives the same images."),
)

# Measured, not chosen: see bench/calibrate.py for the rule. The full budget's targets grade full runs;
# `--quick` runs (90 s of training) are graded against the quick budget's own (budget='quick').
TARGETS: tuple[Target, ...] = (
    Target('fid', floor=83.07, target=27.69, variant='embedded', higher_is_better=False,
           reference_mean=18.4641, reference_worst=24.3258, reference_sd=3.3621,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 18.4641, max 24.3258, sd 3.3621; `python -m bench.calibrate exp02`'),
    Target('classes_covered', floor=5.0, target=10.0, variant='embedded',
           reference_mean=10.0000, reference_worst=10.0000, reference_sd=0.0000,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 10.0000, min 10.0000, sd 0.0000; `python -m bench.calibrate exp02`'),
    Target('fid', floor=273.54, target=91.18, variant='embedded', higher_is_better=False, budget='quick',
           reference_mean=56.1407, reference_worst=75.4723, reference_sd=15.7011,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 56.1407, max 75.4723, sd 15.7011; `python -m bench.calibrate exp02 -- --quick`'),
    Target('classes_covered', floor=4.27, target=8.55, variant='embedded', budget='quick',
           reference_mean=9.8000, reference_worst=9.0000, reference_sd=0.4472,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 9.8000, min 9.0000, sd 0.4472; `python -m bench.calibrate exp02 -- --quick`'),
    # Real Fashion-MNIST (variant 'real'), measured on the files Debian's dataset-fashion-mnist installs
    # (/usr/share/datasets/fashion-mnist/, found as <data dir>/fashion-mnist with --data-dir /usr/share/datasets).
    Target('fid', floor=156.69, target=52.23, variant='real', higher_is_better=False,
           reference_mean=44.7659, reference_worst=48.6800, reference_sd=3.5436,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-12-02: mean 44.7659, max 48.6800, sd 3.5436; `python -m bench.calibrate exp02 -- --data-dir /usr/share/datasets`'),
    Target('classes_covered', floor=5.0, target=10.0, variant='real',
           reference_mean=10.0000, reference_worst=10.0000, reference_sd=0.0000,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-12-02: mean 10.0000, min 10.0000, sd 0.0000; `python -m bench.calibrate exp02 -- --data-dir /usr/share/datasets`'),
    Target('fid', floor=243.54, target=81.18, variant='real', higher_is_better=False, budget='quick',
           reference_mean=67.1509, reference_worst=74.6142, reference_sd=6.5565,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-12-02: mean 67.1509, max 74.6142, sd 6.5565; `python -m bench.calibrate exp02 -- --quick --data-dir /usr/share/datasets`'),
    Target('classes_covered', floor=4.5, target=9.0, variant='real', budget='quick',
           reference_mean=9.0000, reference_worst=9.0000, reference_sd=0.0000,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-12-02: mean 9.0000, min 9.0000, sd 0.0000; `python -m bench.calibrate exp02 -- --quick --data-dir /usr/share/datasets`'),
)

SPEC = Experiment(
    id="exp02",
    module="exp02_gan",
    title="A GAN that generates Fashion-MNIST images",
    aim=__doc__.split("\n\n")[1].replace("\n", " "),
    interface=INTERFACE,
    targets=TARGETS,
    graded_metrics=("fid", "classes_covered"),
    lower_is_better=("fid",),
    libraries=("torch",),
    reference_speed={'quick': 1.24068, 'full': 1.311555},
    reference_speed_source="the reference's speed check on the grading machine, quick: 2 CPU threads (AMD EPYC), 2026-12-02; full: 2 CPU threads (AMD EPYC), 2026-12-02; `python -m bench.calibrate speed RECORD...`",
    budget=BudgetSpec(train_seconds=240, quick_train_seconds=90, call_seconds=60, import_seconds=90,
                      memory_mb=6144),
)
