"""The student's side of grading: what runs in the child process, and the wire format both use.

The grader (``sandbox.py``) starts a fresh interpreter per submission and runs this file in it
with ``runpy`` (not as part of the package, so that nothing of minirgan is imported before the
guard below is in place). The child

1. installs :class:`Guard`, which replaces the library's reference implementation of every
   graded function (``dense_backward``, ``Adam._update``, …) by a stub that records the call and
   raises, in every minirgan module, when it is imported — now, later, or reloaded;
2. imports the student's file, then calls the student's functions on the inputs the grader wrote
   (``in_<i>.npz``), one check at a time, and writes what they returned to ``out_<i>.npz``.

Nothing here decides anything: the grader reads the ``.npz`` files (``np.load`` with
``allow_pickle=False``) and computes the reference and the verdict in its own process. A student's
file can patch everything in this process; it can only change what it sends back.

Wire format: a value (nested tuples, lists and dicts of arrays and numbers) is sent as
``__structure__``, a JSON description, plus one array per leaf (:func:`encode`, :func:`decode`).
"""

import copy
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import traceback
import types

import numpy as np

STRUCTURE = "__structure__"
MAX_DEPTH = 20
MAX_TEXT = 2000


# ----------------------------------------------------------------------------- the wire format

def encode(value):
    """``value`` as (JSON structure, {name: array}); a leaf that is not numeric is sent as its type."""
    arrays = {}

    def walk(v, depth):
        if depth > MAX_DEPTH:
            return {"t": "object", "type": "too deeply nested"}
        if isinstance(v, (tuple, list)):
            return {"t": type(v).__name__, "items": [walk(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            return {"t": "dict", "keys": [str(k) for k in v], "items": [walk(x, depth + 1) for x in v.values()]}
        if v is None:
            return {"t": "none"}
        if isinstance(v, str):
            return {"t": "str", "value": v[:MAX_TEXT]}
        if isinstance(v, (bool, int, float, np.ndarray, np.generic)):
            a = np.asarray(v)
            if a.dtype.kind in "biuf":
                name = f"a{len(arrays)}"
                arrays[name] = a
                return {"t": "array" if isinstance(v, np.ndarray) else "number", "ref": name}
        return {"t": "object", "type": type(v).__name__}

    return json.dumps(walk(value, 0)), arrays


class Opaque:
    """A value the child could not send (a leaf that is not an array or a number)."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"

    def __eq__(self, other):
        return isinstance(other, Opaque) and other.type_name == self.type_name


def decode(structure, arrays):
    """The value :func:`encode` described; arrays stay arrays, numbers become 0-d arrays."""
    def walk(s):
        kind = s["t"]
        if kind in ("tuple", "list"):
            items = [walk(x) for x in s["items"]]
            return tuple(items) if kind == "tuple" else items
        if kind == "dict":
            return dict(zip(s["keys"], (walk(x) for x in s["items"])))
        if kind == "none":
            return None
        if kind == "str":
            return str(s["value"])
        if kind in ("array", "number"):
            return arrays[s["ref"]]
        return Opaque(str(s.get("type", "object")))
    return walk(json.loads(structure))


def write(path, value):
    """Write ``value`` to ``path`` (an .npz), through a temporary name so no half file is left."""
    structure, arrays = encode(value)
    tmp = f"{path}.part.npz"
    np.savez(tmp, **{STRUCTURE: np.array(structure)}, **arrays)
    os.replace(tmp, path)


# ----------------------------------------------------------------------------- the guard

class ReferenceCalled(BaseException):
    """Raised by a stub: the student's code reached the library's own answer (a BaseException,
    so that ``except Exception`` in the student's file does not hide it; the call is recorded
    anyway)."""


CALLED = []


def _forbidden(label):
    CALLED.append(label)
    raise ReferenceCalled(f"your code called minirgan's own {label}")


def _stub_code(function, label):
    """A code object for ``function`` that calls :func:`_forbidden` (same number of free
    variables, so it can replace ``function.__code__``)."""
    free = function.__code__.co_freevars
    cells = "".join(f"    {name} = None\n" for name in free)
    uses = "".join(f"        {name}\n" for name in free)
    source = (f"def _outer():\n{cells}    def stub(*args, **kwargs):\n{uses}"
              f"        return __minirgan_graded_reference__({label!r})\n    return stub\n")
    space = {}
    exec(compile(source, "<graded reference>", "exec"), space)
    return space["_outer"]().__code__


def stub(module, qualname, label):
    """Replace the graded reference ``module.qualname``: a Python function's code in place (so
    every reference to it, in any namespace, table or closure, reaches the stub); any other
    callable in every loaded minirgan module that exposes it."""
    owner, *path = qualname.split(".")
    obj = getattr(module, owner, None)
    for name in path:                                   # a method: as defined on its class
        obj = vars(obj).get(name) if isinstance(obj, type) else getattr(obj, name, None)
    obj = getattr(obj, "__func__", obj)                 # a staticmethod or classmethod
    if isinstance(obj, types.FunctionType):
        obj.__globals__["__minirgan_graded_reference__"] = _forbidden
        obj.__code__ = _stub_code(obj, label)
    elif obj is not None:
        replacement = lambda *a, **k: _forbidden(label)
        for loaded in list(sys.modules.values()):
            if getattr(loaded, "__name__", "").startswith("minirgan"):
                for key, value in list(vars(loaded).items()):
                    if value is obj:
                        setattr(loaded, key, replacement)


class Guard(importlib.abc.MetaPathFinder):
    """Finds every ``minirgan`` module and stubs its graded references right after it runs."""

    def __init__(self, targets):
        self.targets = targets                          # [(module, qualname, label)]

    def find_spec(self, fullname, path, target=None):
        if fullname != "minirgan" and not fullname.startswith("minirgan."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _StubbingLoader(spec.loader, self)
        return spec

    def after(self, module):
        for name, qualname, label in self.targets:
            if name == module.__name__:
                stub(module, qualname, label)


class _StubbingLoader(importlib.abc.Loader):
    def __init__(self, loader, guard):
        self._loader, self._guard = loader, guard

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._guard.after(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


# ----------------------------------------------------------------------------- calling the student

class MissingFunction(Exception):
    """The student's file does not define a function the check calls."""


def _function(module, name):
    function = getattr(module, name, None)
    if not callable(function):
        raise MissingFunction(f"your file has no function {name}")
    return function


def _pure_call(function, *args):
    """Call twice, as the grader's purity rule asks: the arguments before and after the first
    call, and both answers (the grader compares them)."""
    before = copy.deepcopy(args)
    first = copy.deepcopy(function(*args))
    after = copy.deepcopy(args)
    second = function(*copy.deepcopy(before))
    return {"first": first, "second": second, "before": before, "after": after}


def run_backward(module, spec, data):
    """A given forward pass, then the student's backward on its cache, called twice."""
    params = {k[len("param_"):]: v for k, v in data.items() if k.startswith("param_")}
    forward_args = [params if a == "params" else data[a] for a in spec["forward_args"]]
    cache = _function(module, spec["forward"])(*forward_args)[-1]
    return _pure_call(_function(module, spec["backward"]), *[data[a] for a in spec["upstream"]], cache)


def run_loss(module, spec, data):
    """The loss on the problem's logits (twice), and on logits of ±1000."""
    function = _function(module, spec["function"])
    logits = [data[a] for a in spec["args"]]
    extreme = [np.array([1000.0, -1000.0])] * len(logits)
    return {"call": _pure_call(function, *logits, spec["kind"]), "extreme": function(*extreme, spec["kind"])}


def run_adam(module, spec, data):
    """Three steps of the student's adam_step from zero moments."""
    w, m, v = data["w"], np.zeros_like(data["w"]), np.zeros_like(data["w"])
    steps = []
    for t in range(1, len(data["g"]) + 1):
        steps.append(_pure_call(_function(module, "adam_step"), w, data["g"][t - 1], m, v, t, *spec["hyper"]))
        w, m, v = steps[-1]["first"]
    return steps


def train_models(spec):
    """(G, D, opt_g, opt_d, rng, config) of a train_step problem: built the same way here for the
    student's train_step and in the grader's process for the reference (``checks.py``)."""
    from minirgan.config import TrainConfig
    from minirgan.models import Discriminator, Generator
    from minirgan.optim import Adam
    s = spec["sizes"]
    config = TrainConfig(hidden=s["hidden"], noise_dim=s["noise_dim"], batch=s["batch"], backend="numpy",
                         **spec["config"])
    G = Generator(s["features"], s["seq_len"], noise_dim=s["noise_dim"], hidden=s["hidden"],
                  noise=config.noise, rng=spec["seeds"][0], backend="numpy")
    D = Discriminator(s["features"], hidden=s["hidden"], readout=config.readout, rng=spec["seeds"][1],
                      backend="numpy")
    return G, D, Adam(lr=1e-2, beta1=0.5), Adam(lr=1e-2, beta1=0.5), np.random.default_rng(spec["seeds"][2]), config


def run_train_step(module, spec, data):
    """Two of the student's train_steps on models built as the grader builds them."""
    G, D, opt_g, opt_d, rng, config = train_models(spec)
    steps = []
    for _ in range(2):
        record = _function(module, "train_step")(G, D, opt_g, opt_d, data["real"], rng, config)
        steps.append({"record": record, "G": copy.deepcopy(G.params), "D": copy.deepcopy(D.params)})
    return {"steps": steps, "rng": json.dumps(rng.bit_generator.state)}


RUNNERS = {"backward": run_backward, "loss": run_loss, "adam": run_adam, "train_step": run_train_step}


def _failure(err, memory_mb):
    """One line for an exception raised by the student's code."""
    if isinstance(err, MemoryError):
        return f"ran out of memory (the limit is {memory_mb} MB)"
    if isinstance(err, MissingFunction):
        return str(err)
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == STUDENT_FILE]
    where = f" ({os.path.basename(frames[-1].filename)} line {frames[-1].lineno})" if frames else ""
    return f"raised {type(err).__name__}: {err}{where}"


STUDENT_FILE = ""


def main(manifest_path):
    """Import the student's file under the guard, run each check, write its answer."""
    global STUDENT_FILE
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    sys.meta_path.insert(0, Guard([tuple(t) for t in manifest["targets"]]))
    STUDENT_FILE = manifest["student"]
    try:
        spec = importlib.util.spec_from_file_location("student_" + manifest["name"], STUDENT_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except (Exception, ReferenceCalled) as err:
        write("import.npz", {"error": _failure(err, manifest["memory_mb"]), "called": list(CALLED)})
        return
    write("import.npz", {"called": list(CALLED)})
    for i, check in enumerate(manifest["checks"]):
        with np.load(f"in_{i}.npz", allow_pickle=False) as npz:
            data = dict(npz)
        del CALLED[:]
        try:
            answer = {"answer": RUNNERS[check["runner"]](module, check, data)}
        except NotImplementedError:
            answer = {"error": "not written yet", "not_written": 1}
        except (Exception, ReferenceCalled) as err:
            answer = {"error": _failure(err, manifest["memory_mb"])}
        answer["called"] = list(CALLED)
        write(f"out_{i}.npz", answer)


if __name__ == "__minirgan_child__":
    main(sys.argv[1])
