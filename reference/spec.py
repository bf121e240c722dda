"""The vocabulary every experiment module uses to describe itself.

Nothing here imports a machine-learning framework: the pytest process reads
these descriptions without paying for (or trusting) anything heavy, and a
submission may import `Budget` for type hints.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Budget:
    """What an entry point is allowed to spend. The harness enforces it anyway.

    `seconds` is the wall-clock time this call may take; call `remaining()` in
    a training loop and stop when it gets small.
    """

    seconds: float
    device: str = "cpu"
    seed: int = 0
    threads: int = 1
    started: float = field(default_factory=time.monotonic, compare=False)

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)


class Trained(NamedTuple):
    """What a training function may return to hand back its training curves with the model:
    `return Trained(model, history)`, history a dict of per-epoch lists ({"loss": [...], ...}).

    Whatever else a training function returns is the model, exactly as `predict` will receive it: a
    tuple, list or dict included (`(classifier, scaler)` is one model). Where an experiment's interface
    says "model, or (model, history)", a plain pair whose second item is a Keras History or a dict of
    numbers and per-epoch lists of numbers is also read as (model, history).
    """

    model: Any
    history: Any = None


@dataclass(frozen=True)
class Function:
    """One entry point a submission must define.

    Calls are positional, so parameter *names* are advisory; the number of
    positional parameters is what the interface check enforces.
    """

    name: str
    params: tuple[str, ...]
    returns: str
    doc: str = ""

    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)}) -> {self.returns}"


# What a provisional target's provenance reads as, in the record and the student report.
PROVISIONAL = "provisional: lab manual figure"


@dataclass(frozen=True)
class Target:
    """A metric threshold measured from the reference, or (provisional) taken from the lab manual.

    Full credit at `target`, none at or below `floor`, linear in between.
    `source` says where the numbers came from (command, seeds, date). A provisional target
    (`Target.from_lab_manual`) grades a data variant no `python -m bench.calibrate` run has measured yet
    (the real dataset cannot be obtained on the grading machine): its target is the figure the lab
    manual publishes, and a measured target for the same metric, variant and budget replaces it.
    """

    metric: str
    floor: float
    target: float
    variant: str
    source: str
    higher_is_better: bool = True
    # "quick": the target for --quick runs, measured with the quick budgets (where a short budget trains
    # less far); "": any run that has no target for its own budget.
    budget: str = ""
    provisional: bool = False  # True: from the lab manual's published result, not measured (from_lab_manual)
    # The reference's own spread over the seeds it was measured on, as bench.calibrate printed it (and its
    # source string says): mean, worst seed (the min, or the max where lower is better), sample sd. A target
    # sits at or beyond the worst seed, so a re-run of the reference within its observed range keeps full
    # credit. None for a provisional target: the lab manual reports one run and no spread.
    reference_mean: float | None = None
    reference_worst: float | None = None
    reference_sd: float | None = None

    @classmethod
    def from_lab_manual(cls, metric: str, figure: float, variant: str, where: str) -> Target:
        """A provisional target: full credit at the lab manual's published figure for this data variant.

        The floor follows bench.calibrate's rule for a measured target, half the target rounded down to 0.01
        (so a submission half as good as the manual's result gets no credit); there is no margin below the
        figure, since the manual reports one run and no spread to take it from. `where` names the manual's
        result (experiment, model, dataset). Higher is better: the manual's figures are accuracies and BLEU.
        """
        floor = math.floor(figure / 2 * 100) / 100
        return cls(metric, floor=floor, target=figure, variant=variant, provisional=True,
                   source=f"{PROVISIONAL} {figure:g} ({where}); floor {floor:g} = half the figure, rounded down "
                          f"to 0.01, as bench.calibrate's rule; until `python -m bench.calibrate` measures the "
                          f"reference on this data")

    @property
    def provenance(self) -> str:
        """One phrase for reports: where this target came from."""
        return PROVISIONAL if self.provisional else "measured from the reference"

    @property
    def band(self) -> dict | None:
        """The reference's observed spread, for the record and the report: {"mean", "worst", "sd"}, or None."""
        if self.reference_worst is None:
            return None
        return {"mean": self.reference_mean, "worst": self.reference_worst, "sd": self.reference_sd}

    def credit(self, value: float) -> float:
        lo, hi = (self.floor, self.target) if self.higher_is_better else (-self.floor, -self.target)
        v = value if self.higher_is_better else -value
        if v >= hi:
            return 1.0
        if v <= lo:
            return 0.0
        return (v - lo) / (hi - lo)


@dataclass(frozen=True)
class BudgetSpec:
    """Seconds per kind of call, for full grading and for `--quick` self-checks."""

    train_seconds: float
    quick_train_seconds: float
    call_seconds: float = 60.0  # any non-training call (predict, detect, ...)
    import_seconds: float = 60.0  # importing the submission module
    memory_mb: int = 6144
    gpu_memory_mb: int = 8192  # with --device cuda: each worker's GPU memory cap (the framework's own limit)
    threads: int = 2  # the CPU threads its targets were measured with: `--workers auto` gives each shard this many cores

    def train(self, quick: bool) -> float:
        return self.quick_train_seconds if quick else self.train_seconds


@dataclass(frozen=True)
class Experiment:
    id: str  # "exp06": what `-k` selects and records are keyed by
    module: str  # "exp06_anomaly": the reference module and the submission file stem
    title: str
    aim: str
    interface: tuple[Function, ...]
    targets: tuple[Target, ...]
    budget: BudgetSpec
    graded_metrics: tuple[str, ...] = ()  # the metrics judged against targets (see bench/calibrate.py)
    lower_is_better: tuple[str, ...] = ()  # those of them where smaller is better (a distance, an error)
    # What the reference trains with. The worker imports these before the submission, as part of its import
    # time: reading a library from a cold disk (measured: `import torch` 42 s cold, 2.5 s warm) is never paid
    # out of a training budget, whether the submission imports it at the top or inside a function.
    libraries: tuple[str, ...] = ()
    # The reference's speed figure as its speed check measured it on the grading machine, per budget ("quick",
    # "full"), with where it came from (`python -m bench.calibrate speed RECORD`). Used only where the reference
    # solution is absent (a student kit): the ratio is then approximate; the official one is the instructor's.
    reference_speed: dict = field(default_factory=dict)
    reference_speed_source: str = ""

    def file_names(self) -> tuple[str, ...]:
        """Submission file names accepted for this experiment, preferred first."""
        return tuple(f"{stem}{ext}" for stem in (self.module, self.id) for ext in (".py", ".ipynb"))

    def function(self, name: str) -> Function:
        return next(f for f in self.interface if f.name == name)

    def target(self, metric: str, variant: str, quick: bool = False) -> Target | None:
        """The target for this metric on this data variant: the quick budget's own where it has one."""
        assert metric in self.graded_metrics, f"{self.id}: {metric!r} is not one of its graded_metrics"
        matches = [t for t in self.targets if t.metric == metric and t.variant == variant]
        for budget in (("quick", "") if quick else ("",)):
            for provisional in (False, True):  # a measured target replaces the lab manual's figure
                for t in matches:
                    if t.budget == budget and t.provisional == provisional:
                        return t
        return None
