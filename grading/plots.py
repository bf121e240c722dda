"""Figures for the report, drawn from the evidence in a run record only.

Each drawing is registered for the evidence kinds it needs (`bench.record.Evidence`)
and drawn wherever a check left them, whatever the experiment: an experiment
whose checks leave known kinds gets their figures with nothing to register
here. A figure whose evidence is missing (its check was skipped) is simply not
drawn, and one that fails to draw says so. Each figure is a PNG embedded as a
data URI, so a report is one file that needs no network.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from bench.record import Evidence as E  # noqa: E402

plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
                     "svg.hashsalt": "labmark", "figure.dpi": 100})
KIND_COLOURS = {1: ("#d62728", "point"), 2: ("#9467bd", "contextual"), 3: ("#ff7f0e", "collective")}


@dataclass(frozen=True)
class Figure:
    title: str
    uri: str  # data:image/png;base64,...
    caption: str = ""
    error: str = ""  # set instead of uri when drawing failed


class Found:
    """An experiment entry's evidence by kind: for each kind, the checks that left it, in run order."""

    def __init__(self, entry: dict):
        self.by_kind: dict[str, list[tuple[str, dict]]] = {}
        for c in entry.get("checks", []):
            evidence = c.get("evidence") or {}
            for kind, value in evidence.items():
                if value is not None and not (isinstance(value, (list, dict)) and not value):
                    self.by_kind.setdefault(kind, []).append((c["name"], evidence))

    def all(self, kind: str) -> list[tuple[str, dict]]:
        """(check name, that check's whole evidence) for every check that left `kind`."""
        return self.by_kind.get(kind, [])

    def first(self, kind: str, default=None):
        found = self.all(kind)
        return found[0][1][kind] if found else default


Drawing = Callable[[Found], list[Figure]]
DRAWINGS: list[tuple[tuple[str, ...], Drawing]] = []


def draws(*kinds: str) -> Callable[[Drawing], Drawing]:
    """Register a drawing, run when an entry has any of these evidence kinds."""
    assert kinds and all(k in E.kinds().values() for k in kinds), kinds

    def register(draw: Drawing) -> Drawing:
        DRAWINGS.append((kinds, draw))
        return draw
    return register


def drawn_kinds() -> set[str]:
    return {k for kinds, _ in DRAWINGS for k in kinds}


def figures(entry: dict) -> list[Figure]:
    found, out = Found(entry), []
    for kinds, draw in DRAWINGS:
        if not any(found.all(k) for k in kinds):
            continue
        try:
            out.extend(draw(found))
        except Exception as exc:  # noqa: BLE001 - a broken figure is reported in the page, not fatal
            out.append(Figure(draw.__name__.replace("_", " "), "", error=f"{type(exc).__name__}: {exc}"))
    return out


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _label(check: str) -> str:
    """What tells checks of one kind apart: the parameter of `accuracy[cnn]`, else the check's name."""
    return check[check.index("[") + 1:-1] if check.endswith("]") and "[" in check else check


def histogram(values: list[float], maximum: float, title: str) -> str:
    """Marks of a class (the class report)."""
    fig, ax = plt.subplots(figsize=(3.0, 1.8))
    ax.hist(values, bins=np.linspace(0, maximum, 11), color="#1f77b4", edgecolor="white")
    ax.set_title(title, fontsize=8)
    ax.set_xlabel("marks")
    ax.set_ylabel("students")
    return _png(fig)


# --- any experiment -------------------------------------------------------------------------

BAND_COLOUR = "#1f77b4"


def _band_span(target: dict) -> tuple[float, float, float] | None:
    """(low, mean, high) of a recorded target's band: its worst seed to its mean plus one sd on the better side
    (minus, where lower is better); None for a target without one (provisional, or an older record)."""
    band = target.get("band")
    if not band:
        return None
    lower_is_better = target["floor"] > target["target"]
    best = band["mean"] - band["sd"] if lower_is_better else band["mean"] + band["sd"]
    return min(band["worst"], best), band["mean"], max(band["worst"], best)


