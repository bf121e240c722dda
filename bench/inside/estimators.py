"""The estimators a trained model is made of (inside a worker), for checks of the method the lab names.

A model may be a pipeline, a tuple or dict such as (classifier, scaler), a
search or calibration wrapper, a closure, or a class of the student's own
holding any of these. Containers, a pipeline's steps and a wrapper's estimator parameters are
followed; a fitted ensemble's members are not (a forest's trees do not make it
a decision tree).
"""

from __future__ import annotations

import types

MAX_DEPTH = 6
MAX_FOUND = 100


def estimator_classes(model) -> list[str]:
    """'module.ClassName' of every estimator-like object in the model, outermost first, each once."""
    found: list[str] = []
    seen: set[int] = set()

    def walk(obj, depth: int) -> None:
        if depth > MAX_DEPTH or len(found) >= MAX_FOUND or id(obj) in seen or obj is None:
            return
        seen.add(id(obj))
        if isinstance(obj, (list, tuple)):
            for item in obj[:50]:
                walk(item, depth + 1)
            return
        if isinstance(obj, dict):
            for item in list(obj.values())[:50]:
                walk(item, depth + 1)
            return
        if isinstance(obj, (types.FunctionType, types.MethodType)):  # a closure or bound method as the model
            walk(getattr(obj, "__self__", None), depth + 1)
            for cell in getattr(obj, "__closure__", None) or ():
                try:
                    walk(cell.cell_contents, depth + 1)
                except ValueError:  # an empty cell
                    pass
            return
        cls = type(obj)
        if cls.__module__ == "builtins" or cls.__module__.startswith("numpy") or isinstance(obj, type):
            return  # plain values, arrays and classes (not fitted objects) hold no estimator
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name not in found:
            found.append(name)
        if hasattr(obj, "get_params") and cls.__module__.startswith("sklearn"):
            try:
                params = obj.get_params(deep=False)
            except Exception:  # noqa: BLE001 - an estimator that cannot list its parameters
                params = {}
            for key in ("steps", "transformer_list", "transformers", "estimator", "base_estimator", "estimators",
                        "final_estimator", "classifier", "regressor"):
                walk(params.get(key), depth + 1)
            walk(getattr(obj, "best_estimator_", None), depth + 1)
        elif not cls.__module__.startswith(("torch", "keras", "tensorflow", "scipy", "pandas")):
            try:
                attributes = vars(obj)
            except TypeError:  # no __dict__
                return
            for item in list(attributes.values())[:50]:
                walk(item, depth + 1)

    walk(model, 0)
    return found
