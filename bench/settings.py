"""The bench's options, resolved once into one settings object.

Command-line options are declared here (and only here); `resolve` turns them
into a frozen `Settings` that every fixture reads and the record stores.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from reference import EXPERIMENTS, module_path

from . import host
from . import key as key_mod
from . import shards
from .isolation import sandbox
from .data import resolve_data_dir
from .isolation.sandbox import Isolation
from .record.journal import SUFFIX as JOURNAL_SUFFIX
from .submission import REFERENCE, list_students, refused_students
from .text import printable

DEVICES = ("auto", "cpu", "cuda")


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("labmark", "labmark grading bench")
    group.addoption("--submission", action="append", default=[], metavar="NAME",
                    help="student folder under submissions/ to grade (repeatable); 'all' = every folder, "
                         "'reference' = the reference solutions (default: reference)")
    group.addoption("--submissions-dir", default=None, metavar="DIR",
                    help="folder holding one sub-folder per student (default: <rootdir>/submissions)")
    group.addoption("--data-dir", default=None, metavar="DIR",
                    help="folder with real datasets (default: $LABMARK_DATA_DIR, else embedded defaults)")
    group.addoption("--quick", action="store_true", help="small training budgets, for self-checks")
    group.addoption("--device", default="auto", choices=DEVICES, help="device given to submissions (default auto)")
    group.addoption("--seed", type=int, default=None,
                    help="the public seed passed to submissions in their Budget (default 0); the hidden "
                         "evaluation data is drawn secretly for each run whatever the seed")
    group.addoption("--key", default=None, metavar="FILE",
                    help="the grading key (made by `python -m bench.key new FILE`): hidden data is derived from "
                         "it, the same for every run with the same key; without it, drawn afresh for each run")
    group.addoption("--isolation", default="auto", choices=sandbox.LAYERS,
                    help="how workers are isolated: 'sandbox' (bubblewrap: official grading), 'process' (a plain "
                         "subprocess: self-checks only, not a security boundary), 'auto' (default): the sandbox "
                         "wherever it can start")
    group.addoption("--record", default=None, metavar="PATH",
                    help="where to write the run record (default: .labmark/records/<time>.json)")
    group.addoption("--resume", action="append", default=[], metavar="JOURNAL",
                    help="take every (student, experiment) a journal finished (<record>.journal.jsonl, repeatable) "
                         "instead of grading it again, where its submission, the harness, the settings and the "
                         "grading key are unchanged; grade the rest")
    group.addoption("--no-fail-on-marks", action="store_true",
                    help="a grading run: checks a submission fails cost marks but leave the exit status 0 "
                         "(harness errors and usage errors still do not)")
    group.addoption("--report", default=None, metavar="DIR",
                    help="write the HTML reports, gradebook CSV and marks JSON to DIR at the end of the run")
    group.addoption("--marks", default=None, metavar="CSV",
                    help="the instructor's manual marks (participation, viva, remarks) for --report")
    group.addoption("--workers", default=None, metavar="N",
                    help="grade N shards of the students at once, each on its own cores (its budgets' threads), "
                         "each timing its own reference; 'auto': as many as the cores and memory hold without "
                         "starving one (default: 1, one student after another)")
    group.addoption("--budget-scale", type=float, default=1.0, metavar="X",
                    help="multiply every time budget by X (e.g. 2 on a slow machine)")


@dataclass(frozen=True)
class Settings:
    root: Path
    submissions_dir: Path
    submissions: tuple[str, ...]
    data_dir: Path | None
    quick: bool
    device: str
    seed: int
    hidden_seed: int
    keyed: bool  # hidden data derived from a grading key (the same for every run with it)
    key_id: str | None  # which key (bench.key.key_id), so that a resumed run can tell it is the same one
    record_path: Path
    budget_scale: float
    threads: int
    isolation: Isolation
    refused: tuple[tuple[str, str], ...] = ()  # (folder, why) for folders under the submissions dir not graded
    resume: tuple[Path, ...] = ()  # journals whose finished (student, experiment) pairs are taken, not regraded
    workers: int = 1  # shards graded at once (bench/shards.py); 1: this session grades every check itself

    def header(self) -> list[str]:
        data = str(self.data_dir) if self.data_dir else "embedded defaults"
        unenforced = host.unenforced_limits()
        return [
            f"labmark: submissions: {', '.join(self.submissions)} (from {self.submissions_dir})",
            f"labmark: data: {data} | budgets: {'quick' if self.quick else 'full'} x{self.budget_scale:g} | "
            f"device: {self.device} | threads: {self.threads} | seed: {self.seed} | hidden data: "
            f"{'from the grading key' if self.keyed else 'drawn afresh for this run'}",
            self.isolation.header(),
            *([f"labmark: this platform cannot enforce these worker limits: {', '.join(unenforced)} (a "
               "self-check only; official grading runs on Linux)"] if unenforced else []),
            *(f"labmark: NOT GRADED: folder {name!r} in {self.submissions_dir}: {why}" for name, why in self.refused),
            *([f"labmark: resuming from {', '.join(map(str, self.resume))}"] if self.resume else []),
            f"labmark: run record (written when checks run): {self.record_path}",
        ]

    def to_json(self) -> dict:
        out = asdict(self)
        out.pop("hidden_seed")  # the record can reach students; the seed of hidden data stays out of it
        out["keyed"] = self.keyed
        out["isolation"] = self.isolation.layer
        out["refused"] = [{"folder": name, "why": why} for name, why in self.refused]
        out["resume"] = [str(p) for p in self.resume]
        return {k: str(v) if isinstance(v, Path) else v for k, v in out.items()}


WINDOWS = ("labmark runs on Linux and macOS. On Windows, run it inside WSL 2 (Windows Subsystem for Linux: "
           "`wsl --install`, then the README's two commands in the Ubuntu shell); natively, workers cannot be "
           "started, limited or stopped as grading needs.")


def resolve(config: pytest.Config) -> Settings:
    if sys.platform == "win32":
        raise pytest.UsageError(WINDOWS)
    opt = config.getoption
    root = Path(config.rootpath)
    submissions_dir = Path(opt("submissions_dir") or root / "submissions").resolve()
    seed = opt("seed")
    scale = opt("budget_scale")
    if scale <= 0:
        raise pytest.UsageError(f"--budget-scale must be positive, got {scale}")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    try:
        isolation = sandbox.resolve(opt("isolation"))
        key = key_mod.read(Path(opt("key"))) if opt("key") else None
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    return Settings(
        root=root,
        submissions_dir=submissions_dir,
        submissions=resolve_submissions(opt("submission") or [REFERENCE], submissions_dir),
        data_dir=resolve_data_dir(opt("data_dir")),
        quick=opt("quick"),
        device=resolve_device(opt("device")),
        seed=0 if seed is None else seed,
        # Never derived from --seed: the seed is public (it is in the record and the report).
        hidden_seed=key_mod.hidden_seed(key),
        keyed=key is not None,
        key_id=key_mod.key_id(key),
        record_path=Path(opt("record") or root / ".labmark" / "records" / f"{stamp}.json"),
        budget_scale=scale,
        threads=len(host.usable_cores()),
        isolation=isolation,
        refused=tuple(refused_students(submissions_dir)) if "all" in (opt("submission") or []) else (),
        resume=resolve_journals(opt("resume")),
        workers=resolve_workers(opt("workers"), len(host.usable_cores())),
    )


def resolve_workers(given: str | None, cores: int) -> int:
    if given is None or os.environ.get(shards.SHARD_VARIABLE):
        return 1
    if given == "auto":
        return shards.auto_workers(cores, shards.machine_memory_mb())
    try:
        n = int(given)
    except ValueError:
        n = 0
    if not 1 <= n <= cores:
        raise pytest.UsageError(f"--workers {given}: expected 'auto' or a whole number from 1 to {cores} (the cores "
                                f"this session may use; each worker needs at least one of its own).")
    return n


def resolve_journals(given: list[str]) -> tuple[Path, ...]:
    """--resume's journals; a folder stands for every journal in it (a parallel run's `<record>.shards`)."""
    out = []
    for name in given:
        path = Path(name)
        found = sorted(path.glob("*" + JOURNAL_SUFFIX)) if path.is_dir() else [path]
        if not found:
            raise pytest.UsageError(f"--resume {name}: a folder with no journal (*{JOURNAL_SUFFIX}) in it. Expected "
                                    "a journal, or the <record>.shards folder of a parallel run.")
        out += found
    return tuple(out)


def resolve_submissions(names: list[str], submissions_dir: Path) -> tuple[str, ...]:
    existing = list_students(submissions_dir)
    chosen: list[str] = []
    if REFERENCE in names and not any(module_path(e).exists() for e in EXPERIMENTS.values()):
        raise pytest.UsageError("--submission reference: this installation has no reference solutions (a student "
                                "kit ships without them). Check your own folder: --submission <your-folder>.")
    for name in names:
        expanded = existing if name == "all" else [name]
        for n in expanded:
            if n != REFERENCE and n not in existing:
                refused = dict(refused_students(submissions_dir))
                if printable(n) in refused:
                    raise pytest.UsageError(f"submission {printable(n)!r} is not graded: {refused[printable(n)]}. "
                                            "Fix: rename the folder (or copy a linked folder's files into a real one).")
                listing = ", ".join(existing) or f"none: {submissions_dir} has no sub-folders"
                raise pytest.UsageError(
                    f"unknown submission {n!r}: there is no folder {submissions_dir / n}. "
                    f"Submissions that exist: {listing}. Also accepted: 'reference', 'all'.")
            if n not in chosen:
                chosen.append(n)
    # The reference goes first: it is the speed anchor the others are compared with.
    return tuple(sorted(chosen, key=lambda n: n != REFERENCE))


def resolve_device(choice: str) -> str:
    has_cuda = shutil.which("nvidia-smi") is not None or Path("/dev/nvidia0").exists()
    if choice == "cuda" and not has_cuda:
        raise pytest.UsageError("--device cuda: no NVIDIA GPU is visible on this machine (no nvidia-smi, no "
                                "/dev/nvidia0). Use --device cpu or auto.")
    if choice == "auto":
        return "cuda" if has_cuda else "cpu"
    return choice
