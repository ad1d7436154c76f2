"""The fine-tuned encoder model at run time: a parsed article in, attributions out.

The article is cut into windows (``windows.py``), every window of the article goes
through the tagger (``tagger.py``) in one batch, and its heads are decoded: cues from
the cue head's B/I/O labels over each window's core, then each cue's source and content
from the role head's labels (``decode.from_labels``, the same reading of labels the CRF
model uses: content = the union of the C runs in the cue's paragraph, source = the S
run nearest the cue). Each cue gives at most one attribution; two cues with the same
content keep the more confident (``decode.dedupe``).

A model dir holds ``meta.json`` (format, the network's shape, the decoding settings,
training figures), ``vocab.txt`` and ``weights.safetensors``: word embeddings as int8
with one fp16 scale per row, every other weight in fp16 (about 34 MB for MiniLM-L6).
At load they become fp32; the forward runs under bf16 autocast where the CPU has native
bf16 (AVX512-BF16 or AMX: 2x here), in fp32 otherwise (``precision``, or the
``SAYSO_PRECISION`` environment variable, overrides the choice).
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sayso.errors import ModelError
from sayso.learned.decode import Prediction, cue_head, dedupe, from_labels
from sayso.learned.features import DocView, view
from sayso.learned.windows import Window, windows

log = logging.getLogger(__name__)

FORMAT = "encoder-1"
FILES = ("meta.json", "vocab.txt", "weights.safetensors")
PRECISIONS = ("auto", "bf16", "fp32")
#: cues whose roles are read in one product (see ``EncoderModel.decode``)
CUE_CHUNK = 32


def native_bf16() -> bool:
    """Whether this CPU computes bf16 natively (AVX512-BF16 or AMX): only there is bf16
    faster than fp32; elsewhere oneDNN emulates it, slower."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def pick_precision(precision: str = "auto") -> str:
    precision = os.environ.get("SAYSO_PRECISION", precision) if precision == "auto" else precision
    if precision not in PRECISIONS:
        raise ModelError(f"unknown precision {precision!r} (one of {', '.join(PRECISIONS)})")
    if precision == "auto":
        return "bf16" if native_bf16() else "fp32"
    return precision


# ---- what the tagger reads of one article ------------------------------------------------

@dataclass
class DocInput:
    view: DocView
    windows: list[Window]
    #: per doc token: bit k set when the rules gave it RULE_MARKS[k]
    marks: list[int]
    #: per rule candidate with a cue: (cue tokens, content tokens, source tokens)
    rules: list[tuple[frozenset[int], frozenset[int], frozenset[int]]]


def doc_input(doc, rules, pieces, cls: int, sep: int, v: DocView | None = None) -> DocInput:
    """Windows and rule marks of ``doc``; ``pieces(text)`` is the tokenizer."""
    from sayso.learned.tagger import RULE_MARKS
    v = v or view(doc, rules)
    bit = {m: 1 << k for k, m in enumerate(RULE_MARKS)}
    marks = [sum(bit.get(m, 0) for m in set(ms)) for ms in v.rmarks]
    text = doc.text
    texts = [text[a:b] for a, b in zip(v.starts, v.ends)]
    wins = windows(v.paragraphs, v.sent, lambda i: pieces(texts[i]), cls, sep)
    return DocInput(v, wins, marks, [r for r in v.rules if r[0]])


def pair_features(d: DocInput, win: Window, cue: list[int]) -> tuple[list[int], list[int], list[int]]:
    """Distance bucket, sentence offset and rule relation of every window token to ``cue``
    (doc token indices)."""
    from sayso.learned.tagger import dist_bucket
    v = d.view
    h = cue_head(v, cue)
    hp = win.tokens.index(h)
    cs = set(cue)
    r_cont: set[int] = set()
    r_src: set[int] = set()
    # the rule candidates sharing a token with this cue, through the view's token index
    # (not a pass over every rule per cue: that grows with the square of a cue-dense text)
    for r in sorted({r for i in cue for r in v.rule_cue.get(i, ())}):
        _, rcont, rsrc = v.rules[r]
        r_cont |= rcont
        r_src |= rsrc
    ph, sh = v.para[h], v.sent[h]
    para, sents = v.para, v.sent
    toks = win.tokens
    dist = [dist_bucket(k - hp) for k in range(len(toks))]
    sent = [5 if para[t] != ph else max(-2, min(2, sents[t] - sh)) + 2 for t in toks]
    if r_cont or r_src:
        pair = [1 if t in r_cont else 2 if t in r_src else 0 for t in toks]
    else:
        pair = [0] * len(toks)
    return dist, sent, pair


