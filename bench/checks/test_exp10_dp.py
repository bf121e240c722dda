"""Experiment 10 checks: noise mechanisms, DP-SGD and an empirical privacy audit.

Mechanisms are tested statistically: many draws made in the worker with a
seeded generator, a Kolmogorov-Smirnov test here against the distribution the
definition prescribes, over sensitivities and epsilons drawn by hypothesis; a
fit too good to be random fails as well as a bad one. The draws must be random
the way the definition needs: the same seed gives the same draws, another seed
others, and no draw predicts the next. A private model's claimed epsilon is
recomputed here with the Opacus accountant it names, from the noise
multiplier, sampling rate and steps it reports. Accuracy and a
loss-threshold membership-inference attack use the hidden test rows.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reference import EXPERIMENTS, Budget

from bench import errors
from bench.scoring import outputs
from bench.checks.common import Speed
from bench.data.shipped import load_breast_cancer
from bench.inside import helpers
from bench.worker import Handle, Make

EXPERIMENT = EXPERIMENTS["exp10"]
DELTA = 1e-5
EPSILONS = (0.5, 1.0, 2.0, 4.0, 8.0)
GRADED_EPSILONS = (1.0, 8.0)
# How far accuracy at one epsilon may fall below accuracy at a smaller one: 4 x the largest sd over seeds of the
# difference between two points of the reference's curve (0.0111, epsilon 0.5 against 8), rounded up to 0.01.
# Measured: reference, seeds 0-4 with the calibration keys (bench/calibrate.py), 2 CPU threads, 2026-12-02,
# `pytest bench -k "exp10 and accuracy_against_epsilon" --submission reference --seed S --key K`: accuracy at
# epsilon 0.5/1/2/4/8 mean 0.941/0.951/0.954/0.955/0.956 (sd 0.012/0.005/0.003/0.003/0.003); the largest fall
# from a smaller epsilon to a larger one in any run 0.0006 (seed 0, epsilon 2 to 4).
CURVE_DROP_MAX = 0.05
DRAWS = 20_000
# A correct mechanism fails the KS test at this p-value once in 10,000 runs; a wrong scale by 10% fails always.
KS_P_MIN = 1e-4
# ... and fits better than this once in 10,000 runs (the p-value of a random sample is uniform); quantiles of
# evenly spread points (a low-discrepancy sequence instead of draws) fit to KS p = 1.0.
KS_P_MAX = 1 - KS_P_MIN
# Serial independence: |z| of the lag-1 autocorrelation or of the runs test above this (two-sided p 1e-4) fails.
SERIAL_Z_MAX = 3.89
# Seeds for the reproducibility check: SEED is the one the distribution checks draw with.
SEED, OTHER_SEED = 7, 8
# No shrinking: every example is 20,000 draws in the worker, and shrinking a failure (a wrong scale fails
# for every input) ran to hypothesis's 300 s limit; the first failing example, in the message, says enough.
PROPERTY = hsettings(max_examples=5, deadline=None, derandomize=True, database=None,
                     phases=(Phase.explicit, Phase.reuse, Phase.generate), suppress_health_check=list(HealthCheck))


@pytest.fixture
def data(harness, run):
    """Real training rows; test rows drawn from the run's hidden seed (bench/data/shipped.py), so the public
    table does not hold their labels."""
    seed = harness.settings.hidden_seed
    split = harness.cached("breast-cancer", lambda: load_breast_cancer(None, seed))
    run.dataset = split.info.hiding_seed(seed)
    return split


# --- mechanisms -----------------------------------------------------------------------

def called(fn: str, args) -> str:
    """How a message shows a mechanism's call: laplace_mechanism(0, 1, 1, rng)."""
    return f"{fn}({', '.join(f'{a:g}' for a in args)}, rng)"


def draws(run, fn: str, *args, seed: int = SEED) -> np.ndarray:
    """DRAWS calls of fn(*args, rng) in the worker, all with one generator made there, fresh, from `seed`."""
    value, _ = run.harness(helpers.repeat, fn, DRAWS, *args, Make(helpers.rng, seed))
    value = outputs.array(value, f"{fn}()", "a float")
    if value.shape != (DRAWS,) or not np.isfinite(value).all():
        raise errors.BadOutput(f"{fn}() returned values that are not finite numbers; expected one float per call")
    return value


