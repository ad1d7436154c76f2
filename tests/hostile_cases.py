"""Hostile articles the audit found, run by test_hostile.py in one capped process.

    python tests/hostile_cases.py CASE...      # prints one JSON line per case

Each case runs within its own time limit (sayso.limits.run_limited): a case that runs
away is reported as over it, and the process runs under the memory cap its caller set
(RLIMIT_AS), so a regression fails a test instead of taking the machine down.
"""
from __future__ import annotations

import json
import resource
import sys
import time

#: name -> (path: "rules" or "model", builder of the text or (paragraph, times), seconds allowed)
CASES = {
    # finding 1: the model's per-cue windows and pairwise Jaccard (before: 9 KB took 60 s,
    # 180 KB grew past 21 GB; 79 KB of quoted words took 375 s and 3.4 GB)
    "quote-marks": ("model", lambda: 'He said "' * 2500, 30),
    "quoted-words": ("model", lambda: " ".join(f'"w{i}"' for i in range(4000)) + " he said.", 30),
    # finding 2: nested quotes in the direct stage (before: 20 KB took 49 s)
    "nested-quotes": ("rules", lambda: ('"She said \'he said "' * 800) + "x" + ('" \'" ' * 800)
                      + " Ann Lee said.", 20),
    # finding 2: a scan of every quote per token, pairwise dedupe (before: 20,000 took 68 s);
    # parsed once and repeated (Doc.from_docs), so the stages are timed, not the parser
    "fine-paragraphs": ("rules", ('"That is fine with us," he said.\n', 20000), 20),
    # the follow-on pass over one paragraph of thousands of quotes it joins (short quotes
    # with a present-tense cue, then a second quote): a scan of the paragraph per quote
    # took 13 s at 4,000; bounded lookups take about 3 s at 20,000
    "follow-on-quotes": ("rules", ('"Oh, yes," he shouts. "We are not done here yet, not at all." ', 20000), 20),
}


def main(names: list[str]) -> None:
    from sayso import Reader
    from sayso.errors import TimeLimitError
    from sayso.limits import run_limited

    readers = {}
    for name in names:
        path, build, limit = CASES[name]
        if path not in readers:
            readers[path] = Reader(model=None if path == "rules" else "default")
            readers[path].extract("Warm up, she said.")
        reader = readers[path]
        if callable(build):
            text = build()
            work = (reader.extract, text)
        else:  # (paragraph, times): one parse repeated, the stages see the whole text
            from spacy.tokens import Doc

            from sayso.model import Article
            unit, times = build
            text = unit * times
            doc = Doc.from_docs([reader.parse(unit)] * times, ensure_whitespace=False)
            assert doc.text == text
            work = (lambda t, d: reader._report(Article(text=t), d), text, doc)
        t0 = time.perf_counter()
        try:
            rep = run_limited(limit, *work)
        except TimeLimitError:
            print(json.dumps({"case": name, "error": f"over {limit} s"}), flush=True)
            continue
        seconds = time.perf_counter() - t0
        wrong = sum(1 for s in rep.spans() if text[s.start:s.end] != s.text)
        print(json.dumps({"case": name, "seconds": round(seconds, 2), "chars": len(text),
                          "attributions": len(rep.attributions), "offsets_wrong": wrong,
                          "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}),
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or list(CASES))
