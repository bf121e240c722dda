"""What a worker sends, checked before the parent uses any of it.

The student's code runs in the same process as the worker's loop, so any
reply may be forged: a line written to the private channel, a harness
function replaced, a description of the model made up. Each reply is checked
against a strict schema here, every string in it cleaned of terminal escapes
and capped, and anything that does not fit is `errors.BadOutput`: the
submission's error, never the harness's.
"""

from __future__ import annotations

import numpy as np

from . import errors
from .text import clean_text

_ERROR_FIELDS = ("type", "message", "traceback", "where", "module", "filename", "text")


def checked(raw, rid: int) -> dict:
    """A reply line as the parent will use it, or BadOutput: every field typed, every string clean."""
    def bad(why: str) -> errors.SubmissionError:
        return errors.BadOutput(f"the worker's answer is malformed ({why}): the submission may be writing to the "
                                "harness's private channel or have replaced the harness's code in its worker")
    if not isinstance(raw, dict):
        raise bad("not a JSON object")
    if raw.get("id") != rid or type(raw.get("id")) is not int:
        raise bad(f"it answers request {clean_text(repr(raw.get('id')))[:40]}, not {rid}")
    if type(raw.get("ok")) is not bool:
        raise bad("no ok flag")
    seconds = raw.get("seconds", 0.0)
    attempts = raw.get("network_attempts") or []
    if not isinstance(attempts, list):
        raise bad("network_attempts is not a list")
    context = raw.get("network_context") or {}
    if not isinstance(context, dict):
        raise bad("network_context is not an object")
    lineno, by = context.get("lineno"), context.get("by")
    reply = {"ok": raw["ok"], "seconds": float(seconds) if isinstance(seconds, (int, float)) and
             not isinstance(seconds, bool) and np.isfinite(seconds) else 0.0,
             "network_attempts": [clean_text(str(a))[:200] for a in attempts[:20]],
             "network_context": {"lineno": lineno if type(lineno) is int and lineno > 0 else None,
                                 "by": clean_text(str(by))[:60] if by else None}}
    if raw["ok"]:
        _check_encoding(raw.get("result"), bad)
        reply["result"] = raw["result"]
    else:
        err = raw.get("error")
        if not isinstance(err, dict):
            raise bad("a failure without an error description")
        clean = {k: clean_text(str(err[k]))[:20000] if err.get(k) is not None else "" for k in _ERROR_FIELDS}
        clean["type"] = clean["type"][:100] or "Exception"
        lineno = err.get("lineno")
        clean["lineno"] = lineno if type(lineno) is int and lineno > 0 else None
        code = err.get("code")
        clean["code"] = repr(code) if code is None or type(code) is int else repr(clean_text(str(code))[:200])
        reply["error"] = clean
    return reply


def _check_encoding(enc, bad, depth: int = 0) -> None:
    if depth > 8:
        raise bad("nested too deeply")
    if not isinstance(enc, dict) or len(enc) < 1:
        raise bad("a value without an encoding")
    if "json" in enc:
        return
    if "array" in enc:
        if not isinstance(enc["array"], str):
            raise bad("an array named by a non-string")
        return
    if "handle" in enc:
        if type(enc["handle"]) is not int or not isinstance(enc.get("type", ""), str):
            raise bad("a malformed handle")
        enc["type"] = clean_text(enc.get("type", "?"))[:200]
        return
    for key in ("tuple", "list"):
        if key in enc:
            if not isinstance(enc[key], list):
                raise bad(f"a {key} that is not a list")
            for v in enc[key]:
                _check_encoding(v, bad, depth + 1)
            return
    if "dict" in enc and isinstance(enc["dict"], dict):
        for v in enc["dict"].values():
            _check_encoding(v, bad, depth + 1)
        return
    raise bad(f"unknown encoding {clean_text(str(sorted(enc)))[:80]}")


def checked_load(value, functions: list[str], name: str) -> dict:
    """The worker's description of what the imported module defines, typed (or BadOutput)."""
    if (not isinstance(value, dict) or not isinstance(value.get("functions"), dict)
            or not all(isinstance(value["functions"].get(f), dict) for f in functions)):
        raise errors.BadOutput(f"the worker's description of {name} after importing it is malformed: the "
                               "submission may have replaced the harness's code in its worker")
    defined = value.get("defined")
    out = {"functions": {}, "defined": [clean_text(str(d))[:100] for d in defined[:200]]
           if isinstance(defined, list) else []}
    for f in functions:
        info = value["functions"][f]
        entry = {"found": info.get("found") is True, "type": clean_text(str(info.get("type", "?")))[:100],
                 "callable": info.get("callable") is True}
        if isinstance(info.get("signature"), str):
            entry["signature"] = clean_text(info["signature"])[:500]
        params = info.get("params")
        if isinstance(params, list) and all(isinstance(p, dict) for p in params):
            entry["params"] = [{"name": clean_text(str(p.get("name", "?")))[:100], "kind": str(p.get("kind", "")),
                                "default": p.get("default") is True} for p in params[:100]]
        out["functions"][f] = entry
    return out
