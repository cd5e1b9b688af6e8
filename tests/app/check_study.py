"""check_study.py STUDY.h5 EXPECTED...: the study file of tests/app/study_cli.sh holds every run
with the expected status (EXPECTED: name-prefix=status words, e.g. run-0=completed), its table
agrees with the runs' groups, and every completed run carries a whole results file, its swept
values and its config. Prints "name params-file" lines for the completed runs' run_config
(written next to the study file as <name>.ini) so the caller can retrain them with qgen train."""
import math
import os
import sys

import h5py

path = sys.argv[1]
expected = dict(word.split("=", 1) for word in sys.argv[2:])
with h5py.File(path, "r") as f:
    names = [n.decode() for n in f["table/name"][:]]
    states = [s.decode() for s in f["table/status"][:]]
    assert sorted(names) == sorted(f["runs"].keys()), (names, list(f["runs"]))
    assert f.attrs["runs"] == len(names)
    keys = list(f.attrs["sweep_keys"])
    for prefix, status in expected.items():
        matching = [k for k, n in enumerate(names) if n.startswith(prefix + "_") or n == prefix]
        assert len(matching) == 1, (prefix, names)
        k = matching[0]
        assert states[k] == status, f"{names[k]}: {states[k]}, expected {status}"
    assert len(expected) == len(names), f"{len(names)} runs, {len(expected)} expected"
    for k, name in enumerate(names):
        g = f["runs"][name]
        assert g.attrs["status"] == states[k]
        assert g.attrs["run_index"] == k
        for key in keys:
            assert g.attrs[key] == f["table/sweep"][key][k].decode(), (name, key)
        if states[k] == "completed":
            for member in ("config", "params", "history", "metrics", "model", "target"):
                assert member in g, (name, member)
            assert math.isclose(f["table/js"][k], g["metrics/js"][()]), name
            assert math.isclose(f["table/loss"][k], g["history/loss"][-1]), name
            ini = os.path.join(os.path.dirname(path) or ".", name + ".ini")
            with open(ini, "w") as out:
                out.write(g.attrs["run_config"])
            print(name, ini)
        else:
            assert math.isnan(f["table/js"][k]), name
            assert g.attrs["message"] or states[k] == "missing", f"{name}: no message"
