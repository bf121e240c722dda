"""Attack: import the instructor's solution instead of writing one.

In the course repository (and in the grader's tree)
`reference/exp06_anomaly/solution.py` is the reference solution, worth full
marks. This submission is one line that re-exports it.

Expected: the sandbox holds only the experiments' public part; the import fails,
the interface check errs with kind `missing_package` and a message saying the
harness is not visible to submissions, and every other check is skipped.
"""
from reference.exp06_anomaly.solution import isolation_forest_detector, one_class_svm_detector, zscore_detector  # noqa: F401
