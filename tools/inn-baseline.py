#!/usr/bin/python3
"""Classical invertible network (INN) baseline of paper 004 (QINN), Table 1, for issue 11.

A normalizing flow on the five zll observables (pT_plus, pT_minus [GeV], delta_phi [rad],
eta_plus, eta_minus), trained by maximum likelihood against a standard normal latent, plus
(optionally) the paper's MMD on the reconstructed M_ll. Two coupling kinds (--coupling):

- affine: GLOW blocks (RealNVP with both halves transformed per block, scales soft-clamped as
  in FrEIA: s = 2 c / pi * atan(s_raw / c), c = 2);
- spline: rational-quadratic spline couplings (Durkan et al. 2019, Neural Spline Flows): x =
  [u, v] with u the first 2 features, v the other 3; each u_i goes through a monotone RQ spline
  of K bins on [-B, B] whose 3K - 1 parameters (K widths, K heights, K - 1 interior
  derivatives; the boundary derivatives are 1) come from a subnetwork of v; identity (linear
  tails) outside [-B, B]; v unchanged, as the paper's Fig. 1 block. Bin widths and heights are
  at least 1e-3 of the interval, derivatives at least 1e-3.

After each block a fixed mixing (--permutation): hard = a random permutation of the features;
soft = a random orthogonal matrix (QR of a Gaussian matrix, sign-fixed), FrEIA's soft
permutation. |det| = 1 for both: they add nothing to log|det J|.

The paper's M_Z term (--mass-mmd, default 0.5 as Table 1's INN; 0 switches it off): each batch
draws as many z ~ N(0, 1)^5 as it has events, maps them back to physical units through the
inverse flow and the feature scaling, reconstructs M_ll [GeV] of massless leptons (0 where
M_ll^2 <= 0) and adds w * MMD^2 between generated and data M_ll, the biased V-statistic with a
sum of Breit-Wigner kernels k(x, y) = sum_s s^2 / (s^2 + (x - y)^2), s in 0.02, 0.1, 0.4, 1, 5
GeV: the definition of qgen's QINN (include/qgen/qinn/mmd.hpp).

Features are scaled to [-1, 1] with the training split's minima and maxima. Adam (0.5, 0.9 as
Table 1), PyTorch's one-cycle rate (max 1e-3, initial max/25, final initial/1e4: the same
schedule as qgen's QINN), batch 128; the validation loss (negative log-likelihood only) is
computed per epoch and the best epoch's parameters are kept. Sizes (Table 1 block counts, 3
linear layers per subnetwork; hidden widths chosen for Table 1's parameter counts):
  affine: small 6 blocks x 9 hidden (2058), medium 9 x 14 (6012), large 10 x 24 (16180);
  spline: small 6 x 8, 5 bins (2136), medium 9 x 10, 8 bins (5904), large 10 x 22, 8 bins
  (16520).

Output (HDF5): /samples [N, 7] = the five features and M_ll [GeV], delta_R_ll (massless
leptons: M_ll^2 = 2 pT+ pT- (cosh(deta) - cos(dphi)), delta_R = sqrt(deta^2 + dphi^2)),
attribute columns; N = the test split's size. Samples outside the training range are clamped
to it and counted (attribute clamped_samples). /history/{train_loss, validation_loss} per
epoch (mean negative log-likelihood per event, nats), /history/train_mass_mmd (mean M_ll
MMD^2 per batch). Root attributes: parameters, blocks, hidden, bins, coupling, permutation,
mass_mmd, epochs, best_epoch, seed, test_loss (the best model on the test split), seconds.

  inn-baseline.py --train T.h5 --validation V.h5 --test X.h5 --size small --output out.h5 \
      [--coupling affine|spline] [--permutation hard|soft] [--mass-mmd 0.5]
  inn-baseline.py --self-test      (invertibility and log|det J| against autograd; exit 1 on failure)
"""
import argparse
import math
import sys
import time

import h5py
import numpy as np
import torch

