#!/usr/bin/env bash
# Installs qgen's build and run dependencies from Debian 12 packages (run as root).
# Idempotent: when everything is already installed it prints one line and touches nothing,
# so the README's commands can call it on every run.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  openmpi-bin libopenmpi-dev            # MPI
  petsc-dev                             # PETSc/TAO (Vec, Tao, PetscLog)
  libhdf5-openmpi-dev                   # parallel HDF5 for data, checkpoints, results
  libboost-program-options-dev          # command line and INI input files
  nlohmann-json3-dev                    # device calibrations, counts
  libeigen3-dev                         # dense algebra of the QINN's classical network
  libhepmc3-dev libfastjet-dev libisal-dev  # event input: HepMC3, jets, gzip (igzip inflate)
  zlib1g-dev                            # tests write gzip files
  librandom123-dev                      # counter-based random streams (Philox)
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  python3-h5py python3-matplotlib python3-numpy  # tools/ plots (Debian's /usr/bin/python3)
  python3-torch                         # tools/inn-baseline.py: the classical INN baseline (issue 11)
  slurm-wlm munge                       # tests: jobs/*.sbatch on a local Slurm (tools/slurm-local.sh)
  clang libclang-rt-dev                 # tests: the sanitizer build and libFuzzer targets (preset asan)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "qgen dependencies: all ${#packages[@]} Debian packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "qgen dependencies: missing ${missing[*]}; run this script as root (or with sudo)" >&2
  exit 1
fi

echo "qgen dependencies: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "qgen dependencies: done"
