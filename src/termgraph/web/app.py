"""The FastAPI application: middleware, one JSON error format, and the routes."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from termgraph import __version__
from termgraph.errors import TermgraphError
from termgraph.web.service import ServiceState
from fastapi.staticfiles import StaticFiles

from termgraph.web.routes import browse

from termgraph.web.routes import pages

from termgraph.web.routes import sparql

from termgraph.web.routes import terms


def error_body(status: int, kind: str, message: str) -> dict:
    return {"error": {"status": status, "type": kind, "message": message}}


async def termgraph_error(request: Request, exc: TermgraphError) -> JSONResponse:
    return JSONResponse(error_body(exc.status, type(exc).__name__, str(exc)), status_code=exc.status,
                        headers={"Retry-After": str(getattr(exc, "retry_after", 1))} if exc.status == 429 else None)


def create_app(state: ServiceState) -> FastAPI:
    """The app over an already validated and loaded state (see state.build_state)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state.pool.attach()
        yield

    app = FastAPI(
        title="termgraph",
        version=__version__,
        description="A knowledge graph of AI terminology: every claim of every source, with a read-only "
                    "SPARQL 1.1 endpoint.",
        lifespan=lifespan,
    )
    app.state.termgraph = state
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_credentials=False,
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"], allow_headers=["*"],
        expose_headers=["Link", "Content-Type", "Content-Length", "Retry-After"], max_age=86400,
    )
    app.add_exception_handler(TermgraphError, termgraph_error)
    app.include_router(sparql.router)
    app.include_router(pages.router)
    app.include_router(browse.router)
    app.mount("/static", StaticFiles(packages=[("termgraph.web", "static")]), name="static")
    if state.settings.curate:  # the review page: only when asked for (termgraph serve --curate)
        from termgraph.web.routes import curate

        app.include_router(curate.router)
    app.include_router(terms.router)  # last: its /{kind}/{name} would shadow /download/{name}
    return app
