"""A second, deliberately naive oracle: the cells' forward passes written with Python floats
and the math module, one scalar at a time, straight from the equations. Slow and obvious."""

import math


def _sig(a):
    return 1.0 / (1.0 + math.exp(-a))


def _affine(W, b, v, i):
    return sum(W[i][j] * v[j] for j in range(len(v))) + b[i]


def rnn_scalar(x, h0, p, activation="tanh"):
    """E1 for one sequence: x list of T lists of D floats; returns list of T hidden lists."""
    f = math.tanh if activation == "tanh" else (lambda a: max(a, 0.0))
    h, out = list(h0), []
    H = len(h0)
    for x_t in x:
        # E1: h_t = f(W_hh h_{t-1} + W_xh x_t + b_h)
        h = [f(sum(p["W_hh"][i][j] * h[j] for j in range(H))
               + sum(p["W_xh"][i][j] * x_t[j] for j in range(len(x_t))) + p["b_h"][i]) for i in range(H)]
        out.append(h)
    return out


def gru_scalar(x, h0, p, reset_after=False):
    h, out = list(h0), []
    H = len(h0)
    for x_t in x:
        hx = h + list(x_t)
        z = [_sig(_affine(p["W_z"], p["b_z"], hx, i)) for i in range(H)]   # E11
        u = [_sig(_affine(p["W_u"], p["b_u"], hx, i)) for i in range(H)]   # E12
        if reset_after:
            c = [math.tanh(sum(p["W_c"][i][H + j] * x_t[j] for j in range(len(x_t))) + p["b_c"][i]
                           + z[i] * (sum(p["W_c"][i][j] * h[j] for j in range(H)) + p["b_ch"][i]))
                 for i in range(H)]
        else:
            rx = [h[i] * z[i] for i in range(H)] + list(x_t)                  # E13
            c = [math.tanh(_affine(p["W_c"], p["b_c"], rx, i)) for i in range(H)]  # E14 corrected
        h = [(1 - u[i]) * h[i] + u[i] * c[i] for i in range(H)]            # E15
        out.append(h)
    return out


def lstm_scalar(x, h0, c0, p):
    h, c, out = list(h0), list(c0), []
    H = len(h0)
    for x_t in x:
        hx = h + list(x_t)
        f = [_sig(_affine(p["W_f"], p["b_f"], hx, i)) for i in range(H)]
        i_ = [_sig(_affine(p["W_i"], p["b_i"], hx, i)) for i in range(H)]
        o = [_sig(_affine(p["W_o"], p["b_o"], hx, i)) for i in range(H)]
        g = [math.tanh(_affine(p["W_c"], p["b_c"], hx, i)) for i in range(H)]
        c = [f[k] * c[k] + i_[k] * g[k] for k in range(H)]
        h = [o[k] * math.tanh(c[k]) for k in range(H)]
        out.append(h)
    return out