FEATURES = ["pT_plus", "pT_minus", "delta_phi", "eta_plus", "eta_minus"]
COLUMNS = FEATURES + ["M_ll", "delta_R_ll"]
# (blocks, hidden, spline bins) per coupling kind; Table 1's block counts and bins.
SIZES = {
    "affine": {"small": (6, 9, 0), "medium": (9, 14, 0), "large": (10, 24, 0)},
    "spline": {"small": (6, 8, 5), "medium": (9, 10, 8), "large": (10, 22, 8)},
}
CLAMP = 2.0
SPLINE_BOUND = 3.0          # B: the spline acts on [-B, B], identity outside
MIN_BIN = 1e-3              # minimal bin width and height (fraction of 2B)
MIN_DERIVATIVE = 1e-3
MASS_WIDTHS = (0.02, 0.1, 0.4, 1.0, 5.0)  # GeV, Breit-Wigner kernel widths (Table 1)


def subnet(inputs, outputs, hidden):
    """Three linear layers, as Table 1's 'layers per block'."""
    return torch.nn.Sequential(
        torch.nn.Linear(inputs, hidden), torch.nn.ReLU(),
        torch.nn.Linear(hidden, hidden), torch.nn.ReLU(),
        torch.nn.Linear(hidden, outputs))


class AffineCoupling(torch.nn.Module):
    """GLOW coupling: x = [u, v]; u' = u exp(s(v)) + t(v), then v' = v exp(s(u')) + t(u')."""

    def __init__(self, dims, hidden):
        super().__init__()
        self.split = dims // 2
        self.rest = dims - self.split
        self.net_u = subnet(self.rest, 2 * self.split, hidden)
        self.net_v = subnet(self.split, 2 * self.rest, hidden)

    @staticmethod
    def scale_shift(net, condition):
        s_raw, t = net(condition).chunk(2, dim=1)
        return 2 * CLAMP / math.pi * torch.atan(s_raw / CLAMP), t

    def forward(self, x):
        u, v = x[:, :self.split], x[:, self.split:]
        s1, t1 = self.scale_shift(self.net_u, v)
        u = u * torch.exp(s1) + t1
        s2, t2 = self.scale_shift(self.net_v, u)
        v = v * torch.exp(s2) + t2
        return torch.cat([u, v], dim=1), s1.sum(1) + s2.sum(1)

    def inverse(self, y):
        u, v = y[:, :self.split], y[:, self.split:]
        s2, t2 = self.scale_shift(self.net_v, u)
        v = (v - t2) * torch.exp(-s2)
        s1, t1 = self.scale_shift(self.net_u, v)
        u = (u - t1) * torch.exp(-s1)
        return torch.cat([u, v], dim=1)


