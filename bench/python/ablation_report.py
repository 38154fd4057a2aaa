"""The ablation's cells (bench/bellm-ablation.sh) as a table and a plot.

A cell is kK-POOLING-seedS, or kK-POOLING-seedS-loraF when its LoRA range starts at F instead of the ablation's
min(K, L - 8) (the control: all causal on the best cell's LoRA range). Its .bellm-model.json holds the trainer's
STS-B dev score, its .json the evaluation's STS-B test and SICK-R scores.

  ablation_report.py best RESULTS                      prints "K POOLING" of the best seed-42 cell by STS-B dev
  ablation_report.py table RESULTS MODEL LAYERS T      prints the markdown table, writes RESULTS/../MODEL.svg
"""
import json
import pathlib
import re
import sys

CELL = re.compile(r"k(\d+)-(last|mean)-seed(\d+)(?:-lora(\d+))?\.json$")
TASKS = ("stsb-dev", "stsb-test", "sick-r")
LORA_LAYERS = re.compile(r"layers (\d+-\d+)")


def cells(results):
    """{(k, pooling, seed, lora_first or None): {task: spearman, "lora_layers": "A-B"}} for every cell with both
    files; the LoRA range is the one the trainer recorded in the package."""
    found = {}
    for path in pathlib.Path(results).glob("k*-seed*.json"):
        match = CELL.search(path.name)
        package = path.with_name(path.name[:-len(".json")] + ".bellm-model.json")
        if not match or not package.exists():
            continue
        training = json.loads(package.read_text())["training"]
        scores = dict(training["dev_spearman"], lora_layers=LORA_LAYERS.search(training["params"]["lora"])[1])
        scores.update({task: r["spearman"] for task, r in json.loads(path.read_text())["tasks"].items()})
        found[(int(match[1]), match[2], int(match[3]), int(match[4]) if match[4] else None)] = scores
    return found


def best(found):
    return max((key for key in found if key[2] == 42 and key[3] is None), key=lambda key: found[key]["stsb-dev"])


def table(found, model, layers, t):
    rule_k = min(t, layers - 2)
    lines = [f"| {model}: bidirectional from K | pooling | LoRA layers | seed | STS-B dev | STS-B test | SICK-R |",
             "|---|---|---|---:|---:|---:|---:|"]
    for key in sorted(found, key=lambda key: (key[1], -key[0], key[3] is not None, key[2])):
        k, pooling, seed, lora_first = key
        label = f"{k} (all causal)" if k >= layers else str(k)
        if k == rule_k:
            label += " (the rule's K)"
        scores = found[key]
        lora = scores["lora_layers"] + ("" if lora_first is None else " (control)")
        row = " | ".join(f"{scores[task]:.2f}" if task in scores else "—" for task in TASKS)
        lines.append(f"| {label} | {pooling} | {lora} | {seed} | {row} |")
    return "\n".join(lines)


def plot(found, layers, title):
    """Spearman against K, one line per pooling and task (seed 42, the ablation's LoRA ranges), as an SVG."""
    width, height, left, right, top, bottom = 720, 420, 60, 170, 30, 50
    points = {(pooling, task): sorted((k, s[task]) for (k, p, seed, lora_first), s in found.items()
                                       if p == pooling and seed == 42 and lora_first is None and task in s)
              for pooling in ("last", "mean") for task in TASKS}
    values = [v for line in points.values() for _, v in line]
    low, high = min(values) - 1, max(values) + 1
    x = lambda k: left + (width - left - right) * k / layers
    y = lambda v: top + (height - top - bottom) * (high - v) / (high - low)
    colours = {"stsb-dev": "#1f77b4", "stsb-test": "#d62728", "sick-r": "#2ca02c"}
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           f'font-size="12"><rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="18" font-size="14">{title}</text>',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>',
           f'<text x="{(width - right + left) / 2}" y="{height - 12}" text-anchor="middle">'
           f'bidirectional from K ({layers} = all causal)</text>',
           f'<text x="14" y="{(height - bottom + top) / 2}" transform="rotate(-90 14 {(height - bottom + top) / 2})"'
           f' text-anchor="middle">Spearman x 100</text>']
    for k in sorted({key[0] for key in found}):
        svg.append(f'<text x="{x(k)}" y="{height - bottom + 16}" text-anchor="middle">{k}</text>')
    for step in range(int(low) + 1, int(high) + 1, max(1, int(high - low) // 8)):
        svg.append(f'<text x="{left - 6}" y="{y(step) + 4}" text-anchor="end">{step}</text>')
    for row, ((pooling, task), line) in enumerate(points.items()):
        if not line:
            continue
        dash = "" if pooling == "last" else ' stroke-dasharray="6 4"'
        path = " ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in line)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colours[task]}" stroke-width="2"{dash}/>')
        svg += [f'<circle cx="{x(k):.1f}" cy="{y(v):.1f}" r="3" fill="{colours[task]}"/>' for k, v in line]
        legend_y = top + 18 * row
        svg.append(f'<line x1="{width - right + 12}" y1="{legend_y}" x2="{width - right + 40}" y2="{legend_y}" '
                   f'stroke="{colours[task]}" stroke-width="2"{dash}/>')
        svg.append(f'<text x="{width - right + 46}" y="{legend_y + 4}">{task}, {pooling}</text>')
    svg.append("</svg>")
    return "\n".join(svg)


def main():
    command, results = sys.argv[1], sys.argv[2]
    found = cells(results)
    if command == "best":
        k, pooling, _, _ = best(found)
        print(k, pooling)
    elif command == "table":
        model, layers, t = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        print(table(found, model, layers, t))
        svg = pathlib.Path(results).parent / f"{model}.svg"
        svg.write_text(plot(found, layers, f"{model}: the same training budget, bidirectional from K"))
        print(f"plot: {svg}", file=sys.stderr)
    else:
        sys.exit(f"unknown command {command}; use best or table")


if __name__ == "__main__":
    main()
