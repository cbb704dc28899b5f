"""Print the size of the tracker as served: raw, gzip and (when available) brotli bytes.

Run as ``python tests/perf/bench_tracker_size.py`` or through pytest (``make bench``).
"""

import sys

from server.tracker.build import build_script, default_config, read_source, size_report

BUDGET_GZIP = 2000


def measure() -> dict:
    """Build the script exactly as /t.js serves it and return its size report."""
    return size_report(build_script(read_source(), default_config()))


def print_report(report: dict) -> None:
    """Print the sizes, one line each."""
    brotli = report.get("brotli")
    print("\ntracker t.js (minified)")
    print(f"  raw     {report['raw']:6d} bytes")
    print(f"  gzip    {report['gzip']:6d} bytes   (budget {BUDGET_GZIP})")
    print(f"  brotli  {brotli:6d} bytes" if brotli else "  brotli       -   (pip install brotli)")


def test_tracker_size():
    """Report the tracker's size and hold it to the gzip budget."""
    report = measure()
    print_report(report)
    assert report["gzip"] < BUDGET_GZIP


if __name__ == "__main__":
    size = measure()
    print_report(size)
    sys.exit(0 if size["gzip"] < BUDGET_GZIP else 1)
