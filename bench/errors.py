"""What can go wrong with a submission, as exceptions the checks raise.

Every `SubmissionError` carries a `kind` (a stable name the record and the
tests key on) and a message for the student that says what happened, what was
expected and the likely fix. `detail` holds what only staff should read (the
student's traceback, captured output). Anything that is *not* a
SubmissionError raised inside a check is a harness bug and is recorded as such,
so a student never loses marks to it silently.
"""

from __future__ import annotations


class SubmissionError(Exception):
    kind = "submission_error"
    status = "error"  # "error": the code did not run to completion; "fail": it ran, the result is wrong

    def __init__(self, message: str, detail: str = "", **evidence):
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.evidence = evidence


def _kind(name: str, status: str = "error", doc: str = "") -> type[SubmissionError]:
    return type(name, (SubmissionError,), {"kind": _snake(name), "status": status, "__doc__": doc})


def _snake(name: str) -> str:
    out = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    return out.removesuffix("_error")


# Finding and importing the code.
MissingFile = _kind("MissingFile", doc="No submission file for the experiment.")
AmbiguousFile = _kind("AmbiguousFile", doc="More than one file could be the submission.")
UnsafeName = _kind("UnsafeName", doc="The student folder's name is not one the harness grades (see submission.SAFE_NAME).")
UnsafeFile = _kind("UnsafeFile", doc="The submission's file or folder is not a plain one the harness reads: a symbolic "
                   "link, a pipe, a device, a folder where a file belongs, or unreadable.")
TooLarge = _kind("TooLarge", doc="The submission file, or the helper modules beside it, are over the size or count caps.")
NotebookError = _kind("NotebookError", doc="The notebook cannot be read or has no graded code.")
SyntaxErrorInSubmission = _kind("SyntaxErrorInSubmission", doc="The source does not parse.")
MissingPackage = _kind("MissingPackage", doc="The code imports a package the grading environment lacks.")
ImportFailed = _kind("ImportFailed", doc="Importing the module raised.")
MissingFunction = _kind("MissingFunction", "fail", doc="An entry point of the interface is absent.")
WrongSignature = _kind("WrongSignature", "fail", doc="An entry point cannot be called as the interface says.")

# Running it.
Raised = _kind("Raised", doc="An entry point raised an exception.")
Timeout = _kind("Timeout", doc="A call ran past its wall-clock budget and was stopped.")
MemoryLimit = _kind("MemoryLimit", doc="The worker went over its memory limit.")
OutputFlood = _kind("OutputFlood", doc="The worker printed more than the output cap.")
Exited = _kind("Exited", doc="The code ended the worker process (sys.exit, os._exit, a signal).")
NetworkBlocked = _kind("NetworkBlocked", doc="The code tried to open a network connection.")
MissingData = _kind("MissingData", doc="The code needs data a library downloads on first use (nltk's corpora), "
                    "which is not installed where submissions are graded and cannot be downloaded there.")
Tampered = _kind("Tampered", doc="The code changed the harness's files or channel in its worker.")

# What came back.
BadOutput = _kind("BadOutput", "fail", doc="A returned value has the wrong type, shape, dtype or range.")
