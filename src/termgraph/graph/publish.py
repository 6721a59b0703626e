"""`termgraph publish --to URL`: load the validated dataset, named graphs included, into a SPARQL
1.1 store, so that `termgraph serve --backend URL` can stand in front of it.

Two ways in:
- the Graph Store Protocol (any SPARQL 1.1 store; Oxigraph server's is `/store`, Virtuoso's
  `/sparql-graph-crud-auth`): every graph of the dataset is replaced with one `PUT ?graph=IRI`
  carrying its N-Triples, and the dataset's default graph is written as the named graph
  `urn:termgraph:default-graph` (stores differ in what their own default graph is: Virtuoso's
  is the union of all its graphs), which `serve --backend` names as the default graph;
- the whole dataset in one request (`--quads`, for stores whose Graph Store endpoint also takes
  N-Quads: Oxigraph server's `/store`, Jena Fuseki's `/DATASET/data`): each graph of the dataset is
  deleted (`DELETE ?graph=IRI`; a 404 means it was not there), then every quad, the default
  graph's under the same `urn:termgraph:default-graph`, goes in one `POST` of N-Quads streamed
  from a temporary file; on a large dataset this is minutes faster than one `PUT` per graph;
- Virtuoso's bulk loader (`--to isql://HOST:PORT`): the dataset is written as one N-Quads file
  into a folder the server may read (its `DirsAllowed`), each graph of the dataset is cleared,
  and `ld_dir` + `rdf_loader_run` load the file through `isql-vt`, then `checkpoint` makes it durable.

Either way only the graphs of the dataset are touched; other graphs in the store are left alone.
Graphs are replaced one after another, so a reader may see a mix for the length of the load:
publish to a copy and switch (docs/deployment.md) when that matters.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from termgraph.graph import load as loader
from termgraph.errors import TermgraphError
from termgraph.settings import Settings
from termgraph.namespaces import DEFAULT_GRAPH

ISQL = os.environ.get("TERMGRAPH_ISQL", "isql-vt")


class PublishFailed(TermgraphError):
    exit_code = 2


def graph_names(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def graph_body(store: ox.Store, graph) -> bytes:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def put_graph(client, url: str, name: str | None, body: bytes) -> None:
    import httpx

    params = {"graph": name} if name else {"default": ""}
    try:
        r = client.put(url, params=params, content=body, headers={"Content-Type": "application/n-triples"})
    except httpx.HTTPError as exc:
        raise PublishFailed(f"--to {url}: cannot reach the store ({exc}); is it running?") from None
    if r.status_code not in (200, 201, 204):
        text = r.text.strip().splitlines()[0][:300] if r.text.strip() else ""
        raise PublishFailed(f"--to {url}: PUT graph <{name or 'default'}> got HTTP {r.status_code} {text}; "
                            "is this the store's Graph Store Protocol URL, and may this user write?")


def publish_gsp(store: ox.Store, url: str, auth=None, progress=None) -> list[str]:
    """Replace every graph of the dataset in the store at `url` (a Graph Store Protocol URL)."""
    import httpx

    names = graph_names(store)
    with httpx.Client(timeout=600, auth=auth) as client:
        put_graph(client, url, DEFAULT_GRAPH, graph_body(store, ox.DefaultGraph()))
        for i, name in enumerate(names, 1):
            if progress:
                progress(f"[{i}/{len(names)}] PUT <{name}>")
            put_graph(client, url, name, graph_body(store, ox.NamedNode(name)))
    return names


def graph_request(client, method: str, url: str, name: str, **kwargs):
    import httpx

    try:
        return client.request(method, url, params={"graph": name}, **kwargs)
    except httpx.HTTPError as exc:
        raise PublishFailed(f"--to {url}: cannot reach the store ({exc}); is it running?") from None


def write_quads(store: ox.Store, path: Path) -> None:
    """Every quad of the dataset as N-Quads, the default graph's in DEFAULT_GRAPH."""
    default = ox.NamedNode(DEFAULT_GRAPH)

    def quads():
        for q in store.quads_for_pattern(None, None, None, None):
            yield ox.Quad(q.subject, q.predicate, q.object, default) if isinstance(q.graph_name, ox.DefaultGraph) else q
    with open(path, "wb") as out:
        ox.serialize(quads(), out, ox.RdfFormat.N_QUADS)


def publish_quads(store: ox.Store, url: str, auth=None, progress=None) -> list[str]:
    """Delete every graph of the dataset from the store at `url`, then POST the dataset as N-Quads."""
    import httpx

    names = graph_names(store)
    with httpx.Client(timeout=3600, auth=auth) as client, tempfile.TemporaryDirectory(prefix="termgraph-publish-") as tmp:
        if progress:
            progress(f"deleting the {len(names) + 1} graphs of the dataset from {url}")
        for name in [DEFAULT_GRAPH] + names:
            r = graph_request(client, "DELETE", url, name)
            if r.status_code not in (200, 202, 204, 404):
                raise PublishFailed(f"--to {url}: DELETE graph <{name}> got HTTP {r.status_code}; is this the "
                                    "store's Graph Store Protocol URL, and may this user write?")
        path = Path(tmp) / "dataset.nq"
        write_quads(store, path)
        if progress:
            progress(f"posting {len(store)} quads ({path.stat().st_size >> 20} MiB of N-Quads) to {url}")
        post_quads(client, url, path)
    return names


