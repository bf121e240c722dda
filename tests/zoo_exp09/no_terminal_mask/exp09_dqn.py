"""The reference's DQN with the textbook bug: its TD target bootstraps through the end of an episode
(no `(1 - done)`), so a terminal state keeps the future value of the next episode's first state."""
import reference_solution
from reference_solution import act, train_agent  # noqa: F401  (the interface: the reference's own)


def td_update(q, target, opt, batch, gamma: float) -> float:
    import torch
    import torch.nn.functional as F

    o, a, r, o2, _ = map(torch.from_numpy, batch)
    with torch.no_grad():
        a2 = q(o2).argmax(1, keepdim=True)
        y = r + gamma * target(o2).gather(1, a2).squeeze(1)  # the defect: no (1 - done)
    pred = q(o).gather(1, a.unsqueeze(1)).squeeze(1)
    loss = F.smooth_l1_loss(pred, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item()


reference_solution.td_update = td_update  # train_agent looks it up in its own module
