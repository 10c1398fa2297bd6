"""`minirgan gradcheck` and `python -m minirgan gradcheck` print the report and exit 0."""

import subprocess
import sys

from minirgan.cli import main


def test_gradcheck_command_reports_every_gradient(capsys):
    assert main(["gradcheck", "--cell", "lstm", "--level", "step"]) == 0
    out = capsys.readouterr().out
    for name in ["x", "h0", "c0", "W_f", "b_f", "W_i", "W_o", "W_c", "b_c"]:
        assert f" {name} " in out
    assert "FAIL" not in out and "11 of 11 gradients agree" in out


def test_python_dash_m_runs_all_cells():
    result = subprocess.run([sys.executable, "-m", "minirgan", "gradcheck"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "76 of 76 gradients agree" in result.stdout
    for cell in ["rnn ", "rnn-relu", "gru ", "gru-reset_after", "lstm"]:
        assert cell in result.stdout


def test_ragged_checks_the_masked_sequence_pass(capsys):
    """``--ragged`` reports every gradient of the masked pass (M1) at the sequence threshold."""
    assert main(["gradcheck", "--cell", "gru", "--level", "sequence", "--ragged", "--backend", "numba"]) == 0
    out = capsys.readouterr().out
    assert out.count(" ragged ") == 17          # both GRU forms: x, h0 and 6 (+ b_ch: 7) params
    assert "FAIL" not in out and "17 of 17 gradients agree" in out


def test_ragged_with_steps_only_is_a_one_line_error(capsys):
    assert main(["gradcheck", "--level", "step", "--ragged"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--ragged" in err
