"""Measure an experiment's targets from the reference: `python -m bench.calibrate exp06`.

Runs the bench on the reference once per seed (each seed also draws its own
hidden data), exactly as a student is graded, and prints a TARGETS block for
the reference module with its provenance. The rule, the same everywhere:

    target = (min over seeds) - (sample std over seeds), rounded down to 0.01
    floor  = target / 2, rounded down to 0.01

and for a metric where lower is better (a distance):

    target = (max over seeds) + (sample std over seeds), rounded up to 0.01
    floor  = 3 x target

so the reference clears its own target on every measured seed with a margin
for noise, and a submission half as good gets no credit for that metric.
Each Target also carries the reference's spread over the seeds (mean, worst
seed, sd: `reference_mean=`, `reference_worst=`, `reference_sd=`), which the
record keeps beside each grade and the report shades as the reference's band.
No credit for what needs no learning: `--baseline DIR` grades a model-free or
trivially wrong submission (a folder holding the experiment's file, such as a
majority-class guess or the top few per cent of the raw values) on the same
seeds and hidden data, and raises each metric's floor to the best it scored
there, rounded up to 0.01 (down where lower is better), with its figures in
the provenance. `--floor METRIC=VALUE:REASON` sets a floor by hand, with the
reason in the provenance.

`python -m bench.calibrate exp05 -- --quick` measures the quick budgets'
targets (printed with budget='quick'): where a short budget trains a model
less far, `--quick` runs are graded against those, full runs against the rest.

`python -m bench.calibrate speed RECORD...` prints each experiment's reference
speed figure from runs that graded the reference (a `--quick` record and a
full one): the `reference_speed` a student kit, which has no reference
solution to time, divides by.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from reference import EXPERIMENTS

REPO = Path(__file__).resolve().parent.parent


def run_reference(experiment_id: str, seed: int, extra: list[str], baseline: Path | None = None) -> dict:
    """The reference's (or, given a folder, that baseline submission's) run on this seed's hidden data."""
    name = baseline.name if baseline else "reference"
    where = ["--submissions-dir", str(baseline.resolve().parent)] if baseline else []
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "record.json"
        key = Path(tmp) / "calibration.key"  # one key per seed: each seed its own hidden data, reproducibly
        key.write_text(f"labmark-calibration-seed-{seed:08d}\n")
        key.chmod(0o600)
        cmd = [sys.executable, "-m", "pytest", "bench", "-q", "-k", experiment_id, "--submission", name, *where,
               "--seed", str(seed), "--key", str(key), "--record", str(record), *extra]
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        if not record.exists():
            sys.exit(f"seed {seed}: no record written\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        data = json.loads(record.read_text())
    entry = data["submissions"][name][experiment_id]
    variants = {m: v for c in entry["checks"] for m, v in (c.get("evidence") or {}).get("variants", {}).items()}
    return {"metrics": entry["metrics"], "variants": variants, "cpu": data["environment"]["cpu"],
            "threads": data["settings"]["threads"]}


def floor2(x: float) -> float:
    return math.floor(x * 100) / 100


def speed_figures(records: list[Path]) -> dict[str, dict]:
    """Each experiment's reference speed figure, per budget, from runs that graded the reference: what its speed
    check divided by (`reference_figure` in the check's evidence), for Experiment.reference_speed."""
    out: dict[str, dict] = {}
    for path in records:
        data = json.loads(Path(path).read_text())
        budget = "quick" if data["settings"]["quick"] else "full"
        for experiment, entry in data["submissions"].get("reference", {}).items():
            for check in entry["checks"]:
                figure = check.get("evidence", {}).get("reference_figure")
                if check["name"] == "speed" and check["status"] == "pass" and figure is not None:
                    out.setdefault(experiment, {"figures": {}, "sources": []})["figures"][budget] = figure
                    out[experiment]["sources"].append(
                        f"{budget}: {data['settings']['threads']} CPU threads ({data['environment'].get('cpu', '?')}), "
                        f"{data['started'][:10]}")
    return out


def print_speed(records: list[Path]) -> None:
    for experiment, found in sorted(speed_figures(records).items()):
        source = ("the reference's speed check on the grading machine, " + "; ".join(found["sources"])
                  + "; `python -m bench.calibrate speed RECORD...`")
        print(f"{experiment}: reference_speed={found['figures']!r},\n       reference_speed_source={source!r},")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["speed"]:  # python -m bench.calibrate speed RECORD...: reference speed figures for a kit
        return print_speed([Path(a) for a in argv[1:]])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("experiment", choices=sorted(EXPERIMENTS))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--floor", action="append", default=[], metavar="METRIC=VALUE:REASON",
                        help="a floor above target/2, e.g. accuracy_x=0.63:majority-class accuracy")
    parser.add_argument("--baseline", action="append", default=[], type=Path, metavar="DIR",
                        help="a model-free submission folder whose best score per metric sets its floor")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest after --, e.g. -- --data-dir DIR")
    args = parser.parse_intermixed_args(argv)
    spec = EXPERIMENTS[args.experiment]
    floors = {}
    for item in args.floor:
        metric, _, rest = item.partition("=")
        value, _, reason = rest.partition(":")
        floors[metric] = (float(value), reason)
    runs = []
    for seed in args.seeds:
        runs.append(run_reference(spec.id, seed, args.pytest_args))
        shown = {m: round(runs[-1]["metrics"].get(m, float("nan")), 4) for m in spec.graded_metrics}
        print(f"seed {seed}: {shown}", file=sys.stderr)
    baselines = {b.name: [run_reference(spec.id, seed, args.pytest_args, b)["metrics"] for seed in args.seeds]
                 for b in args.baseline}
    seeds = ",".join(map(str, args.seeds))
    extra = args.pytest_args
    print("TARGETS = (")
    for metric in spec.graded_metrics:
        values = [r["metrics"][metric] for r in runs]
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        lower = metric in spec.lower_is_better
        target = -floor2(-(max(values) + spread)) if lower else floor2(min(values) - spread)
        mean, worst = statistics.mean(values), (max if lower else min)(values)
        source = (f"reference, seeds {seeds}, {runs[0]['threads']} CPU threads ({runs[0]['cpu']}), {date.today()}: "
                  f"mean {mean:.4f}, {'max' if lower else 'min'} {worst:.4f}, sd {spread:.4f}; "
                  f"`python -m bench.calibrate {spec.id}{''.join(f' --baseline {b}' for b in args.baseline)}"
                  f"{' -- ' + ' '.join(extra) if extra else ''}`")
        variant = runs[0]["variants"].get(metric, "?")
        floor, why = floors.get(metric, (round(3 * target, 2) if lower else floor2(target / 2), ""))
        for name, found in baselines.items():
            lazy = [m[metric] for m in found if metric in m]
            if lazy and (min(lazy) < floor if lower else max(lazy) > floor):
                best = min(lazy) if lower else max(lazy)
                floor, why = (floor2(best) if lower else -floor2(-best)), (
                    f"{'min' if lower else 'max'} {best:.4f} of the model-free baseline {name} on these seeds, "
                    "rounded: no credit for what needs no learning")
                if (floor >= target) != lower:
                    print(f"{metric}: the baseline {name} reaches the target {target}", file=sys.stderr)
        if why:
            source += f"; floor {floor:g} = {why}"
        direction = (", higher_is_better=False" if lower else "") + (", budget='quick'" if "--quick" in extra else "")
        print(f"    Target({metric!r}, floor={floor}, target={target}, variant={variant!r}{direction},\n"
              f"           reference_mean={mean:.4f}, reference_worst={worst:.4f}, reference_sd={spread:.4f},\n"
              f"           source={source!r}),")
    print(")")


if __name__ == "__main__":
    main()
