"""Defect: the noise is calibrated for one epoch, training runs EPOCHS epochs, and the report
claims the target epsilon instead of what the accountant says was spent.

The noise multiplier, sample rate and steps in the report are the true ones, so recomputing
epsilon from them exposes the claim (about 5 spent for a claimed 1, 37 for 8). Its accuracy at
each epsilon is high, as more epochs at less noise make it, and earns nothing: the run is not a
model at that epsilon. Everything else is the reference.
"""
from reference_solution import (  # noqa: F401
    EPOCHS, MAX_GRAD_NORM, fit, gaussian_mechanism, laplace_mechanism, loader, make_model, make_optimizer,
    noise_multiplier_for, predict_proba, setup, train_nonprivate,
)


def train_private(x_train, y_train, epsilon, delta, budget):
    from opacus import PrivacyEngine

    generator = setup(budget)
    model = make_model(x_train)
    data = loader(x_train, y_train, generator)
    noise = noise_multiplier_for(epsilon, delta, 1 / len(data), len(data))  # one epoch's worth of steps
    engine = PrivacyEngine(accountant="prv")
    private_model, optimizer, batches = engine.make_private(
        module=model, optimizer=make_optimizer(model), data_loader=data, noise_multiplier=noise,
        max_grad_norm=MAX_GRAD_NORM, noise_generator=generator)
    fit(private_model, optimizer, batches, budget)  # EPOCHS epochs
    (noise_multiplier, rate, steps), = engine.accountant.history
    report = {"noise_multiplier": noise_multiplier, "sample_rate": rate, "steps": steps, "epsilon": epsilon,
              "accountant": "prv"}
    return private_model.to_standard_module().eval(), report
