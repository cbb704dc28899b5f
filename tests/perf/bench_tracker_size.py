"""The size of the tracker as served (raw, gzip, brotli bytes), against its source.

Run as ``python tests/perf/bench_tracker_size.py`` or through pytest (``make bench``). The
source, measured in the same run, is the baseline: the ratio says what the build saves.
"""

import sys

from server.tracker.build import build_script, default_config, read_source, size_report

BUDGET_GZIP = 2000  # bytes; tests/unit/test_tracker_build.py holds the script to it too


def measure() -> dict[str, dict]:
    """The size reports of the source and of the script exactly as /t.js serves it."""
    source = read_source()
    return {"source": size_report(source),
            "served": size_report(build_script(source, default_config()))}


def print_report(reports: dict[str, dict]) -> None:
    """Print the sizes as a table: source, served, and served as a share of the source."""
    source, served = reports["source"], reports["served"]
    columns = ["raw", "gzip"] + (["brotli"] if "brotli" in served else [])
    print("\ntracker t.js, bytes")
    print(f"  {'':18s}" + "".join(f"{column:>9s}" for column in columns))
    print(f"  {'source':18s}" + "".join(f"{source[column]:9d}" for column in columns))
    print(f"  {'served (minified)':18s}" + "".join(f"{served[column]:9d}" for column in columns))
    print(f"  {'served ÷ source':18s}"
          + "".join(f"{served[column] / source[column]:9.3f}" for column in columns))
    print(f"  gzip budget {BUDGET_GZIP}: {served['gzip'] / BUDGET_GZIP:.0%} used"
          + ("" if "brotli" in served else "   (brotli: pip install brotli)"))


def test_tracker_size():
    """Report the tracker's size and hold it to the gzip budget."""
    reports = measure()
    print_report(reports)
    assert reports["served"]["gzip"] < BUDGET_GZIP


if __name__ == "__main__":
    sizes = measure()
    print_report(sizes)
    sys.exit(0 if sizes["served"]["gzip"] < BUDGET_GZIP else 1)
