"""The HTTP front door: thin FastAPI routers, body reading (body.py), auth, the fast path for
hot requests, observability and the web page. Use cases live in the Engine, not here."""
