"""One table for every benchmark (``bench/run``).

Each script given ``--results FILE`` appends one JSON object per measured
line: what was measured, the figure (a ratio or a time), the queries, the
goal and whether this run met it. ``python bench/results.py FILE`` prints
them as one table. No figure is ever a test assertion.
"""
import json
import sys


def record(path, line, figure, goal, met, queries=""):
    """Append one line of the table to ``path`` (nothing without a path)."""
    if not path:
        return
    with open(path, "a") as handle:
        handle.write(json.dumps({"line": line, "figure": figure, "queries": queries,
                                 "goal": goal, "met": bool(met)}) + "\n")


def table(path):
    with open(path) as handle:
        rows = [json.loads(text) for text in handle if text.strip()]
    headers = ("measure", "figure", "queries", "goal", "met")
    cells = [(r["line"], r["figure"], str(r["queries"]), r["goal"],
              "yes" if r["met"] else "NO") for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    rule = "+".join("-" * (w + 2) for w in widths)
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths)), rule]
    lines += [" | ".join(c.ljust(w) for c, w in zip(cell, widths)) for cell in cells]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(sys.argv[1]))
