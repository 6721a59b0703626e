"""The short way for SPARQL queries: GET, HEAD and POST of /sparql go straight to their handler.

Starlette's and FastAPI's own layers (error middleware, telemetry hook, body limit, router,
dependency solving) cost a few tenths of a millisecond per request: as much as the server spends
on a cheap query (an ASK). A query request skips them: `TermgraphApp` hands it to termgraph's own
middleware, the same layer every other route gets (app.py's `middleware`, manners.py: security
headers, CORS, HEAD, ETag, 304, gzip), around `QueryEndpoint`,
which calls the same handler (routes/sparql.py) and the same error handlers (app.py) the router
would. Everything else (OPTIONS, PUT, every other path) goes through FastAPI as usual.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import ClientDisconnect, Request

from termgraph import errors

QUERY_METHODS = ("GET", "HEAD", "POST")


def route_path(scope) -> str:
    """The path below the app's root path (the part the router matches)."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


def is_query(scope) -> bool:
    return scope["type"] == "http" and scope["method"] in QUERY_METHODS and route_path(scope) == "/sparql"


class QueryEndpoint:
    """The handler as an ASGI app: its response, or the error handlers' (a TermgraphError's
    envelope; a 500 envelope, logged, for anything unexpected)."""

    def __init__(self, handler, on_error, on_unexpected):
        self.handler, self.on_error, self.on_unexpected = handler, on_error, on_unexpected

    async def __call__(self, scope, receive, send):
        request = Request(scope, receive)
        try:
            response = await self.handler(request)
        except ClientDisconnect:
            return  # gone while sending its request: no one to answer, nothing went wrong here
        except errors.TermgraphError as exc:
            response = await self.on_error(request, exc)
        except Exception as exc:  # noqa: BLE001 - the envelope every other route gives
            response = await self.on_unexpected(request, exc)
        await response(scope, receive, send)


def wrapped(app, middleware: list) -> object:
    """`app` inside `middleware` ((class, options) pairs, outermost first)."""
    for cls, options in reversed(middleware):
        app = cls(app, **options)
    return app


class TermgraphApp(FastAPI):
    """FastAPI, with the short way in for queries (`use_query_path` sets it up)."""

    query_stack = None

    def use_query_path(self, middleware: list, endpoint: QueryEndpoint) -> None:
        self.query_stack = wrapped(endpoint, middleware)

    async def __call__(self, scope, receive, send):
        if self.query_stack is not None and is_query(scope):
            scope["app"], scope["router"] = self, self.router  # as Starlette and its router set them
            return await self.query_stack(scope, receive, send)
        return await super().__call__(scope, receive, send)
