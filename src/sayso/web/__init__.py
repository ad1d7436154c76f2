"""The sayso web app: read one article's attributions, browse a corpus, a JSON API."""
from sayso.web.app import create_app
from sayso.web.guard import MAX_BODY

__all__ = ["MAX_BODY", "create_app"]
