"""Regenerates par2023.ipynb from par2023.py (cells split at `# %%` markers), so the notebook
and the plain script always do the same thing. Run: python make_notebook.py"""

import json
from pathlib import Path

here = Path(__file__).resolve().parent
cells = []
for block in (here / "par2023.py").read_text(encoding="utf-8").split("# %%")[1:]:
    head, _, body = block.partition("\n")
    if head.strip() == "[markdown]":
        text = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#") for line in body.strip().splitlines())
        cells.append({"cell_type": "markdown", "metadata": {}, "source": text.splitlines(keepends=True)})
    else:
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                      "source": body.strip().splitlines(keepends=True)})
nb = {
    "cells": cells,
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}
for i, c in enumerate(nb["cells"]):
    c["id"] = f"cell-{i}"
(here / "par2023.ipynb").write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
print(f"wrote par2023.ipynb with {len(cells)} cells")
