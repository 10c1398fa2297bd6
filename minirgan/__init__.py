"""minirgan: recurrent GANs from scratch in NumPy, with hand-written BPTT and numba kernels.

Every public function cites the equation it computes by its number in docs/equations.md
(E1…, A0…, C1…). Start with :func:`rnn_forward`, :func:`gru_forward`, :func:`lstm_forward`.

The names below are loaded on first use (PEP 562): ``import minirgan`` itself imports nothing
heavy, so the command line (``minirgan.cli``) starts at once and catches Ctrl-C during the
imports that follow. ``minirgan.X`` and ``from minirgan import X`` work as with eager imports,
for these names and for every submodule.
"""

import importlib

__version__ = "0.1.0"

# name -> the submodule that defines it
_EXPORTS = {
    # activations and the dense layer (E2)
    ".activations": ("identity identity_grad leaky_relu leaky_relu_grad relu relu_grad sigmoid "
                     "sigmoid_grad softmax softmax_backward tanh tanh_grad"),
    ".dense": "dense_backward dense_forward init_dense_params",
    # the recurrent cells (E1, E11–E15, LSTM) and their backend switch
    ".backend": "get_backend set_backend",
    ".rnn": "init_rnn_params rnn_backward rnn_forward rnn_step_backward rnn_step_forward",
    ".gru": "gru_backward gru_forward gru_step_backward gru_step_forward init_gru_params",
    ".lstm": "init_lstm_params lstm_backward lstm_forward lstm_step_backward lstm_step_forward",
    # GAN losses from logits (E4, E5, C6, LSGAN, WGAN)
    ".losses": "LOSSES discriminator_loss generator_loss log_sigmoid softplus",
    # optimisers, regularisation and clipping (A4, C2, C4)
    ".optim": "SGD Adam clip_by_global_norm clip_weights global_norm",
    # data: embedded sets (TimeGAN/RCGAN sines, digits as rows, C5), user files, scaling
    ".data": ("DataError MinMaxScaler digit_sequences load_array load_dataset make_windows "
              "rcgan_sines timegan_sines train_test_split"),
    # models (E2, E9, E10, E16, A0), the adversarial loop and its run folder
    ".models": "Discriminator Generator RecurrentStack",
    ".config": "TrainConfig",
    ".run": "Run RunState",                         # a run folder: training state / a trained run
    ".train": "TrainingDiverged train_step",        # minirgan.train.train(config) runs the loop
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names.split()}
__all__ = sorted(_WHERE) + ["gradcheck"]


def __getattr__(name):
    """``minirgan.name``: a public name, imported from its submodule on first use, or a submodule."""
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    elif not name.startswith("__"):
        try:
            value = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module 'minirgan' has no attribute {name!r}") from None
    else:
        raise AttributeError(f"module 'minirgan' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