def rational_quadratic_spline(x, widths, heights, derivatives, inverse=False, bound=SPLINE_BOUND):
    """Monotone rational-quadratic spline of Durkan et al. (2019), elementwise.

    x [N, D]; widths, heights [N, D, K] unnormalised; derivatives [N, D, K - 1] unnormalised
    (the interior knots; both boundary derivatives are 1, so that the linear tails outside
    [-B, B] join with a continuous slope). Returns (y, log dy/dx) for the forward map, or
    (x, log dx/dy) of the inverse when inverse=True (then the first argument is y).
    """
    bins = widths.shape[-1]
    inside = (x >= -bound) & (x <= bound)
    xin = x.clamp(-bound, bound)

    def knots(unnormalised):
        fractions = MIN_BIN + (1 - MIN_BIN * bins) * torch.softmax(unnormalised, dim=-1)
        edges = torch.nn.functional.pad(torch.cumsum(fractions, dim=-1), (1, 0))
        edges = 2 * bound * edges - bound
        edges = torch.cat([edges[..., :1] * 0 - bound, edges[..., 1:-1], edges[..., -1:] * 0 + bound], -1)
        return edges, edges[..., 1:] - edges[..., :-1]

    x_knots, bin_widths = knots(widths)
    y_knots, bin_heights = knots(heights)
    ones = torch.ones_like(derivatives[..., :1])
    slopes = torch.cat([ones, MIN_DERIVATIVE + torch.nn.functional.softplus(derivatives), ones], -1)
    # softplus(0) + 1e-3 != 1: the interior derivatives start near log 2, the boundary ones at 1.

    search = y_knots if inverse else x_knots
    index = (xin[..., None] >= search[..., 1:]).sum(-1, keepdim=True).clamp(max=bins - 1)
    pick = lambda t: t.gather(-1, index)[..., 0]
    x_k, w_k, y_k, h_k = pick(x_knots), pick(bin_widths), pick(y_knots), pick(bin_heights)
    d_k, d_k1 = pick(slopes[..., :-1]), pick(slopes[..., 1:])
    s_k = h_k / w_k
    if not inverse:
        xi = (xin - x_k) / w_k
        xi1 = xi * (1 - xi)
        denominator = s_k + (d_k1 + d_k - 2 * s_k) * xi1
        y = y_k + h_k * (s_k * xi ** 2 + d_k * xi1) / denominator
        log_derivative = (2 * torch.log(s_k) + torch.log(d_k1 * xi ** 2 + 2 * s_k * xi1 + d_k * (1 - xi) ** 2)
                          - 2 * torch.log(denominator))
    else:
        dy = xin - y_k
        a = dy * (d_k1 + d_k - 2 * s_k) + h_k * (s_k - d_k)
        b = h_k * d_k - dy * (d_k1 + d_k - 2 * s_k)
        c = -s_k * dy
        discriminant = (b ** 2 - 4 * a * c).clamp(min=0)
        xi = (2 * c) / (-b - torch.sqrt(discriminant))
        y = x_k + xi * w_k
        xi1 = xi * (1 - xi)
        denominator = s_k + (d_k1 + d_k - 2 * s_k) * xi1
        log_derivative = -(2 * torch.log(s_k) + torch.log(d_k1 * xi ** 2 + 2 * s_k * xi1 + d_k * (1 - xi) ** 2)
                           - 2 * torch.log(denominator))
    y = torch.where(inside, y, x)
    log_derivative = torch.where(inside, log_derivative, torch.zeros_like(log_derivative))
    return y, log_derivative


class SplineCoupling(torch.nn.Module):
    """x = [u, v] (2 + 3 features): u_i -> RQ spline of K bins with parameters from net(v)."""

    def __init__(self, dims, hidden, bins):
        super().__init__()
        self.split = dims // 2
        self.bins = bins
        self.net = subnet(dims - self.split, self.split * (3 * bins - 1), hidden)

    def spline(self, u, v, inverse):
        parameters = self.net(v).reshape(u.shape[0], self.split, 3 * self.bins - 1)
        widths, heights, derivatives = parameters.split([self.bins, self.bins, self.bins - 1], dim=-1)
        return rational_quadratic_spline(u, widths, heights, derivatives, inverse=inverse)

    def forward(self, x):
        u, v = x[:, :self.split], x[:, self.split:]
        u, log_derivative = self.spline(u, v, inverse=False)
        return torch.cat([u, v], dim=1), log_derivative.sum(1)

    def inverse(self, y):
        u, v = y[:, :self.split], y[:, self.split:]
        u, _ = self.spline(u, v, inverse=True)
        return torch.cat([u, v], dim=1)


def orthogonal_matrix(dims, generator):
    """A random orthogonal matrix (Haar): QR of a Gaussian matrix with R's diagonal made positive."""
    q, r = torch.linalg.qr(torch.randn(dims, dims, generator=generator, dtype=torch.float64))
    return q * torch.sign(torch.diagonal(r))[None, :]