@draws(E.TARGETS)
def metrics_vs_targets(found: Found) -> list[Figure]:
    rows = []
    for check, ev in found.all(E.TARGETS):
        for metric, t in ev[E.TARGETS].items():
            value = (ev.get(E.METRICS) or {}).get(metric)
            if value is not None:  # a lab manual figure (provisional, not measured) is marked on its row
                rows.append((check + (" (provisional)" if t.get("provisional") else ""), value, t["floor"],
                             t["target"], _band_span(t)))
    if not rows:
        return []
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(rows) + 0.8))
    y = np.arange(len(rows))[::-1]
    values = [r[1] for r in rows]
    colours = ["#2ca02c" if (v >= t if floor <= t else v <= t) else "#d62728" for _, v, floor, t, _ in rows]  # floor > target: lower is better
    ax.barh(y, values, color=colours, height=0.55)
    for yi, (_, v, floor, target, band) in zip(y, rows):
        if band:  # behind the bar: the reference's own runs (_band_span) and its mean
            lo, mean, hi = band
            ax.barh(yi, hi - lo, left=lo, height=0.8, color=BAND_COLOUR, alpha=0.25, zorder=0)
            ax.plot([mean, mean], [yi - 0.4, yi + 0.4], color=BAND_COLOUR, lw=1)
        ax.plot([target, target], [yi - 0.35, yi + 0.35], color="black", lw=2)
        ax.plot([floor, floor], [yi - 0.35, yi + 0.35], color="grey", lw=1, ls=":")
        ax.text(v, yi, f" {v:.3g}", va="center")
    ax.set_yticks(y, [r[0] for r in rows])
    ax.set_xlim(0, max(1.0, max(values) * 1.15, max(r[3] for r in rows) * 1.1,
                       max((r[4][2] for r in rows if r[4]), default=0) * 1.05))
    ax.set_xlabel("value (black bar: target, full credit; dotted: floor, no credit)")
    caption = "Targets are measured from the reference solution."
    if any(name.endswith(" (provisional)") for name, *_ in rows):
        caption = ("Targets are measured from the reference solution, except those marked provisional: "
                   "lab manual figures for data the reference has not been measured on yet.")
    if any(r[4] for r in rows):  # after the provisional wording, which replaces the first sentence
        caption += (" Shaded: the reference's own runs on the seeds its target was measured on, from its worst "
                    "seed to one standard deviation past its mean on the better side (blue tick: its mean).")
    return [Figure("Metrics against targets", _png(fig), caption)]


SERIES_NAMES = {"g_loss": "generator", "d_loss": "discriminator", "d_acc_real": "on real", "d_acc_fake": "on fake"}


def _panel(series: str) -> str:
    """Curves that share axes: every loss together, every accuracy together, anything else alone."""
    return "loss" if "loss" in series else "accuracy" if "acc" in series else series


@draws(E.HISTORY)
def learning_curves(found: Found) -> list[Figure]:
    panels: dict[str, list[tuple[str, list]]] = {}
    several = len(found.all(E.HISTORY)) > 1
    for check, ev in found.all(E.HISTORY):
        for series, values in ev[E.HISTORY].items():
            if not isinstance(values, list) or len(values) < 1 or not all(isinstance(v, (int, float)) for v in values):
                continue  # a scalar the training reported beside its curves (e.g. seconds spent tokenising)
            name = SERIES_NAMES.get(series, "" if series == _panel(series) or series == "acc" else series)
            label = " ".join(p for p in (_label(check).upper() if several else "", name) if p) or series
            panels.setdefault(_panel(series), []).append((label, values))
    if not panels:
        return []
    fig, axes = plt.subplots(1, len(panels), figsize=(3.4 * len(panels), 2.6), squeeze=False)
    for ax, (panel, curves) in zip(axes[0], panels.items()):
        for label, values in curves:
            ax.plot(np.arange(1, len(values) + 1), values, marker="o", ms=3, label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"training {panel.replace('_', ' ')}")
        ax.legend(fontsize=7)
    return [Figure("Learning curves", _png(fig), "Per epoch, as reported by the submission's training.")]


@draws(E.CONFUSION_MATRIX)
def confusion_matrices(found: Found) -> list[Figure]:
    shown = [(check, ev) for check, ev in found.all(E.CONFUSION_MATRIX)]
    fig, axes = plt.subplots(1, len(shown), figsize=(3.4 * len(shown), 3.3), squeeze=False)
    for ax, (check, ev) in zip(axes[0], shown):
        cm = np.asarray(ev[E.CONFUSION_MATRIX])
        ax.imshow(cm, cmap="Blues")
        if cm.size <= 144:
            for (i, j), n in np.ndenumerate(cm):
                if n:
                    ax.text(j, i, str(n), ha="center", va="center", fontsize=6,
                            color="white" if n > cm.max() / 2 else "black")
        classes = ev.get("classes")
        ticks = classes if isinstance(classes, list) and len(classes) == len(cm) else range(len(cm))
        ax.set_xticks(range(len(cm)), ticks, rotation=90 if classes else 0, fontsize=6)
        ax.set_yticks(range(len(cm)), ticks, fontsize=6)
        ax.set_title(f"best model: {ev['best']}" if ev.get("best") else _label(check).upper(), fontsize=8)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
    return [Figure("Confusion matrices" if len(shown) > 1 else "Confusion matrix", _png(fig),
                   "Hidden test data; rows are the true classes.")]