def ks(noise: np.ndarray, dist: str, scale: float) -> float:
    from scipy import stats

    return float(stats.kstest(noise, dist, args=(0.0, scale)).pvalue)


def too_good(p: float, call: str) -> str:
    """The message for a KS fit too close to the distribution to come from random draws."""
    return (f"{call}: the noise fits the distribution too well to be random (KS p = {p:.6f} over {DRAWS} draws; "
            f"random draws fit this well once in {1 / (1 - KS_P_MAX):,.0f} runs). Expected: noise drawn from the "
            "rng argument. Likely cause: noise computed from a fixed sequence (quantiles of evenly spread points, a "
            "low-discrepancy sequence) instead of drawn; draw it with rng.laplace / rng.normal.")


def test_laplace_noise_has_the_right_distribution(run, check):
    run.interface()

    @PROPERTY
    @given(value=st.floats(-100, 100), sensitivity=st.floats(0.1, 10), epsilon=st.floats(0.1, 5))
    def laplace(value, sensitivity, epsilon):
        noise = draws(run, "laplace_mechanism", value, sensitivity, epsilon) - value
        b = sensitivity / epsilon
        p = ks(noise, "laplace", b)
        measured = float(np.mean(np.abs(noise)))  # E|Laplace(b)| = b
        check.evidence.setdefault("mechanism_noise", []).append(
            {"mechanism": "laplace", "epsilon": epsilon, "sensitivity": sensitivity, "sd": float(noise.std()), "expected_sd": b * math.sqrt(2),
             "ks_p": p})
        assert p >= KS_P_MIN, (
            f"laplace_mechanism(value={value:.3g}, sensitivity={sensitivity:.3g}, epsilon={epsilon:.3g}): the noise "
            f"is not Laplace with scale b = sensitivity/epsilon = {b:.4g} (KS p = {p:.2g} over {DRAWS} draws; mean "
            f"|noise| {measured:.4g}, expected {b:.4g}). Likely cause: a Gaussian draw, or the scale of the "
            "Gaussian mechanism, or epsilon/sensitivity inverted.")
        assert p <= KS_P_MAX, too_good(p, f"laplace_mechanism(sensitivity={sensitivity:.3g}, epsilon={epsilon:.3g})")
    laplace()


def test_gaussian_noise_has_the_right_distribution(run, check):
    run.interface()

    @PROPERTY
    @given(value=st.floats(-100, 100), sensitivity=st.floats(0.1, 10), epsilon=st.floats(0.1, 0.99),
           delta=st.sampled_from([1e-5, 1e-3]))
    def gaussian(value, sensitivity, epsilon, delta):
        noise = draws(run, "gaussian_mechanism", value, sensitivity, epsilon, delta) - value
        sigma = sensitivity * math.sqrt(2 * math.log(1.25 / delta)) / epsilon
        p = ks(noise, "norm", sigma)
        check.evidence.setdefault("mechanism_noise", []).append(
            {"mechanism": "gaussian", "epsilon": epsilon, "sensitivity": sensitivity, "delta": delta, "sd": float(noise.std()),
             "expected_sd": sigma, "ks_p": p})
        assert p >= KS_P_MIN, (
            f"gaussian_mechanism(sensitivity={sensitivity:.3g}, epsilon={epsilon:.3g}, delta={delta:g}): the noise "
            f"is not Gaussian with sigma = sensitivity*sqrt(2 ln(1.25/delta))/epsilon = {sigma:.4g} (KS p = "
            f"{p:.2g}; measured sd {noise.std():.4g}). Likely cause: a Laplace draw or a different sigma formula.")
        assert p <= KS_P_MAX, too_good(p, f"gaussian_mechanism(sensitivity={sensitivity:.3g}, epsilon={epsilon:.3g}, "
                                          f"delta={delta:g})")
    gaussian()


# The mechanisms' randomness: one fixed call each, drawn once per seed (the draws are staged, shared by both checks).
MECHANISM_CALLS = {"laplace_mechanism": (0.0, 1.0, 1.0), "gaussian_mechanism": (0.0, 1.0, 0.5, DELTA)}


