#!/usr/bin/python3
"""Classical invertible network (INN) baseline of paper 004 (QINN), Table 1, for issue 11.

A normalizing flow on the five zll observables (pT_plus, pT_minus [GeV], delta_phi [rad],
eta_plus, eta_minus): GLOW affine coupling blocks (RealNVP with both halves transformed per
block, scales soft-clamped as in FrEIA: s = 2 c / pi * atan(s_raw / c), c = 2) and a fixed
random permutation after each block, trained by maximum likelihood against a standard normal
latent. The paper's INN used cubic spline couplings and an extra M_Z MMD loss; this baseline is
affine and likelihood-only (stated in docs/inn-baseline.md).

Features are scaled to [-1, 1] with the training split's minima and maxima. Adam (0.5, 0.9 as
Table 1), PyTorch's one-cycle rate (max 1e-3, initial max/25, final initial/1e4: the same
schedule as qgen's QINN), batch 128; the validation loss is computed per epoch and the best
epoch's parameters are kept. Sizes (Table 1 block counts, 3 linear layers per subnetwork):
small 6 blocks x 9 hidden (~2k), medium 9 x 14 (~6k), large 10 x 24 (~16k).

Output (HDF5): /samples [N, 7] = the five features and M_ll [GeV], delta_R_ll (massless
leptons: M_ll^2 = 2 pT+ pT- (cosh(deta) - cos(dphi)), delta_R = sqrt(deta^2 + dphi^2)),
attribute columns; N = the test split's size. Samples outside the training range are clamped
to it and counted (attribute clamped_samples). /history/{train_loss, validation_loss} per
epoch (mean negative log-likelihood per event, nats). Root attributes: parameters, blocks,
hidden, epochs, best_epoch, seed, test_loss (the best model on the test split).

  inn-baseline.py --train T.h5 --validation V.h5 --test X.h5 --size small --output out.h5
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
SIZES = {"small": (6, 9), "medium": (9, 14), "large": (10, 24)}  # (blocks, hidden)
CLAMP = 2.0


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


class Flow(torch.nn.Module):
    """Coupling blocks, each followed by a fixed random permutation (|det| = 1)."""

    def __init__(self, dims, blocks, hidden, seed):
        super().__init__()
        self.blocks = torch.nn.ModuleList(AffineCoupling(dims, hidden) for _ in range(blocks))
        generator = torch.Generator().manual_seed(seed)
        for i in range(blocks):
            permutation = torch.randperm(dims, generator=generator)
            self.register_buffer(f"permutation{i}", permutation)
            self.register_buffer(f"inverse_permutation{i}", torch.argsort(permutation))

    def forward(self, x):
        log_det = torch.zeros(x.shape[0], dtype=x.dtype)
        for i, block in enumerate(self.blocks):
            x, block_log_det = block(x)
            x = x[:, getattr(self, f"permutation{i}")]
            log_det = log_det + block_log_det
        return x, log_det

    def inverse(self, z):
        for i in reversed(range(len(self.blocks))):
            z = z[:, getattr(self, f"inverse_permutation{i}")]
            z = self.blocks[i].inverse(z)
        return z

    def nll(self, x):
        """Mean negative log-likelihood per event [nats], standard normal latent."""
        z, log_det = self(x)
        log_normal = -0.5 * (z ** 2).sum(1) - 0.5 * z.shape[1] * math.log(2 * math.pi)
        return -(log_normal + log_det).mean()


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
    """Invertibility x -> z -> x and log|det J| against autograd's dense Jacobian (float64)."""
    torch.manual_seed(3)
    failures = 0
    for blocks, hidden in SIZES.values():
        model = Flow(5, blocks, hidden, seed=11).double()
        with torch.no_grad():  # 1.5x the initial weights: log|det| of several units, yet
            # well conditioned (at 3x, float64 round-off in exp(-s) reaches 1e-2 after 6 blocks)
            for p in model.parameters():
                p.mul_(1.5)
        x = torch.randn(64, 5, dtype=torch.float64)
        with torch.no_grad():
            z, log_det = model(x)
            back = model.inverse(z)
        inversion = (back - x).abs().max().item()
        det_error = 0.0
        for i in range(4):
            jacobian = torch.autograd.functional.jacobian(lambda p: model(p[None])[0][0], x[i])
            reference = torch.linalg.slogdet(jacobian)[1].item()
            det_error = max(det_error, abs(reference - log_det[i].item()))
        scale_range = log_det.abs().max().item()
        ok = inversion < 1e-6 and det_error < 1e-6 and scale_range > 0.1
        failures += not ok
        print(f"self-test {blocks} blocks x {hidden}: {parameter_count(model)} parameters, "
              f"max |g(f(x)) - x| {inversion:.2e}, max |log det - autograd| {det_error:.2e}, "
              f"max |log det| {scale_range:.2f}: {'ok' if ok else 'FAILED'}")
    return 1 if failures else 0


