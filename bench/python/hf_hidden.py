"""Reference hidden states from HF transformers for the token ids our Java embedder fed the model.

Reads JSON lines written by `bellm embed --with-ids` (one per text), runs the same ids through transformers'
LlamaModel loaded from the same GGUF file (dequantized by the gguf package) and prints, per text, the max abs
difference of the final-normed last hidden state, at the last token and mean-pooled, against ours.
"""
import json
import os
import sys

import torch
from transformers import AutoModel


def main(gguf_path, last_jsonl, mean_jsonl):
    torch.set_num_threads(int(os.environ.get("BELLM_THREADS", os.cpu_count())))
    model = AutoModel.from_pretrained(os.path.dirname(gguf_path), gguf_file=os.path.basename(gguf_path),
                                      dtype=torch.float32)
    model.eval()
    last_rows = [json.loads(line) for line in open(last_jsonl)]
    mean_rows = [json.loads(line) for line in open(mean_jsonl)]
    worst_diff, worst_scale = 0.0, 0.0
    for last, mean in zip(last_rows, mean_rows):
        ids = torch.tensor([last["ids"]])
        with torch.no_grad():
            hidden = model(input_ids=ids).last_hidden_state[0]  # final norm applied, like ours
        ref_last, ref_mean = hidden[-1], hidden.mean(dim=0)
        d_last = (ref_last - torch.tensor(last["embedding"])).abs().max().item()
        d_mean = (ref_mean - torch.tensor(mean["embedding"])).abs().max().item()
        scale = hidden.abs().max().item()
        worst_diff, worst_scale = max(worst_diff, d_last, d_mean), max(worst_scale, scale)
        print(f"{len(last['ids']):3d} tokens  max|diff| last {d_last:.2e}  mean {d_mean:.2e}  "
              f"scale max|h| {scale:.2f}  {last['text'][:50]!r}")
    print(f"worst max|diff| {worst_diff:.3e}, relative to max|h| {worst_diff / worst_scale:.3e}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
