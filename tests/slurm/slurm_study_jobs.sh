#!/usr/bin/env bash
# jobs/study.sbatch and jobs/study-array.sbatch (docs/study.md) run for real on a local
# single-node Slurm (tools/slurm-local.sh), with a tiny study of 4 runs (4 qubits, 4 steps):
#   1. study.sbatch on 2 tasks in 2 groups: exit 0, its output named with the job id, the study
#      file holds the 4 completed runs;
#   2. study-array.sbatch --array=0-3%2: every task exits 0 with its own output file, task 0
#      submits the collect job, which exits 0 and writes the study file; each run's parameters
#      equal those of the one-allocation study;
#   3. missing environment: study.sbatch without a study file, study-array.sbatch without
#      --array: exit 2 with one message.
# usage: slurm_study_jobs.sh SOURCE_DIR QGEN WORK_DIR. Exit 77 (skipped) where Slurm is not
# installed, except under CI, where it must be.
set -uo pipefail
source_dir=$1 qgen=$2 work=$3

# Starts the local Slurm (stopped on exit) and defines field, wait_until, finished and fail.
source "$source_dir/tests/slurm/local_slurm.sh"

write_study() {  # name
  cat > "$work/$1.ini" <<INI
[study]
name = $1
output = $work/$1.h5
[sweep]
circuit.depth = 1, 2
train.seed = 1, 2
[set]
data.generate = dijet
data.events = 3000
encoding.features = pT,mass
circuit.qubits = 4
train.steps = 4
train.shots = 200
samples = 50
INI
}
check_study() {  # file: 4 completed runs
  /usr/bin/python3 - "$1" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    status = [s.decode() for s in f["table/status"][:]]
    assert status == ["completed"] * 4, status
    assert len(f["runs"]) == 4
PY
}

# 1. One allocation, two groups.
write_study alloc
job=$(sbatch --parsable -n 2 -o "$work/study-%j.out" --export=ALL,QGEN_GROUPS=2 jobs/study.sbatch "$work/alloc.ini") ||
  fail "sbatch study"
wait_until 120 finished "$job" || fail "the study job did not finish"
[ "$(field "$job" ExitCode)" = 0:0 ] || fail "study job: $(field "$job" JobState), exit $(field "$job" ExitCode)"
[ -f "$work/study-$job.out" ] || fail "no output file named with the job id"
grep -q "4 runs on 2 ranks in 2 groups" "$work/study-$job.out" || fail "the study did not use 2 groups"
check_study "$work/alloc.h5" || fail "the study job's file"
echo "study.sbatch: 4 runs in one allocation on 2 groups, one study file"

# 2. A job array and its collect job.
write_study array
job=$(sbatch --parsable --array=0-3%2 -o "$work/array-%A_%a.out" \
      --export=ALL,QGEN_COLLECT_OUTPUT="$work/collect-%j.out" jobs/study-array.sbatch "$work/array.ini") ||
  fail "sbatch study-array"
array_done() { local t; for t in 0 1 2 3; do finished "${job}_$t" || return 1; done; }
wait_until 180 array_done || fail "the array did not finish"
for t in 0 1 2 3; do
  [ "$(field "${job}_$t" ExitCode)" = 0:0 ] || fail "array task $t: exit $(field "${job}_$t" ExitCode)"
  [ -f "$work/array-${job}_$t.out" ] || fail "array task $t: no output file"
done
collect=$(grep -o "collect job [0-9]* submitted" "$work/array-${job}_0.out" | cut -d' ' -f3)
[ -n "$collect" ] || fail "task 0 submitted no collect job"
wait_until 120 finished "$collect" || fail "the collect job did not finish"
[ "$(field "$collect" ExitCode)" = 0:0 ] || fail "collect job: exit $(field "$collect" ExitCode)"
check_study "$work/array.h5" || fail "the collected study file"
/usr/bin/python3 - "$work/alloc.h5" "$work/array.h5" <<'PY' || fail "array runs differ from the allocation's"
import sys, h5py, numpy as np
with h5py.File(sys.argv[1]) as a, h5py.File(sys.argv[2]) as b:
    for name in a["runs"]:
        assert np.array_equal(a["runs"][name]["params"][:], b["runs"][name]["params"][:]), name
        assert np.array_equal(a["runs"][name]["history/loss"][:], b["runs"][name]["history/loss"][:]), name
PY
echo "study-array.sbatch: 4 tasks, a dependent collect job; the same runs as in one allocation"

# 3. Missing environment.
job=$(sbatch --parsable -o "$work/nostudy-%j.out" jobs/study.sbatch) || fail "sbatch without a study"
wait_until 60 finished "$job" || fail "the job without a study did not end"
[ "$(field "$job" ExitCode)" = 2:0 ] && grep -q "no study file" "$work/nostudy-$job.out" ||
  fail "study.sbatch without a study file: exit $(field "$job" ExitCode)"
job=$(sbatch --parsable -o "$work/noarray-%j.out" jobs/study-array.sbatch "$work/array.ini") || fail "sbatch plain"
wait_until 60 finished "$job" || fail "the plain submission did not end"
[ "$(field "$job" ExitCode)" = 2:0 ] && grep -q "SLURM_ARRAY_TASK_ID is not set" "$work/noarray-$job.out" ||
  fail "study-array.sbatch without --array: exit $(field "$job" ExitCode)"
echo "study jobs: a missing study file and a missing --array refused with exit 2"
