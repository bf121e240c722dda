"""The run record: one JSON document per pytest session, written atomically.

Everything `grading` needs lives here, so a report can be re-rendered from a
saved record without running anything. In memory an experiment's entry is an
`Entry`, each check's outcome a `CheckResult`, its budget a `RunBudget`;
`from_json` reads them back from a saved record (older records too: fields
added since read as their defaults). Layout (schema "labmark.run/1"):

    {"schema", "run_id", "started", "finished", "settings", "environment",
     "catalog": {experiment_id: [check name, ...]},
     "submissions": {student: {experiment_id: {
         "title", "source", "dataset", "budget", "metrics", "timings", "worker",
         "outputs", "checks": [{"name", "nodeid", "status", "score", "kind", "message",
                     "staff_detail", "evidence", "duration", "markers"}]}}}}

status: "pass" | "fail" (ran, result wrong) | "error" (did not run to
completion) | "skipped" (not run; `message` says why). `score` is the credit
fraction in [0, 1]. `staff_detail` holds tracebacks and captured output.
`evidence` is free-form, except for the kinds named in `Evidence` below,
which have one shape each and are what reports draw.
`markers` names what kind of check it is (["speed"]: timed against the
reference in the same run). `catalog` lists every check of every experiment
the bench has, in order, whether or not this run selected it: `grading`
validates the rubric against it and never reads the check modules.

`environment.isolation` is the layer that graded ("sandbox" or "process",
with `isolation_detail` saying why); `settings.refused` lists folders that
were not graded and why. Per experiment, `source` holds the snapshot's
sha256, `helpers` (modules staged beside it), `skipped` (entries left out,
with why) and `submitted` ({"at": ISO time or null, "from": where it came
from}); `worker` holds the isolation of that worker (layer, uid, cgroup,
who watched network attempts), its CPU time (`cpu`: import, between calls,
charged to training, total), peak memory and captured output; `outputs`
holds the predicted label of every hidden item for each classification-like
output, compactly (bench.record.outputs), for the similarity checks: staff
data, never shown to students.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

from .. import host

SCHEMA = "labmark.run/1"
STATUSES = ("pass", "fail", "error", "skipped")
PACKAGES = ("labmark", "numpy", "pandas", "scikit-learn", "scipy", "torch", "torchvision", "tensorflow", "keras",
            "pyspark", "opacus", "aif360", "shap", "lime", "gymnasium", "sentencepiece", "sacrebleu", "nbformat",
            "ipython", "nltk", "seaborn", "findspark",
            "jinja2", "pytest", "pytest-benchmark", "hypothesis", "matplotlib")



class Evidence:
    """Kinds of evidence the report draws: keys of a check's `evidence`, each with one shape.

    A check leaves one with `check.add(<kind>=value)` (or in a Training's or
    Speed's evidence); grading/plots.py draws every kind it finds, whichever
    experiment or check left it, so a new experiment that leaves these gets
    their figures with nothing to register. Siblings named in a comment sit in
    the same check's evidence.
    """

    METRICS = "metrics"  # {metric: value}, every value the check computed (Check.metric)
    TARGETS = "targets"  # {metric: {"floor", "target", "source", "variant", "budget", "provisional", "provenance"}}
    #                      (Check.judge; provisional: a lab manual figure, not measured; older records lack both)
    #                      and "band": {"mean", "worst", "sd"}, the reference's spread over the seeds its target was
    #                      measured on (worst: min, or max where lower is better); absent when provisional, and in
    #                      older records
    SPEED = "speed"  # {"what", "seconds", "reference_seconds", "ratio", ...} (the shared speed check)
    HISTORY = "history"  # {series: [one value per epoch]}, as the submission's training reported it
    CONFUSION_MATRIX = "confusion_matrix"  # [[count]], rows true, columns predicted; sibling "classes" (names)
    MODEL_COMPARISON = "accuracy_by_model"  # {model: accuracy}; siblings "seconds_by_model", "best"
    SPARK_SECONDS = "spark_seconds"  # {stage: seconds}; siblings "spark_start_seconds", "spark_train_seconds",
    #                                  "sklearn" ({"logistic_regression_seconds"})
    KMEANS_COST = "kmeans_cost"  # {"k": [k], "cost": [training cost]}
    ATTENTION_HEATMAP = "attention_heatmap"  # {"weights": [[w]], "source": [token], "target": [token]}
    TRANSLATION_SAMPLES = "translation_samples"  # [{"source", "reference", "output"}]
    EXAMPLE_SERIES = "example_series"  # {"values": [x], "kinds": [0 | anomaly kind], "flags": [bool]}
    MITIGATION = "mitigation"  # {"before": {metric: value}, "after": {metric: value}}
    MEAN_ABS_SHAP = "mean_abs_shap"  # [mean |SHAP value| per feature]
    LIME_EXAMPLE = "lime_example"  # {"weights": [LIME weight per feature]} for one row
    REWARD_CURVE = "reward_curve"  # [return per training episode]
    EVALUATION_RETURNS = "evaluation_returns"  # [return per evaluation episode, replayed by the grader]
    ACCURACY_BY_EPSILON = "accuracy_by_epsilon"  # {"epsilon": [e], "accuracy": [a], "nonprivate": a}
    MECHANISM_NOISE = "mechanism_noise"  # [{"mechanism", "epsilon", "sensitivity", "sd", "delta"?}]
    MEMBERSHIP_ADVANTAGE = "membership_advantage"  # {"private_eps1", "nonprivate", "bound_eps1"}
    SAMPLE_GRID = "sample_grid"  # [[[pixel in 0..1]]]: generated 28x28 images

    @classmethod
    def kinds(cls) -> dict[str, str]:
        """Every kind, by constant name."""
        return {k: v for k, v in vars(cls).items() if k.isupper()}


@dataclass(frozen=True)
class RunBudget:
    """The limits one (student, experiment) was graded under: its "budget" in the record."""

    train_seconds: float
    call_seconds: float
    import_seconds: float
    memory_mb: int
    quick: bool
    scale: float
    device: str
    seed: int  # the public seed handed to the submission
    threads: int
    gpu_memory_mb: int = 0  # on "cuda" only; records written before it was kept read as 0

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "RunBudget":
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class CheckResult:
    """One check's outcome for one submission: an item of an entry's "checks"."""

    name: str  # the check's name in the catalog and the rubric: "detector_f1[zscore]"
    status: str  # one of STATUSES
    score: float  # credit fraction in [0, 1]
    kind: str | None = None  # why it did not pass, a stable name ("below_target", "timeout", ...)
    message: str = ""  # for the student
    staff_detail: str = ""  # tracebacks, captured output
    evidence: dict = field(default_factory=dict)  # free-form, except the kinds in Evidence
    duration: float = 0.0  # seconds, its fixtures included
    markers: list[str] = field(default_factory=list)  # ["speed"]: timed against the reference in the same run
    nodeid: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"check {self.name!r}: status {self.status!r} is not one of {STATUSES}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"check {self.name!r}: score {self.score!r} is outside [0, 1]")

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, data: dict) -> "CheckResult":
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class Entry:
    """One student's run of one experiment: what its checks share (budget, data, worker) and their results."""

    title: str | None = None
    source: dict | None = None  # the snapshot graded (bench.submission.Source.to_json)
    dataset: dict | None = None  # which data variant, version and checksum (bench.data.DatasetInfo.to_json)
    budget: RunBudget | None = None
    metrics: dict = field(default_factory=dict)  # {metric: value}, every check's
    timings: dict = field(default_factory=dict)  # {entry point: {"calls", "total_seconds", "max_seconds"}}
    worker: dict = field(default_factory=dict)  # its isolation, CPU time, peak memory, captured output
    outputs: dict = field(default_factory=dict)  # {output name: bench.record.outputs.encode(...)}, staff only
    checks: list[CheckResult] = field(default_factory=list)

    def to_json(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["budget"] = self.budget.to_json() if self.budget else None
        out["checks"] = [c.to_json() for c in self.checks]
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Entry":
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values["budget"] = RunBudget.from_json(data["budget"]) if data.get("budget") else None
        values["checks"] = [CheckResult.from_json(c) for c in data.get("checks", [])]
        return cls(**values)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def jsonable(value):
    """Plain JSON types only: numpy scalars and arrays become numbers and lists, NaN becomes None."""
    if isinstance(value, (Entry, CheckResult, RunBudget)):
        return jsonable(value.to_json())
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    return value


def environment(isolation, device: str) -> dict:
    """The machine and software a run graded on. `isolation`: a bench.isolation.sandbox.Isolation."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    gpu = None
    if shutil.which("nvidia-smi"):
        try:
            gpu = subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader"],
                                 capture_output=True, text=True, timeout=10).stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            gpu = None
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": host.cpu_name(),
        "cpu_count": len(host.usable_cores()),
        "memory_gib": round(host.memory_total_bytes() / 2**30, 1),
        "unenforced_limits": host.unenforced_limits(),  # worker limits this platform's setrlimit cannot hold
        "gpu": gpu,
        "device": device,
        "isolation": isolation.layer,
        "isolation_detail": isolation.to_json(),
        "packages": versions,
        "harness_sha256": harness_sha256(),
    }


def harness_sha256() -> str:
    """sha256 over the harness's own code (bench/ and reference/): a grade may change when it does."""
    root = Path(__file__).resolve().parents[2]
    h = hashlib.sha256()
    for folder in ("bench", "reference"):
        for path in sorted((root / folder).rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


class RunRecord:
    def __init__(self, settings: dict, env: dict):
        self.data = {"schema": SCHEMA, "run_id": uuid.uuid4().hex[:12], "started": now(), "finished": None,
                     "settings": settings, "environment": env, "submissions": {}}

    def experiment(self, student: str, experiment_id: str) -> Entry:
        """The (mutable) entry of one student's experiment, created on first use."""
        return self.data["submissions"].setdefault(student, {}).setdefault(experiment_id, Entry())

    def add_check(self, student: str, experiment_id: str, check: CheckResult) -> None:
        self.experiment(student, experiment_id).checks.append(check)

    def write(self, path: Path) -> Path:
        self.data["finished"] = now()
        return write(self.data, path)


def write(data: dict, path: Path) -> Path:
    """Write a record atomically: a reader sees the old file or the whole new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(jsonable(data), f, indent=1, allow_nan=False)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(path: Path) -> dict:
    data = json.loads(Path(path).read_text())
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{path}: not a labmark run record (schema {data.get('schema')!r}, expected {SCHEMA!r})")
    return data
