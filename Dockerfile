# termgraph: the SPARQL endpoint and pages, listening on all interfaces inside the container.
#   docker build -t termgraph .
#   docker run --rm -p 8000:8000 termgraph
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    TERMGRAPH_HOST=0.0.0.0 \
    TERMGRAPH_PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY ontology ./ontology
COPY data ./data
COPY shapes ./shapes
COPY queries ./queries
# libseccomp2: the query workers' network sandbox (already in the base image; named so it stays).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libseccomp2 \
    && rm -rf /var/lib/apt/lists/*
# The server only: the curation toolchain (pip install "termgraph[curate]") is left out.
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 termgraph

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('TERMGRAPH_PORT', '8000')}/health\", timeout=4)"]
CMD ["termgraph", "serve"]
