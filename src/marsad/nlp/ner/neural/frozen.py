"""The frozen parts of a shipped tagger read back out of its graph, for experiments on new networks.

Pretraining the word vectors and the language models that a tagger's networks read takes
about two hours on one core, and word2vec on two threads does not repeat itself. The tagger
holds all of them: its word matrix, and in each member the LSTMs of the word-level and the
character-level language models. Read back here into the files that ``train`` takes
(``--vectors``, ``--lm``, ``--char-lm-file``), they let a new network be trained on exactly the
inputs of the shipped ones. The language models' output layers are not in the tagger (it reads
only their states), so they come back as zeros: these files feed taggers, not more pretraining.

Needs the ``onnx`` package (the train extra).
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from marsad.nlp.ner.neural import META_NAME, MODEL_NAME, WORDS_NAME, charlm

MANIFEST = "frozen.json"


def _torch_gates(array: np.ndarray, hidden: int) -> np.ndarray:
    """Gate blocks along axis 0 from ONNX's order (input, output, forget, cell) to torch's
    (input, forget, cell, output)."""
    i, o, f, c = (array[k * hidden : (k + 1) * hidden] for k in range(4))
    return np.concatenate([i, f, c, o])


def _lstm_state(node, weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A one-layer, one-way ONNX LSTM node as torch ``nn.LSTM`` weights."""
    w, r, b = (weights[name].astype(np.float32) for name in node.input[1:4])
    hidden = r.shape[2]
    return {"weight_ih_l0": _torch_gates(w[0], hidden), "weight_hh_l0": _torch_gates(r[0], hidden),
            "bias_ih_l0": _torch_gates(b[0, : 4 * hidden], hidden), "bias_hh_l0": _torch_gates(b[0, 4 * hidden :], hidden)}


def _member_models(graph, weights: dict[str, np.ndarray]) -> tuple[list, list]:
    """(word-level, character-level) language models of one member, each as its two directions'
    LSTM weights and, for the character model, its symbol embeddings."""
    from marsad.nlp.ner.neural.ensemble import _inputs_read

    word_lms, char_lms = [], []
    for node in graph.node:
        if node.op_type != "LSTM":
            continue
        reads = set(_inputs_read(graph, node.input[0]))
        if charlm.INPUTS[0] in reads and "words" not in reads:
            char_lms.append(node)
        elif "words" in reads and "chars" not in reads:
            word_lms.append(node)
    found_word = [(_lstm_state(f, weights), _lstm_state(b, weights)) for f, b in zip(word_lms[::2], word_lms[1::2])]
    found_char = []
    if char_lms:
        embed = next(v for k, v in weights.items() if k.endswith("char_lm.embed.weight"))
        found_char = [(_lstm_state(f, weights), _lstm_state(b, weights), embed.astype(np.float32))
                      for f, b in zip(char_lms[::2], char_lms[1::2])]
    return found_word, found_char


def _digest(*arrays: np.ndarray) -> str:
    h = hashlib.sha1()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def read_back(folder: Path, out: Path) -> dict:
    """Write the frozen parts of the tagger in ``folder`` (one network or several merged) into
    ``out``: ``vectors.npy``/``.txt`` (its word list without padding and unknown), ``lm{k}.pt`` for
    each distinct word-level language model and ``charlm{k}.pt`` for each character-level one, in
    the order the members read them, and ``frozen.json`` naming which each member reads."""
    import onnx
    import torch
    from onnx import numpy_helper

    from marsad.nlp.ner.neural import ensemble

    out.mkdir(parents=True, exist_ok=True)
    meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        members = ensemble.parts(folder, Path(tmp)) if "member_crfs" in meta else [folder]
        graphs = [onnx.load(str(m / MODEL_NAME)).graph for m in members]
    words = (folder / WORDS_NAME).read_text(encoding="utf-8").split("\n")[: meta["n_words"]]
    first = {t.name: numpy_helper.to_array(t) for t in graphs[0].initializer}
    matrix = next(v for v in first.values() if v.ndim == 2 and v.shape[0] == len(words)).astype(np.float32)
    np.save(out / "vectors.npy", matrix[2:])
    (out / "vectors.txt").write_text("\n".join(words[2:]) + "\n", encoding="utf-8")

    seen: dict[str, str] = {}
    manifest: dict = {"vectors": str(out / "vectors"), "language_models": [], "char_lms": [], "members": []}
    for graph in graphs:
        weights = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
        word_lms, char_lms = _member_models(graph, weights)
        reads: dict = {"lm": None, "char_lm": None}
        for kind, found in (("lm", word_lms), ("char_lm", char_lms)):
            for model in found:
                key = _digest(*(a for d in model[:2] for a in d.values()), *model[2:])
                if key not in seen:
                    path = out / (f"lm{len(manifest['language_models']) + 1}.pt" if kind == "lm"
                                  else f"charlm{len(manifest['char_lms']) + 1}.pt")
                    torch.save(_state(model, meta), path)
                    manifest["language_models" if kind == "lm" else "char_lms"].append(str(path))
                    seen[key] = str(path)
                reads[kind] = seen[key]
        manifest["members"].append(reads)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _state(model: tuple, meta: dict) -> dict:
    """A language model's state dict as ``model.BiLM`` or ``model.CharLM`` loads it, output layers zero."""
    import torch

    state = {f"{direction}.{k}": torch.from_numpy(np.ascontiguousarray(v))
             for direction, weights in zip(("fwd", "bwd"), model[:2]) for k, v in weights.items()}
    hidden = state["fwd.weight_hh_l0"].shape[1]
    if len(model) == 3:  # a character model: its symbols are its output classes
        state["embed.weight"] = torch.from_numpy(model[2])
        state["chars"] = meta["lm_chars"]
        classes = model[2].shape[0]
    else:
        classes = 1
    for head in ("next", "previous"):
        state[f"{head}.weight"] = torch.zeros(classes, hidden)
        state[f"{head}.bias"] = torch.zeros(classes)
    return state


def main(argv: list[str] | None = None) -> int:
    import argparse

    from marsad.nlp.ner.neural import neural_dir

    p = argparse.ArgumentParser(prog="python -m marsad.nlp.ner.neural.frozen", description=__doc__.split("\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("--tagger", type=Path, default=None, help="a tagger's folder (default: the shipped one)")
    args = p.parse_args(argv)
    print(json.dumps(read_back(args.tagger or neural_dir(), args.out), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
