"""Similarity between submissions: the code half (`code`), comparing graded code pairwise and with the reference."""
