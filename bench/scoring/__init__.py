"""Scoring in the grading process: what the parent does with a worker's outputs.

Nothing here runs inside a worker. Outputs are validated before they are used
(`outputs`), speed is a ratio to the reference timed in the same run (`speed`),
generated images are scored in the parent's own feature space (`gan_metrics`),
and an agent's returns are replayed, not taken on trust (`replay`).
"""
