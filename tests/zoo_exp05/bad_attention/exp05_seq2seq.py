"""The reference translator, but attention() scales each row by its largest weight (so that the
heatmap uses the whole colour range): rows no longer sum to 1.

The largest weight of each row stays where it was, so the attention still follows
the source order; only the check that rows are distributions should catch it.
"""
from reference_solution import attention as reference_attention
from reference_solution import train_translator, translate  # noqa: F401 (the interface)


def attention(model, sentence):
    weights, source, target = reference_attention(model, sentence)
    if weights.size:
        weights = weights / weights.max(axis=1, keepdims=True)  # the defect: row max 1, row sum above 1
    return weights, source, target
