"""Flat parameter dicts: every model keeps ONE dict ``{"rnn0.W_z": array, ..., "out.W_hy": array}``.

One flat dict is what optimisers, gradient clipping and checkpoints want; the layer
functions want their own short names (``W_z``). These helpers translate, without
copying arrays (an optimiser's in-place update is seen by every view).
"""


def prefixed(prefix, params, sep="."):
    """{"W_z": a} -> {"prefix.W_z": a} (``sep`` joins the two; checkpoints use "/")."""
    return {f"{prefix}{sep}{k}": v for k, v in params.items()}


def unprefixed(prefix, params, sep="."):
    """The entries of a flat dict under ``prefix`` + ``sep``, with that head removed."""
    head = prefix + sep
    return {k[len(head):]: v for k, v in params.items() if k.startswith(head)}


def add_into(total, grads):
    """total[k] += grads[k] for every key of grads (total is a dict this module's caller owns)."""
    for k, g in grads.items():
        total[k] = total[k] + g if k in total else g
    return total
