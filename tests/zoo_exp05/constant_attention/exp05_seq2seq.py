"""The reference translator, but attention() reports attention stuck on one source token: every
row puts all its weight on the final '.' (the last token where the sentence has none).

Rows are still distributions, and the translations are the reference's, so only the
check that attention follows the source order should catch it: each target token
attends the same source token, a tie that ranks as no order at all (it once ranked by
position and scored a perfect 1.0).
"""
import numpy as np

from reference_solution import attention as reference_attention
from reference_solution import train_translator, translate  # noqa: F401 (the interface)


def attention(model, sentence):
    weights, source, target = reference_attention(model, sentence)
    stuck = np.zeros_like(weights)
    if stuck.size:
        stuck[:, source.index(".") if "." in source else len(source) - 1] = 1.0  # the defect: one column
    return stuck, source, target
