"""Control: DP-SGD counted by Opacus's Gaussian (gdp) accountant, honestly reported.

The noise multiplier is calibrated with the gdp accountant for every step the run takes, the engine
counts with it, and the report names it and claims what it counted. The grader recomputes epsilon
with the accountant the report names, so this must be graded like the reference. Everything else
is the reference.
"""
from reference_solution import (  # noqa: F401
    EPOCHS, MAX_GRAD_NORM, fit, gaussian_mechanism, laplace_mechanism, loader, make_model, make_optimizer,
    predict_proba, setup, train_nonprivate,
)


def train_private(x_train, y_train, epsilon, delta, budget):
    from opacus import PrivacyEngine
    from opacus.accountants.utils import get_noise_multiplier

    generator = setup(budget)
    model = make_model(x_train)
    data = loader(x_train, y_train, generator)
    noise = get_noise_multiplier(target_epsilon=epsilon, target_delta=delta, sample_rate=1 / len(data),
                                 steps=EPOCHS * len(data), accountant="gdp")
    engine = PrivacyEngine(accountant="gdp")
    private_model, optimizer, batches = engine.make_private(
        module=model, optimizer=make_optimizer(model), data_loader=data, noise_multiplier=noise,
        max_grad_norm=MAX_GRAD_NORM, noise_generator=generator)
    fit(private_model, optimizer, batches, budget)
    (noise_multiplier, rate, steps), = engine.accountant.history
    report = {"noise_multiplier": float(noise_multiplier), "sample_rate": float(rate), "steps": int(steps),
              "epsilon": float(engine.accountant.get_epsilon(delta)), "accountant": engine.accountant.mechanism()}
    return private_model.to_standard_module().eval(), report
