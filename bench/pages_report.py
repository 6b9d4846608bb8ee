"""A Markdown table of the page benchmark's results at several sizes, for ``bench/README.md``.

    python -m bench.pages_report [bench/results/pages-small.json bench/results/pages-city.json ...]

Without arguments it reads every ``bench/results/pages-*.json``, smallest size first. The last
file is the large one: its in-process median, p95, CPU time, ratio to the floor and HTTP figures
are shown; of the others the median. A page whose query count differs between the files is
marked ``N+1``, one whose p95 at the last size is 100 ms or more ``slow``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ORDER = ["small", "city", "operator", "custom"]


def _f(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if value < 100 else f"{value:.0f}"


def _load(paths: list[Path]) -> list[dict]:
    runs = [json.loads(p.read_text()) for p in paths]
    return sorted(runs, key=lambda r: ORDER.index(r["size"]) if r["size"] in ORDER else len(ORDER))


def markdown(runs: list[dict]) -> str:
    last = runs[-1]
    sizes = [r["size"] for r in runs]
    by_run = [{(r["key"], r["user"]): r for r in run["requests"]} for run in runs]
    head = ["page", "user", "queries (" + " / ".join(sizes) + ")"]
    head += [f"{s} median" for s in sizes[:-1]]
    head += [f"{last['size']} median", "p95", "CPU", "× floor", "HTTP median", "HTTP p95", "KiB", "flags"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + " ---: |" * (len(head) - 3) + " --- |"]
    for row in last["requests"]:
        key = (row["key"], row["user"])
        if "skipped" in row or row["key"] == "floor-direct":
            continue
        counts = [str(b[key]["queries"]) if key in b and "queries" in b[key] else "–" for b in by_run]
        flags = []
        if len(set(c for c in counts if c != "–")) > 1 or not row["queries_stable"]:
            flags.append("N+1")
        if row["p95_ms"] >= 100:
            flags.append("slow")
        if row["status"] != 200:
            flags.append(f"status {row['status']}")
        cells = [row["label"], row["user"], " / ".join(counts)]
        cells += [_f(b[key].get("median_ms")) if key in b else "–" for b in by_run[:-1]]
        http = row.get("http") or {}
        cells += [_f(row["median_ms"]), _f(row["p95_ms"]), _f(row["cpu_median_ms"]), _f(row.get("x_floor"), 0)]
        cells += [_f(http.get("median_ms")), _f(http.get("p95_ms")), _f(row["bytes"] / 1024), " ".join(flags)]
        lines.append("| " + " | ".join(cells) + " |")
    skipped = sorted({r["label"] for r in last["requests"] if "skipped" in r})
    if skipped:
        lines.append("")
        lines.append(f"Not measured at {last['size']} (no data): " + ", ".join(skipped) + ".")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(RESULTS.glob("pages-*.json"))
    if not paths:
        print("no results in bench/results/", file=sys.stderr)
        return 1
    print(markdown(_load(paths)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
