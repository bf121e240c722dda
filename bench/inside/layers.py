"""Which layers a model has, and which of them a forward pass really calls (inside a worker).

A layer defined in a model but never reached by its forward pass (an LSTM in
`__init__` that `forward()` skips) is in the model's structure but does no
work; the architecture checks ask for layers that are called. Each layer's
`forward` (PyTorch) or `call` (Keras) is wrapped on the instance for one
prediction, and restored afterwards.
"""

from __future__ import annotations

import contextlib


def model_layers(obj) -> tuple[str, list]:
    """(framework, layer objects) of a torch module or a Keras model; ("unknown", []) otherwise."""
    if hasattr(obj, "modules") and hasattr(obj, "parameters") and type(obj).__module__ != "builtins":
        try:
            return "torch", list(obj.modules())
        except Exception:  # noqa: BLE001 - a student object that only looks like a module
            pass
    if hasattr(obj, "layers"):
        found: list = []

        def walk(m):
            for layer in getattr(m, "layers", []) or []:
                found.append(layer)
                walk(layer)
                for attr in ("layer", "forward_layer", "backward_layer"):  # Bidirectional, TimeDistributed
                    inner = getattr(layer, attr, None)
                    if inner is not None:
                        found.append(inner)
        try:
            walk(obj)
            return "keras", found
        except Exception:  # noqa: BLE001
            pass
    return "unknown", []


@contextlib.contextmanager
def recording_calls(model):
    """Yields the list of layer type names called while inside (each once, in first-call order)."""
    framework, layers = model_layers(model)
    method = {"torch": "forward", "keras": "call"}.get(framework)
    called: list[str] = []
    wrapped, seen = [], set()
    for layer in layers if method else ():
        original = getattr(layer, method, None)
        if original is None or id(layer) in seen:  # a layer reached twice (shared, or nested in a wrapper)
            continue
        seen.add(id(layer))
        name = type(layer).__name__

        def recorder(*args, __original=original, __name=name, **kwargs):
            if __name not in called:
                called.append(__name)
            return __original(*args, **kwargs)
        try:
            object.__setattr__(layer, method, recorder)
        except Exception:  # noqa: BLE001 - a layer that refuses attributes is left unobserved
            continue
        wrapped.append((layer, method))
    if framework == "keras" and hasattr(model, "predict_function"):
        with contextlib.suppress(Exception):
            model.predict_function = None  # a compiled predict traced before would not call the wrappers
    try:
        yield called
    finally:
        for layer, attr in wrapped:
            with contextlib.suppress(Exception):
                object.__delattr__(layer, attr)
        if framework == "keras" and hasattr(model, "predict_function"):
            with contextlib.suppress(Exception):
                model.predict_function = None
