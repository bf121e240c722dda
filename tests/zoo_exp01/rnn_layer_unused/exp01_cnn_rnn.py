"""Lazy: the "RNN" is the CNN with a GRU that is created but never called.

The GRU sits in __init__, so the model's structure lists a recurrent layer,
but forward() runs the convolutional network (which meets the RNN's accuracy
target with ease). Only the RNN's architecture check fails: a prediction
never reaches the GRU.
"""
from reference_solution import make_cnn, predict_proba, train_cnn  # noqa: F401
from reference_solution import CNN_SAMPLES, epochs_for, fit, setup


def make_cnn_with_idle_gru():
    from torch import nn

    class IdleGRU(nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = nn.GRU(28, 64, batch_first=True)  # registered, never used
            self.cnn = make_cnn()

        def forward(self, x):
            return self.cnn(x)

    return IdleGRU()


def train_rnn(x_train, y_train, budget):
    device = setup(budget)
    return fit(make_cnn_with_idle_gru().to(device), x_train, y_train, budget,
               epochs_for(len(x_train), CNN_SAMPLES), lr=4e-3)
