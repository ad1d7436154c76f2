"""The `sayso` command: thin wrappers that parse arguments, call the library and print.

Exit codes: 0 all went well; 1 some inputs failed (the rest were processed);
2 usage error; 3 nothing could be processed (e.g. a database that is not sayso's).
"""
from __future__ import annotations

import logging

import typer

from sayso.commands import corpus, engine, extract, train, web

app = typer.Typer(
    name="sayso", no_args_is_help=True, add_completion=False,
    help="Who said what, according to whom: attributions in news articles.")

for module in (extract, train, corpus, engine, web):
    module.register(app)


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug messages.")):
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