def seeded_draws(run, fn: str, seed: int, attempt: int = 0) -> np.ndarray:
    """fn's draws from a fresh generator seeded `seed` (attempt: a second, separate call with the same seed)."""
    return run.stage(f"draws:{fn}:{seed}:{attempt}", lambda: draws(run, fn, *MECHANISM_CALLS[fn], seed=seed))


def test_mechanism_noise_follows_the_seed(run, check):
    """Two calls, each with a fresh generator made in the worker from the same seed, must draw the same noise;
    a generator from another seed, other noise. (The two calls share one worker: a mechanism that keeps a
    generator of its own between calls, or makes an unseeded one, draws differently.)"""
    run.interface()
    for fn, args in MECHANISM_CALLS.items():
        first, again, other = (seeded_draws(run, fn, SEED), seeded_draws(run, fn, SEED, 1),
                               seeded_draws(run, fn, OTHER_SEED))
        same, shared = float(np.mean(first == again)), float(np.mean(first == other))
        check.add(**{f"{fn}_seed_repeats": same, f"{fn}_other_seed_repeats": shared})
        call = called(fn, args)
        assert same == 1.0, (
            f"{call}: two runs of {DRAWS} draws, each with a fresh generator np.random.default_rng({SEED}), agree in "
            f"only {same:.1%} of draws. Expected: the same seed gives the same noise, so a release can be "
            "reproduced and audited. Likely cause: noise drawn from a generator other than the rng argument (a new "
            "np.random.default_rng() per call, a module-level generator, or np.random's global state).")
        assert shared < 0.01, (
            f"{call}: generators seeded {SEED} and {OTHER_SEED} give the same noise in {shared:.1%} of {DRAWS} draws. "
            "Expected: another seed, other noise. Likely cause: the rng argument is ignored and the noise comes from "
            "a fixed sequence or a generator of the mechanism's own; draw it with rng.laplace / rng.normal.")
    check.message = "the same seed repeats its noise, another seed draws other noise (both mechanisms)"


def serial_z(noise: np.ndarray) -> dict[str, float]:
    """z-scores of two tests of independence between successive draws, each about N(0, 1) for independent draws:
    the lag-1 autocorrelation (sd 1/sqrt(n)) and the number of runs above and below the median (Wald-Wolfowitz)."""
    n = len(noise)
    centred = noise - noise.mean()
    lag1 = float(np.dot(centred[:-1], centred[1:]) / np.dot(centred, centred))
    above = noise > np.median(noise)
    n1, n2 = int(above.sum()), int(n - above.sum())
    runs = 1 + int(np.count_nonzero(above[1:] != above[:-1]))
    mean = 2 * n1 * n2 / n + 1
    var = 2 * n1 * n2 * (2 * n1 * n2 - n) / (n**2 * (n - 1))
    return {"lag1_autocorrelation": lag1 * math.sqrt(n), "runs": (runs - mean) / math.sqrt(var)}


def test_mechanism_noise_is_serially_independent(run, check):
    """Successive draws from one generator must not predict each other: a mechanism that walks through a fixed
    sequence, alternates signs or pairs draws shows it in the lag-1 autocorrelation or in the runs test."""
    run.interface()
    for fn, args in MECHANISM_CALLS.items():
        z = serial_z(seeded_draws(run, fn, SEED))
        check.add(**{f"{fn}_serial_z": z})
        worst = max(z, key=lambda k: abs(z[k]))
        assert abs(z[worst]) <= SERIAL_Z_MAX, (
            f"{called(fn, args)}: successive draws are not independent: the {worst.replace('_', ' ')} test gives "
            f"z = {z[worst]:.1f} over {DRAWS} draws from one generator (independent draws stay within "
            f"+-{SERIAL_Z_MAX} but once in 10,000 runs; lag-1 autocorrelation z {z['lag1_autocorrelation']:.1f}, "
            f"runs z {z['runs']:.1f}). Expected: each call draws fresh noise from rng. Likely cause: noise taken "
            "from a sequence indexed by a call counter (a low-discrepancy or stratified sequence), or draws reused "
            "with a flipped sign; draw it with rng.laplace / rng.normal.")
    check.message = "successive draws independent (lag-1 autocorrelation and runs tests, both mechanisms)"


# --- private training ---------------------------------------------------------------------

