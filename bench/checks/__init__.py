"""The checks: one module per experiment (`test_expNN_*.py`), each holding only
what is particular to its experiment, and the checks every experiment shares
(`common`), which the plugin adds to each. `catalog` names them all without
running anything.
"""