# --- model comparisons and costs --------------------------------------------------------------

@draws(E.MODEL_COMPARISON)
def model_comparison(found: Found) -> list[Figure]:
    _, ev = found.all(E.MODEL_COMPARISON)[0]
    accuracy, seconds = ev[E.MODEL_COMPARISON], ev.get("seconds_by_model") or {}
    names = list(accuracy)
    fig, axes = plt.subplots(1, 2, figsize=(8, 0.3 * len(names) + 0.8))
    colours = ["#2ca02c" if n == ev.get("best") else "#1f77b4" for n in names]
    axes[0].barh(names[::-1], [accuracy[n] for n in names][::-1], color=colours[::-1])
    axes[0].set_xlim(0, 1)
    axes[0].set_xlabel("test accuracy")
    axes[1].barh(names[::-1], [seconds.get(n, 0) for n in names][::-1], color="#7f7f7f")
    axes[1].set_xlabel("train + predict seconds")
    axes[1].set_yticks([])
    return [Figure("Accuracy and cost of each model", _png(fig), "Hidden test data; the best model in green.")]


@draws(E.SPARK_SECONDS)
def spark_costs(found: Found) -> list[Figure]:
    _, ev = found.all(E.SPARK_SECONDS)[0]
    spark = ev[E.SPARK_SECONDS]
    bars = {"Spark session start": ev.get("spark_start_seconds"),
            "Spark: classifier, regressor, K-means": sum(spark.values()) if None not in spark.values() else None,
            "Spark classifier fit": ev.get("spark_train_seconds"),
            "scikit-learn, same classifier and rows": (ev.get("sklearn") or {}).get("logistic_regression_seconds")}
    bars = {k: v for k, v in bars.items() if v is not None}
    fig, ax = plt.subplots(figsize=(5, 2.2))
    ax.barh(list(bars)[::-1], list(bars.values())[::-1], color="#ff7f0e")
    ax.set_xlabel("seconds")
    return [Figure("Where the time goes", _png(fig), "Seconds in this run (the session start is paid once).")]


@draws(E.KMEANS_COST)
def kmeans_elbow(found: Found) -> list[Figure]:
    kmeans = found.first(E.KMEANS_COST)
    fig, ax = plt.subplots(figsize=(3.6, 2.4))
    ax.plot(kmeans["k"], kmeans["cost"], marker="o")
    ax.set_xlabel("k")
    ax.set_ylabel("K-means cost")
    return [Figure("The K-means elbow", _png(fig), "Training cost against k.")]


# --- sequences ------------------------------------------------------------------------------

@draws(E.ATTENTION_HEATMAP)
def attention_heatmap(found: Found) -> list[Figure]:
    heat = found.first(E.ATTENTION_HEATMAP)
    if not np.size(heat["weights"]):
        return []
    w = np.asarray(heat["weights"], dtype=float)
    fig, ax = plt.subplots(figsize=(0.32 * w.shape[1] + 1.6, 0.28 * w.shape[0] + 1.2))
    ax.imshow(w, cmap="Greys", vmin=0, vmax=max(1.0, float(w.max())), aspect="auto")
    ax.set_xticks(range(w.shape[1]), [str(t)[:14] for t in heat["source"]], rotation=90, fontsize=7)
    ax.set_yticks(range(w.shape[0]), [str(t)[:14] for t in heat["target"]], fontsize=7)
    ax.set_xlabel("source (English)")
    ax.set_ylabel("output (French)")
    return [Figure("Attention while translating one unseen sentence", _png(fig),
                   "Row i: where the decoder looked while writing output word i (dark: more weight).")]


@draws(E.TRANSLATION_SAMPLES)
def translation_samples(found: Found) -> list[Figure]:
    samples = found.first(E.TRANSLATION_SAMPLES)  # every quality check leaves the same sentences
    fig, ax = plt.subplots(figsize=(9, 0.62 * len(samples) + 0.3))
    ax.axis("off")
    for k, s in enumerate(samples):
        y = 1 - k / len(samples)
        ax.text(0, y, f"EN  {s['source'][:110]}", fontsize=7, va="top", transform=ax.transAxes)
        ax.text(0, y - 0.3 / len(samples), f"REF {s['reference'][:110]}", fontsize=7, va="top", color="#2ca02c",
                transform=ax.transAxes)
        ax.text(0, y - 0.6 / len(samples), f"OUT {s['output'][:110]}", fontsize=7, va="top", color="#1f77b4",
                transform=ax.transAxes)
    return [Figure("Sample translations", _png(fig),
                   "The first unseen test sentences: English source, reference French, the submission's output.")]