def private(run, data, epsilon: float) -> dict:
    def compute():
        value, seconds = run.call("train_private", data.x_train, data.y_train, epsilon, DELTA, Budget, train=True,
                                  model="pair")
        if not (isinstance(value, tuple) and isinstance(value[1], dict)):
            got = (f"one object ({value.type})" if isinstance(value, Handle) else
                   f"(model, {type(value[1]).__name__})")
            raise errors.BadOutput("train_private() must return (model, report) with report a dict of "
                                   "noise_multiplier, sample_rate, steps, epsilon and accountant; got "
                                   f"{got}. A model made of several parts is one item: ((model, scaler), report).")
        model, report = value
        probs = _predict(run, model, data.x_test)
        run.record_outputs(f"private:{epsilon:g}", probs.argmax(1), data.y_test)
        return {"model": model, "report": _checked_report(report), "seconds": seconds,
                "probs": probs, "train_probs": _predict(run, model, data.x_train)}
    return run.stage(f"private:{epsilon:g}", compute)


def nonprivate(run, data) -> dict:
    def compute():
        model, seconds = run.call("train_nonprivate", data.x_train, data.y_train, Budget, train=True, model=True)
        probs = _predict(run, model, data.x_test)
        run.record_outputs("nonprivate", probs.argmax(1), data.y_test)
        return {"model": model, "seconds": seconds, "probs": probs, "train_probs": _predict(run, model, data.x_train)}
    return run.stage("nonprivate", compute)


def _predict(run, model, x) -> np.ndarray:
    value, _ = run.call("predict_proba", model, x)
    return outputs.probabilities(value, len(x), 2, "predict_proba()")


def _checked_report(report: dict) -> dict:
    expected = ("noise_multiplier", "sample_rate", "steps", "epsilon", "accountant")
    missing = [k for k in expected if k not in report]
    numbers = {k: report.get(k) for k in expected[:4]}
    if missing or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in numbers.values()):
        raise errors.BadOutput(f"train_private()'s report must hold {', '.join(expected)} (numbers, and the "
                               f"accountant's name); missing {missing or 'none'}, got {report!r:.300}")
    if report["accountant"] not in accountants() or numbers["noise_multiplier"] <= 0 or \
            not 0 < numbers["sample_rate"] <= 1 or numbers["steps"] < 1:
        raise errors.BadOutput(f"train_private()'s report is not a DP-SGD run: noise_multiplier > 0, 0 < "
                               f"sample_rate <= 1, steps >= 1 and accountant one of Opacus's {accountants()} "
                               f"expected; got {report!r:.300}")
    return {**numbers, "accountant": report["accountant"]}


def accountants() -> tuple[str, ...]:
    """Every accountant the installed Opacus provides, by the name PrivacyEngine(accountant=...) takes."""
    import opacus.accountants as opacus_accountants

    base = opacus_accountants.IAccountant
    return tuple(sorted(c.mechanism() for c in vars(opacus_accountants).values()
                        if isinstance(c, type) and issubclass(c, base) and c is not base))


def recompute_epsilon(report: dict, delta: float) -> float:
    """The accounting of (noise multiplier, sample rate, steps) by the Opacus accountant the report names: what
    the run really spent."""
    import warnings

    from opacus.accountants import create_accountant

    with warnings.catch_warnings():  # gdp: "experimental and can underestimate", said once to the student by Opacus
        warnings.filterwarnings("ignore", category=UserWarning)
        accountant = create_accountant(report["accountant"])
    accountant.history = [(float(report["noise_multiplier"]), float(report["sample_rate"]), int(report["steps"]))]
    return float(accountant.get_epsilon(delta))


def spent_epsilon(run, data, epsilon: float) -> float:
    """What the private run for this target really spent, by the accountant (once per run)."""
    return run.stage(f"spent:{epsilon:g}", lambda: recompute_epsilon(private(run, data, epsilon)["report"], DELTA))


def within(spent: float, epsilon: float) -> bool:
    """The accountant confirms the target (2% for the accountant's own numerical error)."""
    return spent <= epsilon * 1.02


