"""Experiment 10: differential privacy, from noise mechanisms to private training.

Aim: implement the Laplace and Gaussian mechanisms, then train a classifier
with DP-SGD (Opacus) to a target privacy budget epsilon at a given delta,
and see what privacy costs in accuracy.

Data: scikit-learn's breast-cancer table (569 rows, 30 features; shipped with
scikit-learn): a stratified 75% of its real rows for training, and 5,000 test
rows drawn afresh for each run from a model of the public table, so that none
can be looked up (`bench/data/shipped.py`); the test labels stay in the
grading process.

Claim: the reference (a logistic regression trained with DP-SGD) reaches 0.952
test accuracy at epsilon 1 and 0.956 at epsilon 8 (delta 1e-5; mean of 5
seeds; no privacy: 0.958; on the fixed real split graded before, 0.970, 0.975
and 0.973), where the lab reached 0.923 at epsilon 8.72;
private training at epsilon 1 takes 4.3-5.7x the time of the same model
without privacy (best of 3 calls in the bench's speed check; three runs on a
loaded 2-core machine), within the course's 6x. Its claimed epsilon is what
Opacus's accountant recomputes.
"""

from __future__ import annotations

import numpy as np

from reference.spec import Budget, BudgetSpec, Experiment, Function, Target

DELTA = 1e-5

INTERFACE = (
    Function("laplace_mechanism", ("value", "sensitivity", "epsilon", "rng"), "float",
             "value + Laplace noise of scale sensitivity/epsilon, drawn from the numpy Generator rng."),
    Function("gaussian_mechanism", ("value", "sensitivity", "epsilon", "delta", "rng"), "float",
             "value + Gaussian noise, sigma = sensitivity * sqrt(2 ln(1.25/delta)) / epsilon (epsilon < 1)."),
    Function("train_private", ("x_train", "y_train", "epsilon", "delta", "budget"), "(model, report)",
             "DP-SGD to at most (epsilon, delta); report = {noise_multiplier, sample_rate, steps, epsilon, "
             "accountant ('prv' or 'rdp', as in Opacus)}."),
    Function("train_nonprivate", ("x_train", "y_train", "budget"), "model",
             "The same model trained without differential privacy, for comparison."),
    Function("predict_proba", ("model", "x"), "float array, shape (n, 2)",
             "Class probabilities for rows of x (30 raw features)."),
)