@draws(E.EXAMPLE_SERIES)
def series_with_flags(found: Found) -> list[Figure]:
    shown = [(_label(check), ev[E.EXAMPLE_SERIES]) for check, ev in found.all(E.EXAMPLE_SERIES)]
    fig, axes = plt.subplots(len(shown), 1, figsize=(8, 1.9 * len(shown)), sharex=True, squeeze=False)
    for ax, (detector, ex) in zip(axes[:, 0], shown):
        values, kinds, flags = np.asarray(ex["values"]), np.asarray(ex["kinds"]), np.asarray(ex["flags"], bool)
        t = np.arange(len(values))
        ax.plot(t, values, color="#7f7f7f", lw=0.7)
        for kind, (colour, label) in KIND_COLOURS.items():
            at = kinds == kind
            ax.scatter(t[at], values[at], s=14, color=colour, label=f"{label} anomaly", zorder=3)
        ax.scatter(t[flags], values[flags], s=40, facecolors="none", edgecolors="black", lw=0.8,
                   label="flagged", zorder=4)
        ax.set_ylabel(detector.replace("_", " "))
    axes[0, 0].legend(ncol=4, fontsize=7, loc="upper left", bbox_to_anchor=(0, 1.35))
    axes[-1, 0].set_xlabel("sample")
    return [Figure("One hidden series and each detector's flags", _png(fig),
                   "Coloured dots: true anomalies by kind. Circles: samples the detector flagged.")]


# --- fairness and explanations ------------------------------------------------------------------

FAIRNESS = (("disparate_impact", "disparate impact", 1.0), ("statistical_parity_difference", "statistical parity", 0.0),
            ("equal_opportunity_difference", "equal opportunity", 0.0), ("average_odds_difference", "average odds", 0.0))


@draws(E.MITIGATION)
def fairness_before_after(found: Found) -> list[Figure]:
    ev = found.first(E.MITIGATION)
    before, after = ev.get("before") or {}, ev.get("after") or {}
    shown = [(key, label, fair) for key, label, fair in FAIRNESS if key in before and key in after]
    if not shown:
        return []
    fig, axes = plt.subplots(1, 2, figsize=(8, 2.6), gridspec_kw={"width_ratios": [3, 1]})
    y = np.arange(len(shown))[::-1]
    axes[0].barh(y + 0.18, [before[k] for k, _, _ in shown], height=0.35, color="#d62728", label="before")
    axes[0].barh(y - 0.18, [after[k] for k, _, _ in shown], height=0.35, color="#2ca02c", label="after mitigation")
    for yi, (_, _, fair) in zip(y, shown):
        axes[0].plot([fair, fair], [yi - 0.45, yi + 0.45], color="black", lw=1)
    axes[0].set_yticks(y, [label for _, label, _ in shown])
    axes[0].axvline(0, color="grey", lw=0.5)
    axes[0].set_xlabel("value (black tick: parity)")
    axes[0].legend(fontsize=7)
    if "accuracy" in before and "accuracy" in after:
        axes[1].bar(["before", "after"], [before["accuracy"], after["accuracy"]], color=["#d62728", "#2ca02c"])
        axes[1].set_ylim(min(before["accuracy"], after["accuracy"]) - 0.05, 1)
        axes[1].set_ylabel("test accuracy")
    return [Figure("Fairness before and after mitigation", _png(fig),
                   "AIF360's metrics on hidden rows, computed by the grader; right: what mitigation cost in accuracy.")]


@draws(E.MEAN_ABS_SHAP, E.LIME_EXAMPLE)
def explanation_bars(found: Found) -> list[Figure]:
    panels = [(t, v) for t, v in (("SHAP: mean |value| per feature", found.first(E.MEAN_ABS_SHAP)),
                                  ("LIME: weights for one row (class 1)",
                                   (found.first(E.LIME_EXAMPLE) or {}).get("weights"))) if v]
    if not panels:
        return []
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 2.8), squeeze=False)
    for ax, (title, values) in zip(axes[0], panels):
        values = np.asarray(values)
        colours = ["#2ca02c" if v >= 0 else "#d62728" for v in values]
        ax.barh([f"x{i}" for i in range(len(values))][::-1], values[::-1], color=colours[::-1])
        ax.set_title(title, fontsize=8)
        ax.axvline(0, color="black", lw=0.6)
    return [Figure("Explanations on the hidden table", _png(fig),
                   "Which features the submission's SHAP and LIME say matter (see the checks for the true drivers).")]


