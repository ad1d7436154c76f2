"""`sayso train`: learn an attribution model from a PolNeAR-style corpus (train/ only).

``--model crf`` (the default, the shipped default model's kind) trains the CRF model
(sayso.learn.train); ``--model encoder`` fine-tunes MiniLM (sayso.learn.encoder_train).
Both print dev rows at the end."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

AUTO = "auto"


def register(app: typer.Typer) -> None:
    app.command("train")(train_cmd)


def train_cmd(
    polnear: Path = typer.Option(..., "--polnear", help="Corpus folder holding train/ and dev/ "
                                 "(text/*.txt + attributions/*.ann) and metadata.tsv."),
    out: Path = typer.Option(..., "--out", help="Model folder to write."),
    seed: int = typer.Option(0, "--seed", help="Seed for the example order."),
    scorer: Optional[Path] = typer.Option(None, "--scorer", help="attribution_score.py to score dev "
                                          "with (default: bench/attribution_score.py next to the "
                                          "corpus folder)."),
    merge: str = typer.Option(AUTO, "--merge", help="How model and rules combine: model, "
                              "model+rules, rules+model, or auto (best attribution F1 on dev)."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Keep spaCy parses here between runs."),
    folds: int = typer.Option(4, "--folds", min=0, help="k of the k-fold training of stage 3 "
                              "(the classifier over proposed attributions); 0 or 1: no stage 3."),
    max_iterations: Optional[int] = typer.Option(None, "--max-iterations",
                                                 help="Epochs of every CRF stage (default: 12 "
                                                 "for the perceptron, 30 for the CRFs)."),
    kind: str = typer.Option("crf", "--model", help="What to train: crf (the default model's "
                             "kind) or encoder (fine-tuned MiniLM)."),
    device: str = typer.Option("cpu", "--device", help="Encoder training device: cpu or cuda."),
    threads: int = typer.Option(1, "--threads", min=1, help="Torch threads for encoder training "
                                "(1: on a shared 2-core machine more threads were 3x slower)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", min=1, help="Encoder epochs."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Train on the first N "
                                        "training articles only (quick trials)."),
    bf16: bool = typer.Option(True, "--bf16/--fp32", help="Encoder training under bf16 autocast "
                              "(fp32 master weights)."),
    lr: Optional[float] = typer.Option(None, "--lr", help="Encoder learning rate (default 1e-4)."),
    head_lr: Optional[float] = typer.Option(None, "--head-lr", help="Learning rate of the encoder's "
                                            "heads (default 1e-2)."),
    init: Optional[Path] = typer.Option(None, "--init", help="Go on training from this encoder "
                                        "model dir (its weights replace the base's)."),
) -> None:
    """Train on POLNEAR/train, then print dev scores of the rules and of rules + model."""
    from sayso.errors import SaysoError
    from sayso.learned import POLICIES

    if kind not in ("encoder", "crf"):
        typer.echo("error: --model must be encoder or crf", err=True)
        raise typer.Exit(2)
    if device not in ("cpu", "cuda") and not device.startswith("cuda:"):
        typer.echo("error: --device must be cpu or cuda", err=True)
        raise typer.Exit(2)
    if merge != AUTO and merge not in POLICIES:
        typer.echo(f"error: --merge must be auto or one of {', '.join(POLICIES)}", err=True)
        raise typer.Exit(2)
    if not (polnear / "train" / "text").is_dir():
        typer.echo(f"error: {polnear}: no train/text folder; pass the PolNeAR corpus folder", err=True)
        raise typer.Exit(2)
    if scorer is not None and not scorer.exists():
        typer.echo(f"error: {scorer}: scorer script not found", err=True)
        raise typer.Exit(2)
    scorer = scorer or polnear.resolve().parent / "bench" / "attribution_score.py"
    try:
        if kind == "encoder":
            settings = {k: v for k, v in (("epochs", epochs), ("lr", lr), ("head_lr", head_lr))
                        if v is not None}
            res = run_encoder_training(polnear, out, seed=seed, scorer=scorer, merge=merge,
                                       cache=cache, device=device, threads=threads, limit=limit,
                                       bf16=bf16, init=init, echo=typer.echo, **settings)
        else:
            res = run_training(polnear, out, seed=seed, scorer=scorer, merge=merge, cache=cache,
                               folds=folds, max_iterations=max_iterations, echo=typer.echo)
    except (SaysoError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(3)
    del res


def run_training(polnear: Path, out: Path, *, seed: int, scorer: Path, merge: str,
                 cache: Path | None, folds: int = 4, max_iterations: int | None = None,
                 echo=print) -> dict:
    """Train, pick the merge policy on dev (when ``merge`` is auto), print dev rows."""
    import json
    import time

    from sayso.learn import evaluate
    from sayso.learn.corpus import load_compartment
    from sayso.learn.train import train
    from sayso.learned import POLICIES, LearnedModel

    t0 = time.time()
    arts, docs = load_compartment(polnear / "train", cache=cache)
    echo(f"parsed {len(arts)} training articles in {time.time() - t0:.0f} s")
    t0 = time.time()
    params = {"max_iterations": max_iterations} if max_iterations else None
    train(arts, docs, out, seed=seed, params=params, folds=folds,
          merge=merge if merge != AUTO else "model")
    echo(f"trained in {time.time() - t0:.0f} s -> {out}")
    stack = json.loads((Path(out) / "meta.json").read_text(encoding="utf-8")).get("stack")
    if stack:
        echo(f"stage 3: {stack['right']} of {stack['proposals']} out-of-fold proposals right; "
             f"threshold {stack['threshold']} (out-of-fold attribution F1 on train "
             f"{stack['out_of_fold_f1'][str(stack['threshold'])]:.3f})")
    results: dict[str, dict] = {}
    dev = _dev_set(polnear, scorer, cache, echo)
    if dev is None:
        return results
    sc, d_arts, d_docs = dev
    model = LearnedModel(out)
    preds = {id(d): model.predict(d) for d in d_docs}
    results["rules"] = evaluate.score_pipeline(d_arts, d_docs, polnear / "dev", sc)
    for policy in (POLICIES if merge == AUTO else (merge,)):
        results[policy] = evaluate.score_pipeline(d_arts, d_docs, polnear / "dev", sc,
                                                  model=model, policy=policy, preds=preds)
    if merge == AUTO:
        best = max(POLICIES, key=lambda p: results[p]["attribution"]["f1"])
        meta_path = Path(out) / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["merge"] = best
        meta["dev"] = {k: {m: v[m] for m in ("attribution", "content_soft", "content_exact")}
                       for k, v in results.items()}
        meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        echo(f"merge policy chosen on dev: {best}")
    echo(f"dev scores ({len(d_arts)} articles):")
    for name, res in results.items():
        echo(evaluate.row("rules only" if name == "rules" else f"rules+model [{name}]", res))
    return results


def _dev_set(polnear: Path, scorer: Path, cache: Path | None, echo):
    """(scorer module, dev articles, dev docs) for the rows printed after training, or None
    (said why) where there is no dev compartment or no scorer."""
    from sayso.learn import evaluate
    from sayso.learn.corpus import load_compartment

    if not (polnear / "dev" / "text").is_dir():
        echo("no dev/ compartment: skipping the dev scores")
        return None
    if not Path(scorer).exists():
        echo(f"no scorer at {scorer}: skipping the dev scores (pass --scorer)")
        return None
    d_arts, d_docs = load_compartment(polnear / "dev", cache=cache)
    return evaluate.load_scorer(scorer), d_arts, d_docs


def run_encoder_training(polnear: Path, out: Path, *, seed: int, scorer: Path, merge: str,
                         cache: Path | None, device: str = "cpu", threads: int = 1,
                         limit: int | None = None, bf16: bool = True, base: Path | None = None,
                         config: dict | None = None, init: Path | None = None, echo=print,
                         **settings) -> dict:
    """Fine-tune the encoder on train, pick the merge policy on dev (``merge`` auto), print
    dev rows: the rules alone, the shipped CRF model, and the encoder under each policy."""
    import json
    import time

    from sayso import learned
    from sayso.learn import evaluate
    from sayso.learn.corpus import load_compartment
    from sayso.learn.encoder_train import base_dir, train_encoder
    from sayso.learned.encoder import EncoderModel

    t0 = time.time()
    arts, docs = load_compartment(polnear / "train", cache=cache)
    if limit:
        arts, docs = arts[:limit], docs[:limit]
    echo(f"parsed {len(arts)} training articles in {time.time() - t0:.0f} s")
    t0 = time.time()
    if config is None:
        base = base or base_dir()
    train_encoder(arts, docs, out, base=base, config=config, seed=seed, device=device,
                  threads=threads, cache=cache, bf16=bf16, init=init, echo=echo, **settings)
    echo(f"trained in {time.time() - t0:.0f} s -> {out}")
    results: dict[str, dict] = {}
    dev = _dev_set(polnear, scorer, cache, echo)
    if dev is None:
        return results
    sc, d_arts, d_docs = dev
    model = EncoderModel(out)
    preds = {id(d): model.predict(d) for d in d_docs}
    results["rules"] = evaluate.score_pipeline(d_arts, d_docs, polnear / "dev", sc)
    crf = learned.load("crf")
    if crf is not None:
        results["crf"] = evaluate.score_pipeline(d_arts, d_docs, polnear / "dev", sc, model=crf)
    policies = ("model", "model+rules") if merge == AUTO else (merge,)
    for policy in policies:
        results[policy] = evaluate.score_pipeline(d_arts, d_docs, polnear / "dev", sc,
                                                  model=model, policy=policy, preds=preds)
    meta_path = Path(out) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if merge == AUTO:
        best = max(policies, key=lambda p: results[p]["attribution"]["f1"])
        echo(f"merge policy chosen on dev: {best}")
    else:
        best = merge
    meta["merge"] = best
    meta["dev"] = {k: {m: v[m] for m in ("attribution", "content_soft", "content_exact",
                                         "direct_recall")} for k, v in results.items()}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    echo(f"dev scores ({len(d_arts)} articles):")
    names = {"rules": "rules only", "crf": "crf (shipped)"}
    for name, res in results.items():
        echo(evaluate.row(names.get(name, f"encoder [{name}]"), res)
             + f"  direct_recall {res['direct_recall']:.3f}")
    return results