class Flow(torch.nn.Module):
    """Coupling blocks, each followed by a fixed mixing: a permutation (hard) or an orthogonal
    matrix (soft); |det| = 1 either way."""

    def __init__(self, dims, blocks, hidden, seed, coupling="affine", bins=0, permutation="hard"):
        super().__init__()
        if coupling == "affine":
            self.blocks = torch.nn.ModuleList(AffineCoupling(dims, hidden) for _ in range(blocks))
        else:
            self.blocks = torch.nn.ModuleList(SplineCoupling(dims, hidden, bins) for _ in range(blocks))
        self.soft = permutation == "soft"
        generator = torch.Generator().manual_seed(seed)
        for i in range(blocks):
            if self.soft:  # y = x @ W, x = y @ W^T
                self.register_buffer(f"mixing{i}", orthogonal_matrix(dims, generator))
            else:
                permutation_ = torch.randperm(dims, generator=generator)
                self.register_buffer(f"permutation{i}", permutation_)
                self.register_buffer(f"inverse_permutation{i}", torch.argsort(permutation_))

    def mix(self, x, i, inverse=False):
        if self.soft:
            w = getattr(self, f"mixing{i}").to(x.dtype)  # kept in float64: W^T = W^-1 to round-off
            return x @ (w.T if inverse else w)
        return x[:, getattr(self, f"inverse_permutation{i}" if inverse else f"permutation{i}")]

    def forward(self, x):
        log_det = torch.zeros(x.shape[0], dtype=x.dtype)
        for i, block in enumerate(self.blocks):
            x, block_log_det = block(x)
            x = self.mix(x, i)
            log_det = log_det + block_log_det
        return x, log_det

    def inverse(self, z):
        for i in reversed(range(len(self.blocks))):
            z = self.mix(z, i, inverse=True)
            z = self.blocks[i].inverse(z)
        return z

    def nll(self, x):
        """Mean negative log-likelihood per event [nats], standard normal latent."""
        z, log_det = self(x)
        log_normal = -0.5 * (z ** 2).sum(1) - 0.5 * z.shape[1] * math.log(2 * math.pi)
        return -(log_normal + log_det).mean()


def dilepton_mass(x):
    """M_ll [GeV] of physical features [N, 5] (torch, differentiable; 0 where M_ll^2 <= 0)."""
    pt_plus, pt_minus, dphi, eta_plus, eta_minus = x.unbind(1)
    m2 = 2 * pt_plus * pt_minus * (torch.cosh(eta_plus - eta_minus) - torch.cos(dphi))
    positive = m2 > 0
    return torch.where(positive, torch.sqrt(torch.where(positive, m2, torch.ones_like(m2))), torch.zeros_like(m2))


def breit_wigner_mmd2(x, y, widths=MASS_WIDTHS):
    """Biased MMD^2 of 1-d samples x (data, n) and y (generated, m), sum of Breit-Wigner
    kernels: mean k(x, x') + mean k(y, y') - 2 mean k(x, y) = w^T K w over the joined sample,
    w = (1/n, ..., -1/m, ...) (one kernel matrix: the step is overhead-bound, not arithmetic)."""
    joined = torch.cat([x, y])
    d2 = (joined[:, None] - joined[None, :]) ** 2
    s2 = torch.tensor(widths, dtype=joined.dtype)[:, None, None] ** 2
    kernel = (s2 / (s2 + d2)).sum(0)
    w = torch.cat([torch.full_like(x, 1 / len(x)), torch.full_like(y, -1 / len(y))])
    return w @ kernel @ w