# --- reinforcement learning -------------------------------------------------------------------

@draws(E.REWARD_CURVE, E.EVALUATION_RETURNS)
def reward_curves(found: Found) -> list[Figure]:
    curve, returns = found.first(E.REWARD_CURVE), found.first(E.EVALUATION_RETURNS)
    fig, axes = plt.subplots(1, 2, figsize=(8, 2.6))
    if curve:
        axes[0].plot(np.arange(1, len(curve) + 1), curve, lw=0.8, color="#1f77b4")
        axes[0].axhline(475, color="#2ca02c", ls="--", lw=1, label="solved (475)")
        axes[0].set_xlabel("training episode")
        axes[0].set_ylabel("return")
        axes[0].legend(fontsize=7)
    if returns:
        axes[1].hist(returns, bins=np.linspace(0, 500, 26), color="#1f77b4", edgecolor="white")
        axes[1].axvline(475, color="#2ca02c", ls="--", lw=1)
        axes[1].set_xlabel("greedy return (replayed by the grader)")
        axes[1].set_ylabel("episodes")
    return [Figure("Reward curve and evaluation returns", _png(fig),
                   f"Left: returns during training. Right: {len(returns or [])} unseen evaluation episodes.")]


# --- differential privacy ---------------------------------------------------------------------

@draws(E.ACCURACY_BY_EPSILON, E.MECHANISM_NOISE, E.MEMBERSHIP_ADVANTAGE)
def privacy_curves(found: Found) -> list[Figure]:
    curve, advantage = found.first(E.ACCURACY_BY_EPSILON), found.first(E.MEMBERSHIP_ADVANTAGE)
    noise = [p for _, ev in found.all(E.MECHANISM_NOISE) for p in ev[E.MECHANISM_NOISE]]
    panels = [p for p, present in (("curve", curve), ("noise", noise), ("attack", advantage)) if present]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 2.7), squeeze=False)
    for ax, panel in zip(axes[0], panels):
        if panel == "curve":
            ax.plot(curve["epsilon"], curve["accuracy"], marker="o", label="DP-SGD")
            ax.axhline(curve["nonprivate"], color="grey", ls="--", label="no privacy")
            ax.set_xscale("log")
            ax.set_xlabel("epsilon")
            ax.set_ylabel("test accuracy")
            ax.legend(fontsize=7)
        elif panel == "noise":
            for name, marker in (("laplace", "o"), ("gaussian", "s")):
                pts = [p for p in noise if p.get("mechanism") == name]
                if pts:
                    ax.scatter([p["epsilon"] for p in pts], [p["sd"] / p["sensitivity"] for p in pts], marker=marker,
                               label=f"{name} (measured)")
                    eps = np.sort([p["epsilon"] for p in pts])
                    factor = np.sqrt(2) if name == "laplace" else np.sqrt(2 * np.log(1.25 / pts[0].get("delta", 1e-5)))
                    ax.plot(eps, factor / eps, lw=0.8)
            ax.set_xlabel("epsilon")
            ax.set_ylabel("noise sd / sensitivity")
            ax.set_yscale("log")
            ax.legend(fontsize=7)
        else:
            ax.bar(["private (eps 1)", "no privacy"], [advantage["private_eps1"], advantage["nonprivate"]],
                   color=["#1f77b4", "#d62728"])
            ax.axhline(advantage["bound_eps1"], color="black", ls=":", lw=1, label="eps-1 DP bound")
            ax.set_ylabel("attack advantage")
            ax.legend(fontsize=7)
    return [Figure("Privacy against accuracy, noise and attacks", _png(fig),
                   "Accuracy at each privacy budget; the mechanisms' measured noise against the theory (lines); "
                   "a loss-threshold membership attack's advantage.")]


# --- generated images -------------------------------------------------------------------------

@draws(E.SAMPLE_GRID)
def generated_samples(found: Found) -> list[Figure]:
    images = np.clip(np.asarray(found.first(E.SAMPLE_GRID), dtype=float), 0, 1)
    side = int(np.ceil(np.sqrt(len(images))))
    tiles = np.ones((side * side, 28, 28))
    tiles[:len(images)] = images
    mosaic = tiles.reshape(side, side, 28, 28).transpose(0, 2, 1, 3).reshape(side * 28, side * 28)
    fig, ax = plt.subplots(figsize=(3.2, 3.2))
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.axis("off")
    return [Figure("Generated samples", _png(fig), f"The first {len(images)} of the samples scored, drawn by the "
                   "grader from the arrays the submission returned.")]