@pytest.mark.parametrize("epsilon", GRADED_EPSILONS)
def test_claimed_epsilon_matches_the_accountant(run, check, data, epsilon):
    report = private(run, data, epsilon)["report"]
    spent = spent_epsilon(run, data, epsilon)
    check.add(report=report, recomputed_epsilon=spent)
    assert abs(report["epsilon"] - spent) <= 0.05 * spent + 0.01, (
        f"train_private() claims epsilon {report['epsilon']:.4g}, but Opacus's {report['accountant']} accountant "
        f"gives {spent:.4g} for noise multiplier {report['noise_multiplier']:.4g}, sample rate "
        f"{report['sample_rate']:.4g} and {report['steps']} steps at delta {DELTA:g}. Expected: the epsilon the "
        "accountant reports after training. Likely cause: reporting the target instead of the spent budget, or "
        "steps counted per epoch instead of per batch.")
    assert within(spent, epsilon), (
        f"The run spent epsilon {spent:.4g} (recomputed), over the target {epsilon:g}. Expected: at most the "
        "target. Likely cause: more epochs than the noise multiplier was calibrated for.")
    check.message = f"claimed {report['epsilon']:.3f}, accountant {spent:.3f} (target {epsilon:g})"


@pytest.mark.parametrize("epsilon", GRADED_EPSILONS)
def test_private_accuracy(run, check, data, epsilon):
    """Accuracy at a privacy level earns credit only when the accountant confirms that level: a run that
    spends more than its target is not a model at that epsilon, whatever it claims."""
    mine = private(run, data, epsilon)
    probs, report = mine["probs"], mine["report"]
    accuracy = float((probs.argmax(1) == data.y_test).mean())
    spent = spent_epsilon(run, data, epsilon)
    check.add(recomputed_epsilon=spent, unconfirmed_accuracy=accuracy)
    assert within(spent, epsilon), (
        f"Test accuracy {accuracy:.3f} is not credited at epsilon {epsilon:g}: the run spent epsilon {spent:.4g} "
        f"by Opacus's {report['accountant']} accountant (noise multiplier {report['noise_multiplier']:.4g}, "
        f"sample rate {report['sample_rate']:.4g}, {report['steps']} steps, delta {DELTA:g}), over its target; "
        "accuracy at a privacy level counts only when the accountant confirms that level (see "
        f"claimed_epsilon_matches_the_accountant[{epsilon}]). Likely cause: a noise multiplier fixed by hand, or "
        "calibrated for fewer steps than the run took (e.g. one epoch); calibrate it for every step the run takes "
        "(Opacus's make_private_with_epsilon), or stop when the accountant reaches the target.")
    check.grade(f"accuracy_eps{epsilon:g}", accuracy, EXPERIMENT, "real",
                what=f"test accuracy at epsilon {epsilon:g}")


def test_nonprivate_accuracy(run, check, data):
    probs = nonprivate(run, data)["probs"]
    accuracy = float((probs.argmax(1) == data.y_test).mean())
    check.grade("accuracy_nonprivate", accuracy, EXPERIMENT, "real",
                what="test accuracy without privacy")


def test_accuracy_against_epsilon(run, check, data):
    """The privacy/accuracy curve of the lab: accuracy at several budgets (evidence for the report), which must
    rise with epsilon: no budget's accuracy may fall below a smaller budget's by more than CURVE_DROP_MAX."""
    curve = {}
    for epsilon in EPSILONS:
        probs = private(run, data, epsilon)["probs"]
        curve[epsilon] = float((probs.argmax(1) == data.y_test).mean())
    baseline = float((nonprivate(run, data)["probs"].argmax(1) == data.y_test).mean())
    check.add(accuracy_by_epsilon={"epsilon": list(curve), "accuracy": list(curve.values()), "nonprivate": baseline})
    shown = ", ".join(f"eps {e:g}: {a:.3f}" for e, a in curve.items())
    drop, low, high = max((curve[a] - curve[b], a, b) for a in EPSILONS for b in EPSILONS if a < b)
    assert drop <= CURVE_DROP_MAX, (
        f"Test accuracy falls as epsilon grows: {curve[high]:.3f} at epsilon {high:g}, {drop:.3f} below "
        f"{curve[low]:.3f} at epsilon {low:g} (the curve: {shown}; a fall of up to {CURVE_DROP_MAX} is "
        "allowed for noise, and the reference's curve never fell by more than 0.001). Expected: a larger privacy budget adds less noise, so accuracy rises "
        "with epsilon, towards the non-private model's. Likely cause: train_private does not train the same way at "
        "every epsilon (fewer steps, another learning rate, or no training at budgets that are not graded), or the "
        "noise multiplier grows with epsilon.")
    check.message = f"{shown}; no privacy: {baseline:.3f}"


