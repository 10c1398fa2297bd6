"""minirgan: recurrent GANs from scratch in NumPy, with hand-written BPTT and numba kernels.

Every public function cites the equation it computes by its number in docs/equations.md
(E1…, A0…, C1…). Start with :func:`rnn_forward`, :func:`gru_forward`, :func:`lstm_forward`.
"""

__version__ = "0.1.0"

# --- activations and the dense layer (E2)
from .activations import (identity, identity_grad, leaky_relu, leaky_relu_grad, relu, relu_grad,
                          sigmoid, sigmoid_grad, softmax, softmax_backward, tanh, tanh_grad)
from .dense import dense_backward, dense_forward, init_dense_params

# --- the recurrent cells (E1, E11–E15, LSTM) and their backend switch
from .backend import get_backend, set_backend
from .rnn import (init_rnn_params, rnn_backward, rnn_forward, rnn_step_backward,
                  rnn_step_forward)
from .gru import (gru_backward, gru_forward, gru_step_backward, gru_step_forward,
                  init_gru_params)
from .lstm import (init_lstm_params, lstm_backward, lstm_forward, lstm_step_backward,
                   lstm_step_forward)

# --- gradient checking
from . import gradcheck

# --- GAN losses from logits (E4, E5, C6, LSGAN, WGAN)
from .losses import LOSSES, discriminator_loss, generator_loss, log_sigmoid, softplus

# --- optimisers, regularisation and clipping (A4, C2, C4)
from .optim import SGD, Adam, clip_by_global_norm, clip_weights, global_norm

# --- data: embedded sets (TimeGAN/RCGAN sines, digits as rows, C5), user files, scaling
from .data import (DataError, MinMaxScaler, digit_sequences, load_array, load_dataset,
                   make_windows, rcgan_sines, timegan_sines, train_test_split)

# --- models (E2, E9, E10, E16, A0), the adversarial loop and its run folder
from .models import Discriminator, Generator, RecurrentStack
from .config import TrainConfig
from .run import Run, RunState                    # a run folder: training state / a trained run
from .train import TrainingDiverged, train_step   # minirgan.train.train(config) runs the loop