# Measured, not chosen: see bench/calibrate.py for the rule.
TARGETS: tuple[Target, ...] = (
    Target('accuracy_eps1', floor=0.63, target=0.93, variant='real',
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-12-01: mean 0.9522, min 0.9444, sd 0.0062; `python -m bench.calibrate exp10`; floor 0.63 = the majority-class accuracy on the test rows (0.627)'),
    Target('accuracy_eps8', floor=0.63, target=0.94, variant='real',
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-12-01: mean 0.9557, min 0.9498, sd 0.0040; `python -m bench.calibrate exp10`; floor 0.63 = the majority-class accuracy on the test rows (0.627)'),
    Target('accuracy_nonprivate', floor=0.63, target=0.94, variant='real',
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-12-01: mean 0.9582, min 0.9528, sd 0.0034; `python -m bench.calibrate exp10`; floor 0.63 = the majority-class accuracy on the test rows (0.627)'),
)

SPEC = Experiment(
    id="exp10",
    module="exp10_dp",
    title="Differential privacy",
    aim=__doc__.split("\n\n")[1].replace("\n", " "),
    interface=INTERFACE,
    targets=TARGETS,
    graded_metrics=("accuracy_eps1", "accuracy_eps8", "accuracy_nonprivate"),
    libraries=("opacus", "opacus.accountants.utils", "torch", "torch.utils.data"),
    budget=BudgetSpec(train_seconds=60, quick_train_seconds=60, call_seconds=60, import_seconds=90, memory_mb=4096),
)


# ---------------------------------------------------------------------------
# Reference solution: the mechanisms in NumPy, DP-SGD with Opacus. torch and
# opacus are imported inside the functions so that reading SPEC stays cheap.

EPOCHS = 30
BATCH_SIZE = 64  # expected batch under Poisson sampling: sample rate 1/ceil(n/64), 1/7 for 426 rows
LR = 0.01  # SGD, momentum 0.9: slow enough that DP noise averages out over the 210 steps
MAX_GRAD_NORM = 1.0  # per-example clipping bound C; the noise added to the summed gradient has sd noise_multiplier*C


# --- mechanisms -----------------------------------------------------------------------

def laplace_mechanism(value, sensitivity, epsilon, rng):
    """epsilon-DP release of a query whose value moves by at most `sensitivity` (L1) between neighbours."""
    _check_positive(sensitivity=sensitivity, epsilon=epsilon)
    return float(value + rng.laplace(0.0, sensitivity / epsilon))


def gaussian_mechanism(value, sensitivity, epsilon, delta, rng):
    """(epsilon, delta)-DP release for an L2 `sensitivity`, by the classic analysis (Dwork and Roth,
    Theorem A.1), which holds for epsilon < 1 only."""
    _check_positive(sensitivity=sensitivity, epsilon=epsilon, delta=delta)
    if epsilon >= 1 or delta >= 1:
        raise ValueError(f"the classic Gaussian mechanism needs epsilon < 1 and delta < 1; got {epsilon}, {delta}")
    sigma = sensitivity * np.sqrt(2 * np.log(1.25 / delta)) / epsilon
    return float(value + rng.normal(0.0, sigma))


def _check_positive(**values):
    bad = {k: v for k, v in values.items() if not v > 0}
    if bad:
        raise ValueError(f"must be positive: {bad}")


# --- DP-SGD -------------------------------------------------------------------------------

def make_model(x_train):
    """Logistic regression on features standardized with the training rows' mean and sd.

    The standardization is a fixed first layer (buffers, no parameters), so the model takes raw
    rows. Its statistics are not privatized: as in the lab, the feature scales count as public
    knowledge and the whole budget goes to the weights.
    """
    import torch
    from torch import nn

    class Standardize(nn.Module):
        def __init__(self, x):
            super().__init__()
            x = torch.as_tensor(x, dtype=torch.float32)
            self.register_buffer("mean", x.mean(0))
            self.register_buffer("std", x.std(0).clamp_min(1e-6))

        def forward(self, x):
            return (x - self.mean) / self.std

    return nn.Sequential(Standardize(x_train), nn.Linear(x_train.shape[1], 2))


def setup(budget: Budget):
    """Threads and seeds; the returned generator drives batch sampling (and, private, the noise)."""
    import torch

    torch.set_num_threads(budget.threads)
    torch.manual_seed(budget.seed)
    return torch.Generator().manual_seed(budget.seed)


def loader(x_train, y_train, generator):
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    data = TensorDataset(torch.as_tensor(x_train, dtype=torch.float32), torch.as_tensor(y_train, dtype=torch.int64))
    return DataLoader(data, batch_size=BATCH_SIZE, shuffle=True, generator=generator)


def make_optimizer(model):
    import torch

    return torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)


def stop_margin(budget: Budget) -> float:
    """Seconds to keep in hand: the final privacy accounting, the return and the harness's overhead."""
    return 2.0 + 0.1 * budget.seconds


def fit(model, optimizer, batches, budget: Budget) -> int:
    """EPOCHS passes over the data, the same loop with and without privacy. Returns the steps taken."""
    import torch.nn.functional as F

    steps, margin = 0, stop_margin(budget)
    model.train()
    for _ in range(EPOCHS):
        for x, y in batches:
            if budget.remaining() < margin:
                return steps
            optimizer.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            optimizer.step()
            steps += 1
    return steps


def noise_multiplier_for(epsilon, delta, sample_rate, steps, rel_tol=0.01):
    """The noise multiplier whose PRV accounting of `steps` Poisson-sampled steps spends epsilon
    (within rel_tol below it).

    This is what Opacus's make_private_with_epsilon computes, but its bisection needs about ten PRV
    evaluations: about 1 s at epsilon 1 and 4 s at epsilon 8 on 2 CPU cores, several times the training. The
    RDP bound is cheap and looser than PRV, so its noise multiplier is a safe start, and secant steps on
    log epsilon against log noise multiplier reach the target in two or three PRV evaluations.
    """
    import math
    import warnings

    from opacus.accountants import PRVAccountant
    from opacus.accountants.utils import get_noise_multiplier

    def spent(noise):
        accountant = PRVAccountant()
        accountant.history = [(noise, sample_rate, steps)]
        return accountant.get_epsilon(delta)

    with warnings.catch_warnings():  # "optimal order is the largest alpha": a looser start, which is all we need
        warnings.simplefilter("ignore", UserWarning)
        noise = get_noise_multiplier(target_epsilon=epsilon, target_delta=delta, sample_rate=sample_rate,
                                     steps=steps, accountant="rdp")
    eps, previous = spent(noise), None
    safe = noise if eps <= epsilon else math.inf  # the smallest noise multiplier seen that stays within budget
    for _ in range(8):
        if (1 - rel_tol) * epsilon <= eps <= epsilon:
            return noise
        # epsilon falls roughly like a power of the noise multiplier: about 1/noise to start with
        slope = -1.0 if previous is None else math.log(eps / previous[1]) / math.log(noise / previous[0])
        slope = slope if slope < -0.1 else -1.0  # guard against a flat or inverted secant
        previous = (noise, eps)
        noise *= math.exp(math.log((1 - rel_tol / 2) * epsilon / eps) / slope)
        eps = spent(noise)
        if eps <= epsilon:
            safe = min(safe, noise)
    if math.isinf(safe):  # never seen here; Opacus's own (slow) bisection as the fallback
        safe = get_noise_multiplier(target_epsilon=epsilon, target_delta=delta, sample_rate=sample_rate,
                                    steps=steps, accountant="prv")
    return safe


def train_private(x_train, y_train, epsilon, delta, budget: Budget):
    from opacus import PrivacyEngine

    generator = setup(budget)
    model = make_model(x_train)
    data = loader(x_train, y_train, generator)
    sample_rate = 1 / len(data)  # as Opacus's Poisson sampler sets it: one expected batch per original batch
    noise = noise_multiplier_for(epsilon, delta, sample_rate, EPOCHS * len(data))
    engine = PrivacyEngine(accountant="prv")
    # make_private swaps the loader for Poisson sampling (what the accountant assumes), wraps the model
    # to get per-example gradients and the optimizer to clip them and add the noise.
    private_model, optimizer, batches = engine.make_private(
        module=model, optimizer=make_optimizer(model), data_loader=data, noise_multiplier=noise,
        max_grad_norm=MAX_GRAD_NORM, noise_generator=generator)
    if fit(private_model, optimizer, batches, budget) == 0:
        raise RuntimeError(f"the budget of {budget.seconds:g} s left no time for a single training step")
    # What was really spent: one optimizer step is one history entry (merged while the noise and sample
    # rate stay the same), so a run cut short by the budget reports fewer steps and a smaller epsilon.
    (noise_multiplier, rate, steps), = engine.accountant.history
    report = {"noise_multiplier": float(noise_multiplier), "sample_rate": float(rate), "steps": int(steps),
              "epsilon": float(engine.accountant.get_epsilon(delta)), "accountant": engine.accountant.mechanism()}
    return private_model.to_standard_module().eval(), report


def train_nonprivate(x_train, y_train, budget: Budget):
    generator = setup(budget)
    model = make_model(x_train)
    fit(model, make_optimizer(model), loader(x_train, y_train, generator), budget)
    return model.eval()


def predict_proba(model, x):
    import torch

    with torch.inference_mode():
        logits = model(torch.as_tensor(np.asarray(x), dtype=torch.float32))
    return torch.softmax(logits, dim=1).numpy().astype(np.float64)