def train(args):
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    train_x, validation_x, test_x = (read_features(p) for p in (args.train, args.validation, args.test))
    low, high = train_x.min(0), train_x.max(0)
    scale = lambda x: torch.tensor(2 * (x - low) / (high - low) - 1, dtype=torch.float32)
    train_s, validation_s, test_s = scale(train_x), scale(validation_x), scale(test_x)

    blocks, hidden = SIZES[args.size]
    model = Flow(5, blocks, hidden, seed=args.seed)
    parameters = parameter_count(model)
    steps = math.ceil(len(train_s) / args.batch)
    print(f"INN {args.size}: {blocks} affine coupling blocks, hidden {hidden}: {parameters} parameters; "
          f"{len(train_s)} train, {len(validation_s)} validation, {len(test_s)} test events; "
          f"{args.epochs} epochs of {steps} batches of {args.batch}", flush=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.max_lr, betas=(0.5, 0.9))
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.max_lr,
                                                   total_steps=args.epochs * steps)
    history = {"train_loss": [], "validation_loss": []}
    best = (math.inf, 0, None)
    for epoch in range(1, args.epochs + 1):
        start = time.time()
        model.train()
        order = torch.randperm(len(train_s))
        total = 0.0
        for b in range(steps):
            batch = train_s[order[b * args.batch:(b + 1) * args.batch]]
            loss = model.nll(batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(batch)
        model.eval()
        with torch.no_grad():
            validation = model.nll(validation_s).item()
        history["train_loss"].append(total / len(train_s))
        history["validation_loss"].append(validation)
        if validation < best[0]:
            best = (validation, epoch, {k: v.clone() for k, v in model.state_dict().items()})
        print(f"epoch {epoch:4d}/{args.epochs}  train {total / len(train_s):.4f}  "
              f"val {validation:.4f}  {time.time() - start:.2f} s", flush=True)

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
    with h5py.File(args.output, "w") as f:
        d = f.create_dataset("samples", data=samples)
        d.attrs["columns"] = np.array([c.encode() for c in COLUMNS])
        for key, values in history.items():
            f[f"history/{key}"] = np.array(values)
        f.attrs.update(parameters=parameters, blocks=blocks, hidden=hidden, size=args.size,
                       epochs=args.epochs, best_epoch=best[1], seed=args.seed, test_loss=test_loss,
                       clamped_samples=int(outside.sum()), coupling="affine (GLOW, soft clamp 2)")
    print(f"best epoch {best[1]} (validation {best[0]:.4f}), test loss {test_loss:.4f}; "
          f"{len(samples)} samples ({int(outside.sum())} clamped to the training range) "
          f"written to {args.output}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--train"), parser.add_argument("--validation"), parser.add_argument("--test")
    parser.add_argument("--output")
    parser.add_argument("--size", choices=list(SIZES), default="small")
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
    train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
