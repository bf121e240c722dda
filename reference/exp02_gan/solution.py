"""The reference solution of Experiment 2, graded as `--submission=reference`.

The experiment's public part (aim, interface, targets, budgets) is `__init__.py`
beside this file; a student kit ships that part without this one.
"""

from __future__ import annotations

import numpy as np

from reference.spec import Budget

# ---------------------------------------------------------------------------
# Reference solution (PyTorch): a small DCGAN.

Z_DIM = 64
G_WIDTH = 32
D_WIDTH = 32
BATCH_SIZE = 64
LR = 2e-4
BETAS = (0.5, 0.999)
REAL_LABEL = 0.9  # one-sided label smoothing: the discriminator never gets fully sure of a real image
EMA_DECAY = 0.999  # samples come from a running average of the generator's weights


def stop_margin(budget: Budget) -> float:
    """Seconds to keep in hand: the last step, the BatchNorm pass, the return and the harness's overhead."""
    return 3.0 + 0.1 * budget.seconds


def make_generator(width: int = G_WIDTH):
    """z -> 2w x7x7 -> w x14x14 -> 1x28x28, BatchNorm + ReLU between, a sigmoid for pixels in [0, 1]."""
    from torch import nn

    return nn.Sequential(
        nn.Linear(Z_DIM, 2 * width * 7 * 7, bias=False), nn.BatchNorm1d(2 * width * 7 * 7), nn.ReLU(inplace=True),
        nn.Unflatten(1, (2 * width, 7, 7)),
        nn.ConvTranspose2d(2 * width, width, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(width),
        nn.ReLU(inplace=True),
        nn.ConvTranspose2d(width, 1, 4, stride=2, padding=1), nn.Sigmoid(),
        nn.Flatten(1, 2),  # (n, 1, 28, 28) -> (n, 28, 28)
    )


def make_discriminator(width: int = D_WIDTH):
    """1x28x28 -> w x14x14 -> 2w x7x7 -> one logit. Spectral norm keeps it smooth without BatchNorm."""
    from torch import nn
    from torch.nn.utils.parametrizations import spectral_norm

    return nn.Sequential(
        nn.Unflatten(1, (1, 28)),
        spectral_norm(nn.Conv2d(1, width, 4, stride=2, padding=1)), nn.LeakyReLU(0.2, inplace=True),
        spectral_norm(nn.Conv2d(width, 2 * width, 4, stride=2, padding=1)), nn.LeakyReLU(0.2, inplace=True),
        nn.Flatten(), spectral_norm(nn.Linear(2 * width * 7 * 7, 1)), nn.Flatten(0),
    )


def ema_update(ema, model, step: int):
    """ema <- decay * ema + (1 - decay) * model; the decay ramps up so that early weights fade fast."""
    import torch

    decay = min(EMA_DECAY, (1 + step) / (10 + step))
    with torch.no_grad():
        for e, p in zip(ema.parameters(), model.parameters()):
            e.lerp_(p, 1 - decay)


def recalibrate_batchnorm(generator, device, batches: int = 8, batch_size: int = 256):
    """Running BatchNorm statistics that match the averaged weights: the mean over fresh batches of noise."""
    import torch
    from torch import nn

    norms = [m for m in generator.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average instead of an exponential one
    generator.train()
    with torch.no_grad():
        for _ in range(batches):
            generator(torch.randn(batch_size, Z_DIM, device=device))
    return generator.eval()


def train_gan(x_train, budget: Budget):
    """Non-saturating GAN loss, Adam for both nets, one discriminator step per generator step."""
    import copy
    import time

    import torch
    import torch.nn.functional as F

    torch.set_num_threads(budget.threads)
    torch.manual_seed(budget.seed)
    device = torch.device(budget.device)
    x = torch.as_tensor(np.asarray(x_train, dtype=np.float32), device=device)
    gen, disc = make_generator().to(device), make_discriminator().to(device)
    ema = copy.deepcopy(gen).requires_grad_(False)
    opt_g = torch.optim.Adam(gen.parameters(), lr=LR, betas=BETAS)
    opt_d = torch.optim.Adam(disc.parameters(), lr=LR, betas=BETAS)
    targets = torch.cat([torch.full((BATCH_SIZE,), REAL_LABEL), torch.zeros(BATCH_SIZE)]).to(device)
    ones = torch.ones(BATCH_SIZE, device=device)
    history = {"g_loss": [], "d_loss": [], "d_acc_real": [], "d_acc_fake": [], "seconds": []}
    start, margin, step = time.monotonic(), stop_margin(budget), 0

    while budget.remaining() > margin:
        sums = torch.zeros(4, device=device)  # g_loss, d_loss, real judged real, fake judged fake
        batches = 0
        for idx in torch.randperm(len(x), device=device).split(BATCH_SIZE):
            if len(idx) < BATCH_SIZE:
                continue  # full batches only: the targets above are sized for them
            if budget.remaining() < margin:
                break
            fake = gen(torch.randn(BATCH_SIZE, Z_DIM, device=device))
            # one discriminator pass over real and fake together (it has no BatchNorm to mix them)
            logits = disc(torch.cat([x[idx], fake.detach()]))
            d_loss = F.binary_cross_entropy_with_logits(logits, targets)
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()

            g_loss = F.binary_cross_entropy_with_logits(disc(fake), ones)
            opt_g.zero_grad(set_to_none=True)
            g_loss.backward()
            opt_g.step()
            ema_update(ema, gen, step)
            step += 1

            with torch.no_grad():
                sums += torch.stack([g_loss, d_loss, (logits[:BATCH_SIZE] > 0).float().mean(),
                                     (logits[BATCH_SIZE:] < 0).float().mean()])
            batches += 1
        if batches:
            for key, value in zip(("g_loss", "d_loss", "d_acc_real", "d_acc_fake"), (sums / batches).tolist()):
                history[key].append(value)
            history["seconds"].append(time.monotonic() - start)
    return recalibrate_batchnorm(ema, device), history


def generate(generator, n, seed):
    import torch

    device = next(generator.parameters()).device
    # noise from a generator of its own, on the CPU: the same seed gives the same images anywhere
    z = torch.randn(int(n), Z_DIM, generator=torch.Generator().manual_seed(int(seed)))
    generator.eval()
    with torch.inference_mode():
        images = [generator(batch.to(device)).cpu() for batch in z.split(2000)]
    return torch.cat(images).clamp_(0, 1).numpy().astype(np.float32)
