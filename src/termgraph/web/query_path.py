"""The short way for SPARQL queries: GET and POST of /sparql go straight to their handler.

FastAPI's router, dependency solving and exception middleware cost about 0.3 ms of CPU per
request: a third of what the server spends on a cheap query (an ASK). A query request skips
them and meets the same handler (routes/sparql.py) and the same error handler (app.py) that the
router would give it; everything else (OPTIONS, PUT, /sparql's documentation in /docs, every
other path) goes through the router. This layer is the innermost of termgraph's middleware, so
the security headers, CORS, HEAD, ETag, 304 and gzip wrap it as they wrap every route.
"""

from __future__ import annotations

from starlette.requests import Request

from termgraph import errors

QUERY_METHODS = ("GET", "POST")


def route_path(scope) -> str:
    """The path below the app's root path (the part the router matches)."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


class QueryPathMiddleware:
    def __init__(self, app, handler, on_error):
        self.app, self.handler, self.on_error = app, handler, on_error

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in QUERY_METHODS or route_path(scope) != "/sparql":
            return await self.app(scope, receive, send)
        request = Request(scope, receive)
        try:
            response = await self.handler(request)
        except errors.TermgraphError as exc:
            response = await self.on_error(request, exc)
        await response(scope, receive, send)
