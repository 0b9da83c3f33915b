"""Baseline: read the bytes of the CSV once (1 MiB chunks) and count the lines, nothing else.

Usage: python benches/peers/read_bytes.py FILE [repeats]
"""

from __future__ import annotations


from common import best, cli, emit


def read_once(path: str) -> int:
    lines = 0
    with open(path, "rb", buffering=0) as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def main() -> None:
    path, repeats = cli()
    t, lines = best(lambda: read_once(path), repeats)
    emit(peer="read-bytes-once", task="read file, count lines", rows=lines - 1, seconds=t, repeats=repeats)


if __name__ == "__main__":
    main()
