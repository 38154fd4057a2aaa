"""Embedding throughput of HF transformers (PyTorch, CPU) on the same GGUF model, prompt and sentences as ours.

Same method as our embedder: BeLLM prompt, sentences sorted by length, right padding with an attention mask,
final-normed last-token pooling, weights in DTYPE (float32 or bfloat16; the pooled vector is cast to float). Prints
one JSON line per batch size with sentences/s and the peak RSS so far.
Usage: hf_embed_throughput.py GGUF SENTENCES DTYPE BATCH...
"""
import json
import os
import resource
import sys
import time

import torch
from transformers import AutoModel, AutoTokenizer

PROMPT = 'The representative word for sentence {text} is:"'


def main(gguf_path, sentences_file, dtype, *batch_sizes):
    torch.set_num_threads(int(os.environ.get("BELLM_THREADS", os.cpu_count())))
    folder, name = os.path.dirname(gguf_path), os.path.basename(gguf_path)
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    tokenizer.padding_side = "right"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModel.from_pretrained(folder, gguf_file=name, dtype=getattr(torch, dtype)).eval()
    texts = [PROMPT.format(text=line.strip()) for line in open(sentences_file, encoding="utf-8") if line.strip()]
    texts.sort(key=lambda t: len(tokenizer(t)["input_ids"]), reverse=True)
    for batch_size in map(int, batch_sizes):
        start = time.perf_counter()
        with torch.no_grad():
            for i in range(0, len(texts), batch_size):
                enc = tokenizer(texts[i:i + batch_size], return_tensors="pt", padding=True)
                hidden = model(**enc).last_hidden_state
                last = enc["attention_mask"].sum(dim=1) - 1
                hidden[torch.arange(hidden.shape[0]), last].float().numpy()
        seconds = time.perf_counter() - start
        rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"engine": "hf-transformers-" + dtype, "batch": batch_size, "sentences": len(texts),
                          "seconds": round(seconds, 2), "sentences_per_s": round(len(texts) / seconds, 2),
                          "peak_rss_mib": round(rss_mib)}), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
