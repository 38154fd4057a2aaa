"""Reference token ids for the tokenizer test, from llama.cpp itself (llama-cpp-python, built from PyPI's sdist).

llama.cpp is the reference implementation of GGUF tokenizers. (HF transformers' GGUF loader is not: it drops the
per-digit split of SmolLM's pre-tokenizer.) Writes the JSON fixtures used by GgufTokenizerTest.
Usage: python llamacpp_token_ids.py MODEL.gguf "WHAT THE MODEL IS" OUT.json
"""
import json
import sys

import llama_cpp

CASES = [
    "Hello world",
    "  two leading spaces, and   three inside  ",
    "The quick brown fox, jumps over: the lazy dog!? (really...)",
    "In 2024, 37 researchers published 1,234.56 papers; 007 agents.",
    "Café, naïve, résumé, Zürich, São Paulo, Ångström",
    "Emoji: 😀👍🏽 🚀 and ❤️",
    "Tabs\tand\nnew\n\nlines",
    "don't won't it's they're I'm we've",
    "日本語のテキストと中文",
    'The representative word for sentence A man is playing a guitar. is:"',
]


def main(model_path, description, out_path):
    llm = llama_cpp.Llama(model_path=model_path, vocab_only=True, verbose=False)
    cases = [{"text": text, "ids": llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)}
             for text in CASES]
    header = {"model": description,
              "reference": f"llama.cpp via llama-cpp-python {llama_cpp.__version__}, "
                           "Llama(vocab_only=True).tokenize(text, add_bos=False, special=False)"}
    with open(out_path, "w", encoding="utf-8") as out:  # one case per line, readable in a diff
        out.write(json.dumps(header, ensure_ascii=False)[:-1] + ',\n "cases": [\n')
        out.write(",\n".join("  " + json.dumps(case, ensure_ascii=False) for case in cases))
        out.write("\n ]\n}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
