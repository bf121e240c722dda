"""Generators of the embedded defaults: each draws a stand-in for a real dataset from a seed, the same arrays for
the same seed. What each keeps of the real dataset and what it does not is in its dataset's module."""
