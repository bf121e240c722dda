"""Attack: rewrite the grader's terminal (and the report) with escape sequences in an error.

At import it prints, and in isolation_forest_detector it raises, text that
clears the screen (ESC[2J ESC[H), prints fake green "PASSED" lines and a fake
summary, hides an OSC 8 hyperlink, rings the bell, overwrites the line with a
carriage return, uses an 8-bit CSI, and flips the text with bidi overrides
(U+202E). Shown as it is, a failing student would look like a passing one
to whoever reads the terminal or the report.

Expected: the check errs with kind `raised` and keeps the words ("PASSED"
among them) but no ESC, BEL, C1 control or bidi override, in the record
(messages, staff detail, captured output) and on pytest's own output.
"""
from honest import one_class_svm_detector, zscore_detector  # noqa: F401

FAKE = ("\x1b[2J\x1b[H\x1b[32mPASSED\x1b[0m bench/checks/test_exp06_anomaly.py::test_detector_f1[ansi_exception-isolation_forest]\n"
        "\x1b[32mPASSED\x1b[0m bench/checks/test_exp06_anomaly.py::test_speed[ansi_exception]\n"
        "\x1b]8;;https://evil.example/grade\x07all checks passed\x1b]8;;\x07\x07\r"
        "\x9b31m\u202edessap 9/9 :ezooLIVE\u202c ====== 9 passed in 1.00s ======")

print(FAKE, flush=True)


def isolation_forest_detector(series, period, seed):
    raise RuntimeError(FAKE)
