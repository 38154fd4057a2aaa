"""Sums a PyTorch profiler Chrome trace (from `bellm embed --torch-profile`) by top-level op.

An op called inside another (aten::linear -> aten::matmul -> ...) counts once, with its outermost caller. Prints the
ops by total time, then by op and input shapes, and how much of the traced span lies between ops (the caller's side:
Java, JNI, DJL).
"""
import collections
import json
import sys


def top_level(events):
    """The events no other event on the same thread encloses."""
    events = sorted((e for e in events if e.get("ph") == "X"), key=lambda e: (e["tid"], e["ts"], -e["dur"]))
    ends, top = {}, []
    for e in events:
        if e["ts"] >= ends.get(e["tid"], float("-inf")):
            top.append(e)
            ends[e["tid"]] = e["ts"] + e["dur"]
    return top


def table(title, totals, rows):
    print(f"\n| {title} | ms | calls | µs per call |\n|---|---:|---:|---:|")
    for key, (micros, calls) in sorted(totals.items(), key=lambda kv: -kv[1][0])[:rows]:
        print(f"| `{key}` | {micros / 1e3:.1f} | {calls} | {micros / calls:.1f} |")


def main(trace_path, rows="30"):
    trace = json.load(open(trace_path))
    ops = top_level(trace["traceEvents"] if isinstance(trace, dict) else trace)
    if not ops:
        sys.exit(f"{trace_path} holds no ops")
    span = max(e["ts"] + e["dur"] for e in ops) - min(e["ts"] for e in ops)
    in_ops = sum(e["dur"] for e in ops)
    print(f"traced span {span / 1e3:.0f} ms, in ops {in_ops / 1e3:.0f} ms ({100 * in_ops / span:.0f} %), "
          f"{len(ops)} ops")
    by_name, by_shape = collections.defaultdict(lambda: [0.0, 0]), collections.defaultdict(lambda: [0.0, 0])
    for e in ops:
        for totals, key in ((by_name, e["name"]), (by_shape, f"{e['name']} {e.get('shape', '')}")):
            totals[key][0] += e["dur"]
            totals[key][1] += 1
    table("op", by_name, int(rows))
    table("op and input shapes", by_shape, int(rows))


if __name__ == "__main__":
    main(*sys.argv[1:])