def post_quads(client, url: str, path: Path) -> None:
    import httpx

    with open(path, "rb") as body:
        try:
            r = client.post(url, content=body, headers={"Content-Type": "application/n-quads",
                                                        "Content-Length": str(path.stat().st_size)})
        except httpx.StreamError:  # the store asked for credentials again after the file was sent
            raise PublishFailed(f"--to {url}: the store refused the credentials for the upload; check --user "
                                "and TERMGRAPH_STORE_PASSWORD") from None
        except httpx.HTTPError as exc:
            raise PublishFailed(f"--to {url}: cannot reach the store ({exc}); is it running?") from None
    if r.status_code not in (200, 201, 204):
        text = r.text.strip().splitlines()[0][:300] if r.text.strip() else ""
        raise PublishFailed(f"--to {url}: POST of the dataset as N-Quads got HTTP {r.status_code} {text}; does "
                            "this store take N-Quads at this URL? (without --quads, one PUT per graph works "
                            "with any Graph Store Protocol store)")


def isql_script(names: list[str], folder: Path, filename: str) -> str:
    """The isql commands: clear the dataset's graphs, bulk-load the N-Quads file, checkpoint,
    and list any file the loader could not read."""
    lines = ["log_enable(3,1);"]  # autocommit, no transaction log for the bulk delete and load
    lines += [f"DELETE FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id('{n}', 0);" for n in names + [DEFAULT_GRAPH]]
    lines += [f"DELETE FROM DB.DBA.load_list WHERE ll_file = '{folder / filename}';",
              f"ld_dir('{folder}', '{filename}', '{DEFAULT_GRAPH}');",  # the default graph's triples go there
              "rdf_loader_run();",
              "checkpoint;",
              f"SELECT 'LOADERROR', ll_error FROM DB.DBA.load_list WHERE ll_file = '{folder / filename}' "
              "AND ll_error IS NOT NULL;"]
    return "\n".join(lines) + "\n"


def check_iri(name: str) -> None:
    if "'" in name or "\\" in name:
        raise PublishFailed(f"graph <{name}>: an IRI with a quote or backslash cannot be given to isql")


def publish_isql(store: ox.Store, url: str, user: str, password: str, load_dir: Path | None,
                 progress=None) -> list[str]:
    """Bulk-load into Virtuoso through isql. `load_dir` must be in the server's DirsAllowed."""
    parts = urlsplit(url)
    if shutil.which(ISQL) is None:
        raise PublishFailed(f"{ISQL} not found: install Debian's virtuoso-opensource (or set TERMGRAPH_ISQL)")
    names = graph_names(store)
    for n in names:
        check_iri(n)
    folder = Path(tempfile.mkdtemp(prefix="termgraph-publish-", dir=load_dir)).resolve()
    try:
        folder.chmod(0o755)
        store.dump(str(folder / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
        if progress:
            progress(f"bulk-loading {len(names)} graphs through {ISQL} {parts.hostname}:{parts.port or 1111}")
        run = subprocess.run([ISQL, f"{parts.hostname}:{parts.port or 1111}", user, password,
                              "VERBOSE=OFF", "BANNER=OFF", "ERRORS=STDOUT"],
                             input=isql_script(names, folder, "dataset.nq"), text=True, capture_output=True,
                             timeout=3600)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out = run.stdout + run.stderr
    problems = [line for line in out.splitlines() if "*** Error" in line or "LOADERROR" in line]
    if run.returncode != 0 or problems:
        shown = (problems or out.strip().splitlines() or ["(no output)"])[-1 if not problems else 0]
        hint = ("check --user and TERMGRAPH_STORE_PASSWORD" if "login" in shown.lower() else
                "is the load folder in the server's DirsAllowed? --load-dir sets it")
        raise PublishFailed(f"--to {url}: the Virtuoso bulk load failed: {shown.strip()[:300]} ({hint})")
    return names


def publish(settings: Settings, to: str, user: str | None = None, password: str | None = None,
            load_dir: Path | None = None, progress=None, prepare=None, store: ox.Store | None = None,
            quads: bool = False) -> list[str]:
    """Publish the validated dataset to `to`; return the names of the graphs written.
    `store`: a dataset already made by load.validated() (to publish one load to several stores).
    `quads`: the whole dataset in one POST of N-Quads (after deleting its graphs)."""
    scheme = urlsplit(to).scheme
    if scheme not in ("http", "https", "isql"):
        raise PublishFailed(f"--to {to}: give a Graph Store Protocol URL (http://…) or isql://HOST:PORT for Virtuoso")
    if quads and scheme == "isql":
        raise PublishFailed(f"--to {to}: --quads is for a Graph Store Protocol URL; isql:// bulk-loads already")
    store = store if store is not None else loader.validated(settings, progress, prepare).store
    if scheme == "isql":
        return publish_isql(store, to, user or "dba", password or "", load_dir, progress)
    import httpx

    auth = httpx.DigestAuth(user, password or "") if user else None
    return (publish_quads if quads else publish_gsp)(store, to, auth, progress)