def parameter_count(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def read_features(path):
    with h5py.File(path, "r") as f:
        events = f["events"]
        columns = [c.decode() if isinstance(c, bytes) else str(c) for c in events.attrs["columns"]]
        missing = [c for c in FEATURES if c not in columns]
        if missing:
            sys.exit(f"inn-baseline: '{path}' has no column(s) {', '.join(missing)}")
        data = events[()]
    return data[:, [columns.index(c) for c in FEATURES]].astype(np.float64)


def zll_columns(x):
    """[N, 5] physical features -> [N, 7] with M_ll [GeV] and delta_R_ll (massless leptons)."""
    pt_plus, pt_minus, dphi, eta_plus, eta_minus = x.T
    deta = eta_plus - eta_minus
    m2 = 2 * pt_plus * pt_minus * (np.cosh(deta) - np.cos(dphi))
    return np.column_stack([x, np.sqrt(np.maximum(m2, 0)), np.sqrt(deta ** 2 + dphi ** 2)])


def self_test():
    """Invertibility x -> z -> x and log|det J| against autograd's dense Jacobian (float64), for
    every coupling, mixing and size."""
    torch.manual_seed(3)
    failures = 0
    for coupling, sizes in SIZES.items():
        for permutation in ("hard", "soft"):
            for blocks, hidden, bins in sizes.values():
                model = Flow(5, blocks, hidden, seed=11, coupling=coupling, bins=bins,
                             permutation=permutation).double()
                with torch.no_grad():  # affine, hard: 1.5x the initial weights: log|det| of
                    # several units, yet well conditioned (at 3x, float64 round-off in exp(-s)
                    # reaches 1e-2 after 6 blocks; with soft mixing already at 1.5x, 1e-5 after 9);
                    # the other kinds are far enough from the identity at their initialisation
                    for p in model.parameters():
                        p.mul_(1.5 if (coupling, permutation) == ("affine", "hard") else 1.0)
                # 2 sigma: some points beyond the spline interval [-3, 3] (its linear tails)
                x = 2 * torch.randn(64, 5, dtype=torch.float64)
                with torch.no_grad():
                    z, log_det = model(x)
                    back = model.inverse(z)
                inversion = (back - x).abs().max().item()
                det_error = 0.0
                for i in range(6):
                    jacobian = torch.autograd.functional.jacobian(lambda p: model(p[None])[0][0], x[i])
                    reference = torch.linalg.slogdet(jacobian)[1].item()
                    det_error = max(det_error, abs(reference - log_det[i].item()))
                scale_range = log_det.abs().max().item()
                ok = inversion < 1e-6 and det_error < 1e-6 and scale_range > 0.1
                failures += not ok
                print(f"self-test {coupling:6s} {permutation} {blocks} blocks x {hidden}"
                      f"{f', {bins} bins' if bins else ''}: {parameter_count(model)} parameters, "
                      f"max |g(f(x)) - x| {inversion:.2e}, max |log det - autograd| {det_error:.2e}, "
                      f"max |log det| {scale_range:.2f}: {'ok' if ok else 'FAILED'}")
    x = torch.tensor([88.0, 91.0, 95.0, 91.5], dtype=torch.float64)
    y = torch.tensor([90.0, 91.0, 91.2, 92.0], dtype=torch.float64)
    widths = (0.5, 2.0)
    reference = 0.0  # the MMD^2 double sum written out, against breit_wigner_mmd2
    for s in widths:
        k = lambda a, b: s * s / (s * s + (a - b) ** 2)
        reference += sum(k(a, b) for a in x for b in x) / 16 + sum(k(a, b) for a in y for b in y) / 16 \
            - 2 * sum(k(a, b) for a in x for b in y) / 16
    mmd_error = abs(breit_wigner_mmd2(x, y, widths).item() - float(reference))
    mass = dilepton_mass(torch.tensor([[45.0, 45.0, math.pi, 0.3, 0.3]], dtype=torch.float64)).item()
    ok = mmd_error < 1e-6 and abs(mass - 90.0) < 1e-9
    failures += not ok
    print(f"self-test Breit-Wigner MMD^2 vs double sum {mmd_error:.1e}, back-to-back M_ll {mass:.6f} GeV: "
          f"{'ok' if ok else 'FAILED'}")
    return 1 if failures else 0


def train(args):
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    train_x, validation_x, test_x = (read_features(p) for p in (args.train, args.validation, args.test))
    low, high = train_x.min(0), train_x.max(0)
    scale = lambda x: torch.tensor(2 * (x - low) / (high - low) - 1, dtype=torch.float32)
    low_t, span_t = torch.tensor(low, dtype=torch.float32), torch.tensor(high - low, dtype=torch.float32)
    unscale = lambda s: (s + 1) / 2 * span_t + low_t
    train_s, validation_s, test_s = scale(train_x), scale(validation_x), scale(test_x)

    blocks, hidden, bins = SIZES[args.coupling][args.size]
    model = Flow(5, blocks, hidden, seed=args.seed, coupling=args.coupling, bins=bins,
                 permutation=args.permutation)
    parameters = parameter_count(model)
    steps = math.ceil(len(train_s) / args.batch)
    kind = f"{args.coupling} coupling blocks" + (f" ({bins} bins, B = {SPLINE_BOUND:g})" if bins else "")
    print(f"INN {args.size}: {blocks} {kind}, hidden {hidden}, {args.permutation} permutations, "
          f"M_ll MMD weight {args.mass_mmd:g}: {parameters} parameters; "
          f"{len(train_s)} train, {len(validation_s)} validation, {len(test_s)} test events; "
          f"{args.epochs} epochs of {steps} batches of {args.batch}", flush=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.max_lr, betas=(0.5, 0.9), foreach=True)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.max_lr,
                                                   total_steps=args.epochs * steps)
    history = {"train_loss": [], "validation_loss": [], "train_mass_mmd": []}
    best = (math.inf, 0, None)
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        start = time.time()
        model.train()
        order = torch.randperm(len(train_s))
        total, total_mmd = 0.0, 0.0
        for b in range(steps):
            batch = train_s[order[b * args.batch:(b + 1) * args.batch]]
            nll = model.nll(batch)
            loss = nll
            if args.mass_mmd > 0:  # the paper's M_Z term: generated vs data M_ll of this batch
                generated = model.inverse(torch.randn(len(batch), 5))
                mmd2 = breit_wigner_mmd2(dilepton_mass(unscale(batch)), dilepton_mass(unscale(generated)))
                loss = loss + args.mass_mmd * mmd2
                total_mmd += mmd2.item()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += nll.item() * len(batch)
        model.eval()
        with torch.no_grad():
            validation = model.nll(validation_s).item()
        history["train_loss"].append(total / len(train_s))
        history["validation_loss"].append(validation)
        history["train_mass_mmd"].append(total_mmd / steps)
        if validation < best[0]:
            best = (validation, epoch, {k: v.clone() for k, v in model.state_dict().items()})
        print(f"epoch {epoch:4d}/{args.epochs}  train {total / len(train_s):.4f}  "
              f"M_ll MMD^2 {total_mmd / steps:.4f}  val {validation:.4f}  {time.time() - start:.2f} s",
              flush=True)
    seconds = time.time() - started

    model.load_state_dict(best[2])
    with torch.no_grad():
        test_loss = model.nll(test_s).item()
        z = torch.randn(len(test_s), 5, generator=torch.Generator().manual_seed(args.seed + 1))
        generated = model.inverse(z).double().numpy()
    physical = (generated + 1) / 2 * (high - low) + low
    finite = np.isfinite(physical).all(1)
    outside = ~finite | ((physical < low) | (physical > high)).any(1)
    physical = np.clip(np.nan_to_num(physical, nan=0.0), low, high)
    samples = zll_columns(physical)
    coupling = "affine (GLOW, soft clamp 2)" if args.coupling == "affine" else \
        f"rational-quadratic spline ({bins} bins, B = {SPLINE_BOUND:g})"
    with h5py.File(args.output, "w") as f:
        d = f.create_dataset("samples", data=samples)
        d.attrs["columns"] = np.array([c.encode() for c in COLUMNS])
        for key, values in history.items():
            f[f"history/{key}"] = np.array(values)
        f.attrs.update(parameters=parameters, blocks=blocks, hidden=hidden, bins=bins, size=args.size,
                       permutation=args.permutation, mass_mmd=args.mass_mmd,
                       epochs=args.epochs, best_epoch=best[1], seed=args.seed, test_loss=test_loss,
                       clamped_samples=int(outside.sum()), coupling=coupling, seconds=seconds)
    print(f"best epoch {best[1]} (validation {best[0]:.4f}), test loss {test_loss:.4f}; "
          f"{len(samples)} samples ({int(outside.sum())} clamped to the training range) "
          f"written to {args.output}; training {seconds:.0f} s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--train"), parser.add_argument("--validation"), parser.add_argument("--test")
    parser.add_argument("--output")
    parser.add_argument("--size", choices=list(SIZES["affine"]), default="small")
    parser.add_argument("--coupling", choices=list(SIZES), default="affine")
    parser.add_argument("--permutation", choices=["hard", "soft"], default="hard")
    parser.add_argument("--mass-mmd", type=float, default=None,
                        help="weight of the M_ll Breit-Wigner MMD^2 (default 0.5 for spline, as "
                             "Table 1; 0 for affine, the likelihood-only baseline)")
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--max-lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not all((args.train, args.validation, args.test, args.output)):
        parser.error("--train, --validation, --test and --output are required (or --self-test)")
    if args.epochs < 1 or args.batch < 1:
        parser.error("--epochs and --batch must be at least 1")
    if args.mass_mmd is None:
        args.mass_mmd = 0.5 if args.coupling == "spline" else 0.0
    if not args.mass_mmd >= 0:
        parser.error("--mass-mmd must be a weight >= 0")
    train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