def membership_advantage(train_probs, y_train, test_probs, y_test) -> float:
    """Best TPR - FPR of the attack 'a row is a training member if its loss is below t', over all t."""
    eps = 1e-12
    member = -np.log(train_probs[np.arange(len(y_train)), y_train] + eps)
    outsider = -np.log(test_probs[np.arange(len(y_test)), y_test] + eps)
    thresholds = np.unique(np.concatenate([member, outsider]))
    tpr = (member[None, :] <= thresholds[:, None]).mean(axis=1)
    fpr = (outsider[None, :] <= thresholds[:, None]).mean(axis=1)
    return float(np.max(tpr - fpr))


def test_membership_inference_audit(run, check, data):
    """A loss-threshold attack on the private (epsilon 1) and non-private models.

    epsilon-DP bounds any attack's advantage by (e^eps - 1 + 2 delta) / (e^eps + 1); a private model
    clearly above it was not trained as privately as it claims. The margin covers the sampling noise of
    5,000 outsiders and the search over thresholds. The outsiders are the hidden test rows: new points drawn
    from a model of the same table (bench/data/shipped.py), not real patients, so part of an attack's
    advantage can come from the difference between drawn and real rows rather than from membership. For the
    reference it stayed where it was on the real held-out rows: 0.031 at epsilon 1 and 0.043 without
    privacy in one run (0.036 and 0.033 before).
    """
    mine = private(run, data, 1.0)
    free = nonprivate(run, data)
    adv_private = membership_advantage(mine["train_probs"], data.y_train, mine["probs"], data.y_test)
    adv_free = membership_advantage(free["train_probs"], data.y_train, free["probs"], data.y_test)
    bound = (math.e - 1 + 2 * DELTA) / (math.e + 1)
    check.add(membership_advantage={"private_eps1": adv_private, "nonprivate": adv_free, "bound_eps1": bound})
    check.metric("attack_advantage_private", adv_private)
    check.metric("attack_advantage_nonprivate", adv_free)
    assert adv_private <= bound + 0.15, (
        f"A loss-threshold membership attack reaches advantage {adv_private:.3f} on the model trained for "
        f"epsilon 1, above what epsilon-1 DP allows ({bound:.3f}, plus 0.15 for sampling noise). Likely cause: "
        "the noise is not applied (e.g. a model trained outside the private optimizer), whatever the report says.")
    check.message = f"attack advantage {adv_private:.3f} (private, eps 1) vs {adv_free:.3f} (no privacy)"


def repeat_seconds(run, data, function: str, *args, repeats: int = 3) -> float:
    """Best of a few repeated training calls (timeit's rule: the minimum is the least disturbed by a shared
    machine); the graded first call also paid for importing Opacus, and a plain fit here is a fraction of
    a second, so one timing is mostly noise."""
    return min(run.call(function, data.x_train, data.y_train, *args, Budget, train=True, model=True)[1]
               for _ in range(repeats))


# The checks that judge the outputs the speed check times (private training: the epsilon it spends, and the
# noise it applies): speed is measured only when none of them failed (bench/checks/common.py).
SPEED_NEEDS = ("claimed_epsilon_matches_the_accountant", "membership_inference_audit")


@pytest.fixture
def speed(run, data, harness) -> Speed:
    """Private training (epsilon 1), best of a few calls, against the reference in the same run."""
    private(run, data, 1.0), nonprivate(run, data)  # each must have worked once
    mine = repeat_seconds(run, data, "train_private", 1.0, DELTA)
    slowdown = mine / max(repeat_seconds(run, data, "train_nonprivate"), 1e-9)

    def reference(ref):
        private(ref, data, 1.0)
        return repeat_seconds(ref, data, "train_private", 1.0, DELTA)
    return Speed("private training (epsilon 1)", mine, harness.reference_figure(EXPERIMENT, reference),
                 metrics={"private_slowdown": slowdown})
