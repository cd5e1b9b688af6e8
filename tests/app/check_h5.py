"""Opens a qgen HDF5 table with h5py (Debian's /usr/bin/python3) and checks its layout.

usage: check_h5.py FILE ROWS COLUMN[,COLUMN...] [ATTRIBUTE=VALUE ...]
"""
import sys

import h5py

path, rows, columns = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
with h5py.File(path, "r") as f:
    events = f["events"]
    assert events.shape == (rows, len(columns)), events.shape
    names = [c.decode() if isinstance(c, bytes) else c for c in events.attrs["columns"]]
    assert names == columns, names
    assert events.dtype == "float64"
    for item in sys.argv[4:]:
        key, value = item.split("=", 1)
        got = f.attrs[key]
        got = got.decode() if isinstance(got, bytes) else got
        assert str(got) == value, (key, got, value)
print("h5py reads", path, events.shape, names)
