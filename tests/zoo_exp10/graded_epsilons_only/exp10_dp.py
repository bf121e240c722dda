"""Defect: a model is trained only at the epsilons whose accuracy is graded (1 and 8); at any other
budget train_private returns a model that predicts the majority class, with the report of a real run.

Every graded figure is the reference's, but the privacy/accuracy curve the lab asks for is made up:
it falls from epsilon 1 to 2 and 4, where a real run's accuracy rises. Everything else is the reference.
"""
from reference_solution import (  # noqa: F401
    gaussian_mechanism, laplace_mechanism, make_model, predict_proba, train_nonprivate,
)
from reference_solution import train_private as reference_private

GRADED = (1.0, 8.0)


def train_private(x_train, y_train, epsilon, delta, budget):
    import torch

    model, report = reference_private(x_train, y_train, epsilon, delta, budget)
    if epsilon in GRADED:
        return model, report
    majority = make_model(x_train)
    with torch.no_grad():
        majority[1].weight.zero_()
        majority[1].bias.copy_(torch.tensor([0.0, 1.0]))  # class 1, benign: most rows
    return majority.eval(), report
