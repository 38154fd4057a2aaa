"""Time per training step of the same model, batch and objective in PyTorch (HF transformers), for comparison with
`bellm train`. SmolLM2 from the same GGUF file, LoRA (rank 8, alpha 16, no dropout) on all seven projections of the
layers FIRST..L-1, everything else frozen, BeLLM prompt, last-token pooling, AnglE objective (CoSENT + in-batch
InfoNCE + angle, weights 1 / 1 / 0.02, tau 20), AdamW, gradient clipping at 1.0.

Usage: python torch_train_step.py MODEL.gguf STSB.tsv FIRST_LAYER BATCH STEPS   (prints one JSON line)
"""
import json
import os
import sys
import time

import torch
import torch.nn.functional as F
from transformers import AutoModel, AutoTokenizer

PROMPT = 'The representative word for sentence {text} is:"'
TAU = 20.0


class LoRALinear(torch.nn.Module):
    def __init__(self, base, rank=8, alpha=16.0):
        super().__init__()
        self.base = base
        self.a = torch.nn.Parameter(torch.empty(rank, base.in_features).uniform_(-base.in_features ** -0.5,
                                                                                  base.in_features ** -0.5))
        self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = alpha / rank

    def forward(self, x):
        return self.base(x) + (x @ self.a.T @ self.b.T) * self.scale


def ranking(sim, gold):
    """log(1 + sum over gold_i > gold_j of exp(sim_j - sim_i))"""
    diff = sim[None, :] - sim[:, None]
    mask = (gold[:, None] > gold[None, :]).float()
    diff = (diff - (1 - mask) * 1e12).view(-1)
    return torch.logsumexp(torch.cat([torch.zeros(1), diff]), dim=0)


def angle_similarity(u, v):
    a, b = u.chunk(2, dim=1)
    c, d = v.chunk(2, dim=1)
    z = (c ** 2 + d ** 2).sum(dim=1, keepdim=True)
    re, im = (a * c + b * d) / z, (b * c - a * d) / z
    scale = (a ** 2 + b ** 2).sum(dim=1, keepdim=True).sqrt() / z.sqrt()
    return ((re + im) / scale).sum(dim=1).abs()


def objective(u, v, gold, lo, hi):
    cosent = ranking(TAU * F.cosine_similarity(u, v), gold)
    positive = (gold - lo) / (hi - lo) >= 0.8
    logits = TAU * F.normalize(u, dim=1) @ F.normalize(v, dim=1).T
    infonce = F.cross_entropy(logits[positive], torch.arange(len(gold))[positive]) if positive.any() else 0.0 * cosent
    angle = ranking(TAU * angle_similarity(u, v), gold)
    return cosent + infonce + 0.02 * angle


def main(gguf, data, first_layer, batch, steps):
    torch.manual_seed(0)
    torch.set_num_threads(int(os.environ.get("BELLM_THREADS", os.cpu_count())))
    folder, name = os.path.dirname(gguf), os.path.basename(gguf)
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    tokenizer.padding_side = "right"
    model = AutoModel.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    model.requires_grad_(False)
    for layer in model.layers[first_layer:]:
        for parent, names in ((layer.self_attn, ("q_proj", "k_proj", "v_proj", "o_proj")),
                              (layer.mlp, ("gate_proj", "up_proj", "down_proj"))):
            for n in names:
                setattr(parent, n, LoRALinear(getattr(parent, n)))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=2e-4, weight_decay=0.01)
    rows = [line.rstrip("\n").split("\t") for line in open(data, encoding="utf-8") if line.strip()]
    gold_all = torch.tensor([float(r[4]) for r in rows])
    lo, hi = gold_all.min().item(), gold_all.max().item()

    def embed(texts):
        enc = tokenizer([PROMPT.format(text=t) for t in texts], return_tensors="pt", padding=True)
        hidden = model(**enc).last_hidden_state
        return hidden[torch.arange(len(texts)), enc["attention_mask"].sum(dim=1) - 1], int(enc["attention_mask"].sum())

    times, tokens = [], 0
    warmup = 2
    for step in range(steps + warmup):
        chunk = [rows[(step * batch + i) % len(rows)] for i in range(batch)]
        start = time.perf_counter()
        emb, n_tokens = embed([r[5] for r in chunk] + [r[6] for r in chunk])
        loss = objective(emb[:batch], emb[batch:], torch.tensor([float(r[4]) for r in chunk]), lo, hi)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad()
        if step >= warmup:
            times.append(time.perf_counter() - start)
            tokens += n_tokens
    print(json.dumps({"engine": "pytorch-transformers", "first_trained_layer": first_layer, "batch": batch,
                      "steps": steps, "mean_step_seconds": round(sum(times) / len(times), 4),
                      "tokens_per_s": round(tokens / sum(times), 1)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
