"""check_same_training.py REFERENCE OTHER LOSS_TOL PARAMS_TOL: two qgen results files trained the
same: /history/loss and /params within the tolerances (0 = bit for bit), /model/probs within
1e-12, the same number of steps."""
import sys

import h5py
import numpy as np

reference, other = sys.argv[1], sys.argv[2]
loss_tol, params_tol = float(sys.argv[3]), float(sys.argv[4])
with h5py.File(reference, "r") as a, h5py.File(other, "r") as b:
    la, lb = a["history/loss"][:], b["history/loss"][:]
    assert la.shape == lb.shape, f"{other}: {lb.shape} losses, {reference} {la.shape}"
    assert list(a["history/step"][:]) == list(b["history/step"][:])
    dl = np.abs(la - lb).max()
    dp = np.abs(a["params"][:] - b["params"][:]).max()
    dm = np.abs(a["model/probs"][:] - b["model/probs"][:]).max()
    print(f"{other}: loss {dl:.1e}, params {dp:.1e}, model {dm:.1e}")
    assert dl <= loss_tol, f"loss history differs by {dl:.3e} > {loss_tol}"
    assert dp <= params_tol, f"parameters differ by {dp:.3e} > {params_tol}"
    assert dm <= 1e-12, f"model distribution differs by {dm:.3e}"