def batch(rows: list[tuple[list[int], list[int], list[int], list[int]]]):
    """Padded tensors for windows given as (piece ids, piece -> token, first piece of each
    token, rule-mark bits per token): ids, attention, piece marks, first-piece positions."""
    import torch
    from sayso.learned.tagger import RULE_MARKS
    b = len(rows)
    # lengths rounded up to a multiple of 32 (padding is masked): fewer distinct shapes,
    # each of which costs the bf16 kernels a cached plan
    L = max(len(r[0]) for r in rows)
    L = -(-L // 32) * 32
    T = max(len(r[2]) for r in rows)
    ids = torch.zeros(b, L, dtype=torch.long)
    att = torch.zeros(b, L, dtype=torch.long)
    marks = torch.zeros(b, L, len(RULE_MARKS))
    first = torch.zeros(b, T, dtype=torch.long)
    for k, (w_ids, owner, w_first, tok_marks) in enumerate(rows):
        n = len(w_ids)
        ids[k, :n] = torch.tensor(w_ids)
        att[k, :n] = 1
        first[k, :len(w_first)] = torch.tensor(w_first)
        for p, o in enumerate(owner):
            m = tok_marks[o] if o >= 0 else 0
            while m:
                low = m & -m
                marks[k, p, low.bit_length() - 1] = 1.0
                m ^= low
    return ids, att, marks, first


def rows(d: DocInput, wins: list[Window]) -> list:
    return [(w.ids, w.piece_token, w.first, [d.marks[t] for t in w.tokens]) for w in wins]


# ---- decoding ----------------------------------------------------------------------------

def cue_spans(labels: list[int], lo: int, hi: int) -> list[list[int]]:
    """B/I/O label ids (0 O, 1 B, 2 I) over window positions -> cue spans inside [lo, hi)
    (an I after an O starts a cue, as a B would)."""
    out: list[list[int]] = []
    cur: list[int] = []
    for k in range(lo, hi):
        lab = labels[k]
        if lab == 1 or (lab == 2 and not cur):
            if cur:
                out.append(cur)
            cur = [k]
        elif lab == 2:
            cur.append(k)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def read_roles(d: DocInput, win: Window, cue: list[int], role_probs, p_cue: float) -> Prediction | None:
    """One cue's attribution from its role probabilities (tokens x O/S/C) over ``win``."""
    v = d.view
    para = v.para[cue[0]]
    cs = set(cue)
    labels = []
    best = role_probs.argmax(-1).tolist()
    for k, t in enumerate(win.tokens):
        if t in cs:
            labels.append("Q")
            continue
        lab = "OSC"[best[k]]
        if lab == "C" and v.para[t] != para:
            lab = "O"  # a content never crosses a paragraph break
        labels.append(lab)
    p = from_labels(v, cue, win.tokens, labels)
    if p is None:
        return None
    pos = {t: k for k, t in enumerate(win.tokens)}
    pc = [float(role_probs[pos[t], 2]) for t in p.content_tokens]
    p.confidence = round(p_cue * sum(pc) / len(pc), 3)
    return p


# ---- the model ---------------------------------------------------------------------------

class EncoderModel:
    """The fine-tuned encoder as a sayso model: ``predict(doc, rules)`` and
    ``add_candidates(ctx)``, like the CRF model (``LearnedModel``)."""

    kind = "encoder"

    def __init__(self, path: Path, *, precision: str = "auto", merge: str | None = None):
        self.path = Path(path)
        meta_path = self.path / "meta.json"
        try:
            self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{meta_path}: not a sayso model dir ({exc})") from exc
        if self.meta.get("format") != FORMAT:
            raise ModelError(f"{self.path}: model format {self.meta.get('format')!r}, this sayso "
                             f"reads {FORMAT}; retrain with `sayso train --model encoder`")
        for name in FILES:
            if not (self.path / name).exists():
                raise ModelError(f"{self.path / name}: missing; the model dir is incomplete")
        self.merge = merge or self.meta.get("merge", "model")
        self.requested_precision = precision
        self._open()

    def _open(self) -> None:
        try:
            import safetensors  # noqa: F401
            import torch
        except ImportError as exc:
            raise ModelError(f"the encoder model needs torch and safetensors ({exc}): "
                             f"pip install 'sayso[encoder]' (or use --model crf)") from exc

        from sayso.learned.bert import BertConfig
        from sayso.learned.tagger import Tagger
        from sayso.learned.wordpiece import WordPiece
        self.precision = pick_precision(self.requested_precision)
        # one thread per process: on a loaded 2-core machine two torch threads ran 3-10x
        # slower than one (each waits on the other at every barrier); throughput scales by
        # processes (engines, `--workers`). SAYSO_THREADS overrides.
        torch.set_num_threads(max(1, int(os.environ.get("SAYSO_THREADS", "1"))))
        self.wordpiece = WordPiece.from_file(self.path / "vocab.txt")
        net = Tagger(BertConfig.from_dict(self.meta["config"]), self.meta.get("role_dim", 128))
        load_into(net, self.path / "weights.safetensors")
        net.eval()
        for p in net.parameters():
            p.requires_grad_(False)
        if self.precision == "bf16":
            # MiniLM's linear layers held in bf16, the values autocast would cast them to on
            # every call: half their memory, and no fresh copy per call. Layer norms and
            # embeddings stay fp32, as under autocast; the heads run in fp32 (``decode``).
            for m in [*net.bert.modules(), net.rule_proj]:
                if isinstance(m, torch.nn.Linear):
                    m.to(torch.bfloat16)
        self.net = net
        self.batch_windows = int(self.meta.get("batch_windows", 8))
        self._torch = torch

    def __getstate__(self):
        return {"path": self.path, "merge": self.merge, "meta": self.meta,
                "requested_precision": self.requested_precision}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._open()

    @property
    def uses_rules(self) -> bool:
        return bool(self.meta.get("rule_features", True))

    def inputs(self, doc, rules) -> DocInput:
        wp = self.wordpiece
        return doc_input(doc, rules if self.uses_rules else None, wp.pieces, wp.cls, wp.sep)

    def predict(self, doc, rules: list | None = None) -> list[Prediction]:
        """The model's own attributions for a parsed doc; ``rules``: the rule candidates
        (computed here when not given)."""
        if self.uses_rules and rules is None:
            from sayso.learned.rules import rule_candidates
            rules = rule_candidates(doc.text, doc)
        d = self.inputs(doc, rules)
        return self.decode(d)

    def decode(self, d: DocInput) -> list[Prediction]:
        torch = self._torch
        preds: list[Prediction] = []
        wins = d.windows
        for s in range(0, len(wins), self.batch_windows):
            part = wins[s:s + self.batch_windows]
            ids, att, marks, first = batch(rows(d, part))
            with torch.inference_mode():
                # MiniLM under bf16 autocast; the heads in fp32, outside it: their row counts
                # (tokens, cue x token pairs) differ at every call, and each new shape of a
                # bf16 product got its own oneDNN kernel kept in a cache (a process grew
                # with every new article; fp32 products go to a plain GEMM)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
                    tok = self.net.tokens(ids, att, marks, first)
                tok = tok.float()
                cue_p = torch.softmax(self.net.cue_logits(tok).float(), -1)
                for k, w in enumerate(part):
                    labels = cue_p[k].argmax(-1).tolist()
                    cues = cue_spans(labels, *w.core)
                    if not cues:
                        continue
                    n = len(w.tokens)
                    # CUE_CHUNK cues at a time: memory stays bounded (cues x tokens x
                    # role_dim floats) however many cues a window holds
                    for c0 in range(0, len(cues), CUE_CHUNK):
                        part_cues = cues[c0:c0 + CUE_CHUNK]
                        doc_cues = [[w.tokens[j] for j in c] for c in part_cues]
                        feats = [pair_features(d, w, c) for c in doc_cues]
                        dist, sent, pair = (torch.tensor([f[m] for f in feats]) for m in range(3))
                        role = self.net.role_logits(tok[k, :n], part_cues, dist, sent, pair)
                        role_p = torch.softmax(role.float(), -1)
                        for c, dc, rp in zip(part_cues, doc_cues, role_p):
                            p_cue = float(1.0 - cue_p[k, c, 0].mean())
                            pred = read_roles(d, w, dc, rp, p_cue)
                            if pred is not None:
                                preds.append(pred)
        return dedupe(preds)

    def add_candidates(self, ctx) -> None:
        """Add the model's attributions to ``ctx.candidates`` under the merge policy."""
        from sayso.learned.merge import merge
        rules = [c for c in ctx.candidates if c.origin != "posts"]
        preds = [p for p in self.predict(ctx.doc, rules)
                 if not any(ctx.is_blocked(s, e) for s, e in p.content)]
        merge(ctx, preds, self.merge, origin="encoder")


# ---- weights on disk ---------------------------------------------------------------------

#: the one matrix stored as int8 rows (with an fp16 scale per row): half the parameters
QUANTIZED = ("bert.embeddings.word_embeddings.weight",)


def save_weights(state: dict, path: Path) -> None:
    """fp16 weights, word embeddings int8 per row: a third of the fp32 size."""
    import torch
    from safetensors.torch import save_file
    out = {}
    for k, t in state.items():
        t = t.detach().float().cpu()
        if k in QUANTIZED:
            scale = t.abs().amax(1).clamp_min(1e-8) / 127.0
            out[k + ".q8"] = torch.round(t / scale[:, None]).clamp(-127, 127).to(torch.int8).contiguous()
            out[k + ".scale"] = scale.to(torch.float16).contiguous()
        else:
            out[k] = t.to(torch.float16).contiguous()
    save_file(out, str(path))


def load_into(net, path: Path) -> None:
    """Copy ``save_weights``' file into ``net``'s parameters one tensor at a time: no
    second fp32 copy of the whole model is ever held (a load peaked ~160 MB higher)."""
    import torch
    from safetensors import safe_open
    own = net.state_dict()
    seen = set()
    with safe_open(str(path), framework="pt") as f, torch.no_grad():
        keys = set(f.keys())
        for k in keys:
            if k.endswith(".scale") and k[:-6] + ".q8" in keys:
                continue
            if k.endswith(".q8"):
                base = k[:-3]
                t = f.get_tensor(k).float() * f.get_tensor(base + ".scale").float()[:, None]
            else:
                base, t = k, f.get_tensor(k)
            if base not in own or own[base].shape != t.shape:
                raise ModelError(f"{path}: weight {base!r} does not fit this model "
                                 f"(retrain with `sayso train --model encoder`)")
            own[base].copy_(t)
            seen.add(base)
    missing = [k for k in own if k not in seen]
    if missing:
        raise ModelError(f"{path}: {len(missing)} weights missing, e.g. {missing[:3]}")


def load_weights(path: Path) -> dict:
    """fp32 state dict from ``save_weights``' file."""
    from safetensors.torch import load_file
    raw = load_file(str(path))
    out = {}
    for k, t in raw.items():
        if k.endswith(".q8"):
            base = k[:-3]
            out[base] = t.float() * raw[base + ".scale"].float()[:, None]
        elif k.endswith(".scale") and k[:-6] + ".q8" in raw:
            continue
        else:
            out[k] = t.float()
    return out
