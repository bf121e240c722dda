"""Figures for the report, drawn from the evidence in a run record only.

Each figure is a PNG embedded as a data URI, so a report is one file that
needs no network. `figures(entry, experiment_id)` returns every figure an
experiment's entry has evidence for; a figure whose evidence is missing (its
check was skipped) is simply not drawn, and one that fails to draw says so.
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

plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
                     "svg.hashsalt": "labmark", "figure.dpi": 100})
KIND_COLOURS = {1: ("#d62728", "point"), 2: ("#9467bd", "contextual"), 3: ("#ff7f0e", "collective")}


@dataclass(frozen=True)
class Figure:
    title: str
    uri: str  # data:image/png;base64,...
    caption: str = ""
    error: str = ""  # set instead of uri when drawing failed


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _checks(entry: dict) -> dict[str, dict]:
    return {c["name"]: c for c in entry.get("checks", [])}


# --- any experiment ----------------------------------------------------------------------

def metrics_vs_targets(entry: dict) -> list[Figure]:
    rows = []
    for c in entry.get("checks", []):
        for metric, t in (c.get("evidence", {}).get("targets") or {}).items():
            value = (c["evidence"].get("metrics") or {}).get(metric)
            if value is not None:
                rows.append((c["name"], value, t["floor"], t["target"]))
    if not rows:
        return []
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(rows) + 0.8))
    y = np.arange(len(rows))[::-1]
    values = [r[1] for r in rows]
    colours = ["#2ca02c" if (v >= t if floor <= t else v <= t) else "#d62728" for _, v, floor, t in rows]  # floor > target: lower is better
    ax.barh(y, values, color=colours, height=0.55)
    for yi, (_, v, floor, target) in zip(y, rows):
        ax.plot([target, target], [yi - 0.35, yi + 0.35], color="black", lw=2)
        ax.plot([floor, floor], [yi - 0.35, yi + 0.35], color="grey", lw=1, ls=":")
        ax.text(v, yi, f" {v:.3g}", va="center")
    ax.set_yticks(y, [r[0] for r in rows])
    ax.set_xlim(0, max(1.0, max(values) * 1.15, max(r[3] for r in rows) * 1.1))
    ax.set_xlabel("value (black bar: target, full credit; dotted: floor, no credit)")
    return [Figure("Metrics against targets", _png(fig), "Targets are measured from the reference solution.")]


# --- Experiment 1 ---------------------------------------------------------------------------

def learning_curves(entry: dict) -> list[Figure]:
    checks = _checks(entry)
    histories = {m: (checks.get(f"trains_within_budget[{m}]", {}).get("evidence") or {}).get("history") or {}
                 for m in ("cnn", "rnn")}
    keys = [k for k in ("loss", "accuracy") if any(h.get(k) for h in histories.values())]
    if not keys:
        return []
    fig, axes = plt.subplots(1, len(keys), figsize=(3.4 * len(keys), 2.6), squeeze=False)
    for ax, key in zip(axes[0], keys):
        for model, h in histories.items():
            if h.get(key):
                ax.plot(np.arange(1, len(h[key]) + 1), h[key], marker="o", ms=3, label=model.upper())
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"training {key}")
        ax.legend()
    return [Figure("Learning curves", _png(fig), "Per epoch, as reported by the submission's training.")]


def confusion_matrices(entry: dict) -> list[Figure]:
    checks = _checks(entry)
    mats = {m: (checks.get(f"accuracy[{m}]", {}).get("evidence") or {}).get("confusion_matrix")
            for m in ("cnn", "rnn")}
    mats = {m: np.asarray(v) for m, v in mats.items() if v}
    if not mats:
        return []
    fig, axes = plt.subplots(1, len(mats), figsize=(3.3 * len(mats), 3.1), squeeze=False)
    for ax, (model, cm) in zip(axes[0], mats.items()):
        ax.imshow(cm, cmap="Blues")
        for (i, j), n in np.ndenumerate(cm):
            if n:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=6,
                        color="white" if n > cm.max() / 2 else "black")
        ax.set_title(model.upper())
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_xticks(range(len(cm)))
        ax.set_yticks(range(len(cm)))
    return [Figure("Confusion matrices", _png(fig), "Hidden test images; rows are the true digits.")]


# --- Experiment 3 ---------------------------------------------------------------------------

def model_comparison(entry: dict) -> list[Figure]:
    best = (_checks(entry).get("best_model_meets_the_target", {}).get("evidence") or {})
    accuracy, seconds = best.get("accuracy_by_model") or {}, best.get("seconds_by_model") or {}
    out = []
    if accuracy:
        names = list(accuracy)
        fig, axes = plt.subplots(1, 2, figsize=(8, 2.6))
        colours = ["#2ca02c" if n == best.get("best") else "#1f77b4" for n in names]
        axes[0].barh(names[::-1], [accuracy[n] for n in names][::-1], color=colours[::-1])
        axes[0].set_xlim(0, 1)
        axes[0].set_xlabel("test accuracy")
        axes[1].barh(names[::-1], [seconds.get(n, 0) for n in names][::-1], color="#7f7f7f")
        axes[1].set_xlabel("train + predict seconds")
        axes[1].set_yticks([])
        out.append(Figure("Accuracy and cost of the six models", _png(fig),
                          "As in the lab: hidden test documents; the best model in green."))
    cm = best.get("confusion_matrix")
    if cm:
        cm = np.asarray(cm)
        fig, ax = plt.subplots(figsize=(3.6, 3.4))
        ax.imshow(cm, cmap="Blues")
        classes = best.get("classes")
        ticks = classes if isinstance(classes, list) and len(classes) == len(cm) else range(len(cm))
        ax.set_xticks(range(len(cm)), ticks, rotation=90, fontsize=6)
        ax.set_yticks(range(len(cm)), ticks, fontsize=6)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        out.append(Figure(f"Confusion matrix of the best model ({best.get('best')})", _png(fig)))
    return out


# --- Experiment 4 ---------------------------------------------------------------------------

def spark_costs(entry: dict) -> list[Figure]:
    checks = _checks(entry)
    speed = checks.get("speed", {}).get("evidence") or {}
    start = (checks.get("classifier_on_hidden_rows", {}).get("evidence") or {}).get("spark_start_seconds")
    kmeans = (checks.get("kmeans_cost_falls_as_k_grows", {}).get("evidence") or {}).get("kmeans")
    spark = speed.get("spark_seconds") or {}
    sklearn = speed.get("sklearn") or {}
    bars = {"Spark session start": start,
            "Spark: classifier, regressor, K-means": sum(spark.values()) if spark and None not in spark.values() else None,
            "Spark classifier fit": speed.get("spark_train_seconds"),
            "scikit-learn, same classifier and rows": sklearn.get("logistic_regression_seconds")}
    bars = {k: v for k, v in bars.items() if v is not None}
    if not bars and not kmeans:
        return []
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 2.4), gridspec_kw={"wspace": 0.5})
    if bars:
        axes[0].barh(list(bars)[::-1], list(bars.values())[::-1], color="#ff7f0e")
        axes[0].set_xlabel("seconds")
    if kmeans:
        axes[1].plot(kmeans["k"], kmeans["cost"], marker="o")
        axes[1].set_xlabel("k")
        axes[1].set_ylabel("K-means cost")
    return [Figure("Where the time goes, and the K-means elbow", _png(fig),
                   "Left: seconds in this run (the session start is paid once). Right: training cost against k.")]


# --- Experiment 5 ---------------------------------------------------------------------------

def attention_heatmap(entry: dict) -> list[Figure]:
    checks = _checks(entry)
    heat = (checks.get("attention_rows_are_distributions", {}).get("evidence") or {}).get("heatmap")
    samples = (checks.get("translation_quality[bleu]", {}).get("evidence") or {}).get("samples")
    out = []
    if heat and np.size(heat["weights"]):
        w = np.asarray(heat["weights"], dtype=float)
        fig, ax = plt.subplots(figsize=(0.32 * w.shape[1] + 1.6, 0.28 * w.shape[0] + 1.2))
        ax.imshow(w, cmap="Greys", vmin=0, vmax=max(1.0, float(w.max())), aspect="auto")
        ax.set_xticks(range(w.shape[1]), [str(t)[:14] for t in heat["source"]], rotation=90, fontsize=7)
        ax.set_yticks(range(w.shape[0]), [str(t)[:14] for t in heat["target"]], fontsize=7)
        ax.set_xlabel("source (English)")
        ax.set_ylabel("output (French)")
        out.append(Figure("Attention while translating one unseen sentence", _png(fig),
                          "Row i: where the decoder looked while writing output word i (dark: more weight)."))
    if samples:
        fig, ax = plt.subplots(figsize=(9, 0.62 * len(samples) + 0.3))
        ax.axis("off")
        for k, s in enumerate(samples):
            y = 1 - k / len(samples)
            ax.text(0, y, f"EN  {s['source'][:110]}", fontsize=7, va="top", transform=ax.transAxes)
            ax.text(0, y - 0.3 / len(samples), f"REF {s['reference'][:110]}", fontsize=7, va="top", color="#2ca02c",
                    transform=ax.transAxes)
            ax.text(0, y - 0.6 / len(samples), f"OUT {s['output'][:110]}", fontsize=7, va="top", color="#1f77b4",
                    transform=ax.transAxes)
        out.append(Figure("Sample translations", _png(fig),
                          "The first unseen test sentences: English source, reference French, the submission's output."))
    return out


# --- Experiment 6 ---------------------------------------------------------------------------

def series_with_flags(entry: dict) -> list[Figure]:
    shown = []
    for name, c in _checks(entry).items():
        example = (c.get("evidence") or {}).get("example_series")
        if name.startswith("detector_f1[") and example:
            shown.append((name[len("detector_f1["):-1], example))
    if not shown:
        return []
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


PLOTS: dict[str, list[Callable[[dict], list[Figure]]]] = {
    "exp01": [learning_curves, confusion_matrices],
    "exp06": [series_with_flags],
}


def figures(entry: dict, experiment_id: str) -> list[Figure]:
    out = []
    for draw in [metrics_vs_targets, *PLOTS.get(experiment_id, [])]:
        try:
            out.extend(draw(entry))
        except Exception as exc:  # noqa: BLE001 - a broken figure is reported in the page, not fatal
            out.append(Figure(draw.__name__.replace("_", " "), "", error=f"{type(exc).__name__}: {exc}"))
    return out


def histogram(values: list[float], maximum: float, title: str) -> str:
    fig, ax = plt.subplots(figsize=(3.0, 1.8))
    ax.hist(values, bins=np.linspace(0, maximum, 11), color="#1f77b4", edgecolor="white")
    ax.set_title(title, fontsize=8)
    ax.set_xlabel("marks")
    ax.set_ylabel("students")
    return _png(fig)


# --- Experiment 7 ---------------------------------------------------------------------------

FAIRNESS = (("disparate_impact", "disparate impact", 1.0), ("statistical_parity_difference", "statistical parity", 0.0),
            ("equal_opportunity_difference", "equal opportunity", 0.0), ("average_odds_difference", "average odds", 0.0))


def fairness_before_after(entry: dict) -> list[Figure]:
    ev = _checks(entry).get("mitigation_moves_fairness_towards_parity", {}).get("evidence") or {}
    before, after = ev.get("before") or {}, ev.get("after") or {}
    shown = [(key, label, fair) for key, label, fair in FAIRNESS if key in before and key in after]
    if not shown:
        return []
    fig, axes = plt.subplots(1, 2, figsize=(8, 2.6), gridspec_kw={"width_ratios": [3, 1]})
    y = np.arange(len(shown))[::-1]
    axes[0].barh(y + 0.18, [before[k] for k, _, _ in shown], height=0.35, color="#d62728", label="before")
    axes[0].barh(y - 0.18, [after[k] for k, _, _ in shown], height=0.35, color="#2ca02c", label="after reweighing")
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
    return [Figure("Fairness before and after reweighing", _png(fig),
                   "AIF360's metrics on hidden rows, computed by the grader; right: what mitigation cost in accuracy.")]


# --- Experiment 8 ---------------------------------------------------------------------------

def explanation_bars(entry: dict) -> list[Figure]:
    checks = _checks(entry)
    shap_ev = (checks.get("shap_ranks_the_drivers_on_top", {}).get("evidence") or {}).get("mean_abs_shap")
    lime_ev = ((checks.get("lime_ranks_the_drivers_on_top", {}).get("evidence") or {}).get("lime_example") or {}
               ).get("weights")
    panels = [(t, v) for t, v in (("SHAP: mean |value| per feature", shap_ev),
                                  ("LIME: weights for one row (class 1)", lime_ev)) if v]
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


# --- Experiment 9 ---------------------------------------------------------------------------

def reward_curves(entry: dict) -> list[Figure]:
    checks = _checks(entry)
    curve = (checks.get("trains_within_budget", {}).get("evidence") or {}).get("reward_curve")
    returns = (checks.get("greedy_return", {}).get("evidence") or {}).get("evaluation_returns")
    if not curve and not returns:
        return []
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
                   "Left: returns during training. Right: 100 unseen evaluation episodes.")]


# --- Experiment 10 --------------------------------------------------------------------------

def privacy_curves(entry: dict) -> list[Figure]:
    checks = _checks(entry)
    curve = (checks.get("accuracy_against_epsilon", {}).get("evidence") or {}).get("curve")
    noise = {name: (checks.get(f"{name}_noise_has_the_right_distribution", {}).get("evidence") or {}).get("noise")
             for name in ("laplace", "gaussian")}
    advantage = (checks.get("membership_inference_audit", {}).get("evidence") or {}).get("advantage")
    panels = [p for p in ("curve", "noise", "attack") if {"curve": curve, "noise": any(noise.values()),
                                                            "attack": advantage}[p]]
    if not panels:
        return []
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
                pts = noise[name] or []
                if pts:
                    ratio = [p["sd"] / p["sensitivity"] for p in pts]
                    ax.scatter([p["epsilon"] for p in pts], ratio, marker=marker, label=f"{name} (measured)")
                    eps = np.sort([p["epsilon"] for p in pts])
                    factor = np.sqrt(2) if name == "laplace" else np.sqrt(2 * np.log(1.25 / pts[0].get("delta", 1e-5)))
                    ax.plot(eps, factor / eps, lw=0.8)
            ax.set_xlabel("epsilon")
            ax.set_ylabel("noise sd / sensitivity")
            ax.set_yscale("log")
            ax.legend(fontsize=7)
        else:
            names = ["private (eps 1)", "no privacy"]
            values = [advantage["private_eps1"], advantage["nonprivate"]]
            ax.bar(names, values, color=["#1f77b4", "#d62728"])
            ax.axhline(advantage["bound_eps1"], color="black", ls=":", lw=1, label="eps-1 DP bound")
            ax.set_ylabel("attack advantage")
            ax.legend(fontsize=7)
    return [Figure("Privacy against accuracy, noise and attacks", _png(fig),
                   "Accuracy at each privacy budget; the mechanisms' measured noise against the theory (lines); "
                   "a loss-threshold membership attack's advantage.")]


PLOTS.update({"exp07": [fairness_before_after], "exp08": [explanation_bars], "exp09": [reward_curves],
              "exp10": [privacy_curves]})
PLOTS.update({"exp03": [model_comparison], "exp04": [spark_costs], "exp05": [attention_heatmap]})


# --- Experiment 2 ---------------------------------------------------------------------------

def gan_samples_and_curves(entry: dict) -> list[Figure]:
    checks = _checks(entry)
    grid = (checks.get("same_seed_same_images", {}).get("evidence") or {}).get("grid")
    history = (checks.get("trains_within_budget", {}).get("evidence") or {}).get("history") or {}
    out = []
    if grid:
        images = np.clip(np.asarray(grid, dtype=float), 0, 1)
        side = int(np.ceil(np.sqrt(len(images))))
        tiles = np.ones((side * side, 28, 28))
        tiles[:len(images)] = images
        mosaic = tiles.reshape(side, side, 28, 28).transpose(0, 2, 1, 3).reshape(side * 28, side * 28)
        fig, ax = plt.subplots(figsize=(3.2, 3.2))
        ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        ax.axis("off")
        out.append(Figure("Generated samples", _png(fig), f"The first {len(images)} of the 1,000 samples scored "
                          "(seed 1234), drawn by the grader from the arrays generate() returned."))
    panels = [(keys, label) for keys, label in ((("g_loss", "d_loss"), "loss"),
                                                 (("d_acc_real", "d_acc_fake"), "discriminator accuracy"))
              if any(history.get(k) for k in keys)]
    if panels:
        fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 2.6), squeeze=False)
        for ax, (keys, label) in zip(axes[0], panels):
            for key in keys:
                if history.get(key):
                    ax.plot(np.arange(1, len(history[key]) + 1), history[key], marker="o", ms=3,
                            label={"g_loss": "generator", "d_loss": "discriminator", "d_acc_real": "on real",
                                   "d_acc_fake": "on fake"}[key])
            ax.set_xlabel("epoch")
            ax.set_ylabel(label)
            ax.legend(fontsize=7)
        out.append(Figure("Training: losses and discriminator accuracy", _png(fig),
                          "Per epoch, as reported by the submission's train_gan() (its history)."))
    return out


PLOTS.update({"exp02": [gan_samples_and_curves]})
