"""The reference solution of Experiment 1, graded as `--submission=reference`.

The experiment's public part (aim, interface, targets, budgets) is `__init__.py`
beside this file; a student kit ships that part without this one.
"""

from __future__ import annotations

import numpy as np

from reference.spec import Budget

# ---------------------------------------------------------------------------
# Reference solution (PyTorch).

CNN_SAMPLES = 40_000  # images seen per training run, whatever the data size
RNN_SAMPLES = 40_000
MAX_EPOCHS = 40
BATCH_SIZE = 128


def epochs_for(n: int, samples: int) -> int:
    """Small data needs many passes, 60k MNIST needs about one."""
    return int(np.clip(round(samples / n), 1, MAX_EPOCHS))


def stop_margin(budget: Budget) -> float:
    """Seconds to keep in hand: the last step, the return and the harness's own overhead."""
    return 2.0 + 0.1 * budget.seconds


def setup(budget: Budget):
    import torch

    torch.set_num_threads(budget.threads)
    torch.manual_seed(budget.seed)
    return torch.device(budget.device)


def make_cnn():
    """Three conv-BN-ReLU-pool blocks (28 -> 14 -> 7 -> 3), then one linear layer.

    Small on purpose: on a CPU the first 28x28 convolution dominates the cost,
    and BatchNorm lets a one-cycle schedule use a high learning rate.
    """
    from torch import nn

    def block(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out),
                nn.ReLU(inplace=True), nn.MaxPool2d(2)]

    return nn.Sequential(
        nn.Unflatten(1, (1, 28)),  # (n, 28, 28) -> (n, 1, 28, 28)
        *block(1, 16), *block(16, 32), *block(32, 64),
        nn.Flatten(), nn.Linear(64 * 3 * 3, 10),
    )


def make_rnn(hidden: int = 128):
    """A GRU reads the image top to bottom, one 28-pixel row per step."""
    from torch import nn

    class RowGRU(nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = nn.GRU(28, hidden, batch_first=True)
            self.head = nn.Linear(hidden, 10)

        def forward(self, x):  # x: (n, 28 rows, 28 pixels)
            _, h = self.gru(x)
            return self.head(h[-1])  # classify from the state after the last row

    return RowGRU()


def fit(model, x_train, y_train, budget: Budget, epochs: int, lr: float, clip: float | None = None):
    """Adam with a one-cycle learning rate; stops early only if the budget runs short."""
    import time

    import torch
    import torch.nn.functional as F

    device = next(model.parameters()).device
    x = torch.as_tensor(x_train, dtype=torch.float32, device=device)
    y = torch.as_tensor(y_train, dtype=torch.int64, device=device)
    steps_per_epoch = -(-len(x) // BATCH_SIZE)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps_per_epoch)
    history = {"loss": [], "accuracy": [], "seconds": []}
    start, margin = time.monotonic(), stop_margin(budget)

    for _ in range(epochs):
        model.train()
        loss_sum, correct, seen = 0.0, 0, 0  # sums stay tensors: no per-step sync on a GPU
        for idx in torch.randperm(len(x), device=device).split(BATCH_SIZE):
            if budget.remaining() < margin:
                break
            logits = model(x[idx])
            loss = F.cross_entropy(logits, y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if clip is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            opt.step()
            sched.step()
            loss_sum += loss.detach() * len(idx)
            correct += (logits.argmax(1) == y[idx]).sum()
            seen += len(idx)
        if seen:
            history["loss"].append(float(loss_sum) / seen)
            history["accuracy"].append(int(correct) / seen)
            history["seconds"].append(time.monotonic() - start)
        if budget.remaining() < margin:
            break
    return model.eval(), history


def train_cnn(x_train, y_train, budget: Budget):
    import torch

    device = setup(budget)
    # channels_last lets oneDNN pick its fast CPU convolution kernels
    model = make_cnn().to(device, memory_format=torch.channels_last)
    return fit(model, x_train, y_train, budget, epochs_for(len(x_train), CNN_SAMPLES), lr=4e-3)


def train_rnn(x_train, y_train, budget: Budget):
    device = setup(budget)
    model = make_rnn().to(device)
    # clipping guards the recurrent weights against the odd exploding step
    return fit(model, x_train, y_train, budget, epochs_for(len(x_train), RNN_SAMPLES), lr=4e-3, clip=1.0)


def predict_proba(model, images):
    import torch

    device = next(model.parameters()).device
    model.eval()
    x = torch.as_tensor(np.asarray(images), dtype=torch.float32)
    with torch.inference_mode():
        probs = [torch.softmax(model(batch.to(device)), dim=1).cpu() for batch in x.split(1024)]
    return torch.cat(probs).numpy().astype(np.float32)
