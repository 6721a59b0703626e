"""The start-up cache (graph/cache.py): a second start on the same inputs loads the built store
instead of validating and deriving; a changed input rebuilds; a damaged entry is rebuilt, never
served; --no-cache neither reads nor writes; the cached answers are a fresh start's. Real files,
real builds (a small copy of the data and a user's file)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from termgraph.graph import cache
from termgraph.graph import load as loader
from termgraph.graph.store import MANIFEST, SNAPSHOT
from termgraph.settings import Settings, settings_from_env

from .conftest import small_copy

USER_TTL = ('@prefix ex: <http://example.org/> .\n'
            'ex:a ex:says "one" .\nex:b ex:says "two" ; ex:knows ex:a .\n')


@pytest.fixture
def inputs(tmp_path) -> Settings:
    """A small copy of the data, a user's file and an empty cache folder: settings for them."""
    root = small_copy(tmp_path / "root")
    user = tmp_path / "mine.ttl"
    user.write_text(USER_TTL, encoding="utf-8")
    return Settings(root=root, extra_files=(user,), cache_dir=tmp_path / "cache")


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """Inputs no test changes, their cache entry built once, and a fresh start's quads: tests
    copy the cache folder (cached()) and damage or read their copy."""
    base = tmp_path_factory.mktemp("shared")
    root = small_copy(base / "root")
    user = base / "mine.ttl"
    user.write_text(USER_TTL, encoding="utf-8")
    settings = Settings(root=root, extra_files=(user,), cache_dir=base / "cache")
    quads, sizes, entry, said = start(settings)
    assert not (entry / cache.RELEASE).exists()  # the server's writer adds them (web/release_files.py)
    release_from(settings, entry, base / "work")
    return settings, quads, sizes, said, fresh(settings)


def release_from(settings: Settings, entry: Path, work: Path):
    """A server's release files, written from the entry's dataset and kept in the entry."""
    from termgraph.web.state import write_release

    work.mkdir()
    written = write_release(cache.load_entry(entry)[0], work, None, entry / cache.RELEASE)
    assert written.wait(120) and cache.release_problem(entry) is None
    written.stop()
    return written


def cached(shared, tmp_path) -> Settings:
    """The shared inputs with a copy of their built cache folder of this test's own."""
    settings = shared[0]
    shutil.copytree(settings.cache_dir, tmp_path / "cache", copy_function=shutil.copy)
    return settings.with_(cache_dir=tmp_path / "cache")


def start(settings: Settings):
    """One start's dataset from the cache, and what it said while starting."""
    said: list[str] = []
    store, sizes, entry = cache.cached_dataset(settings, said.append)
    return set(store), sizes, entry, said


def fresh(settings: Settings) -> set:
    return set(loader.validated(settings.with_(cache_dir=None)).store)


def validated(said: list[str]) -> bool:
    return any(line.startswith("validating termgraph's data") for line in said)


GATE_KEPT = "termgraph's data passed the shapes before (the same files): not validated again"


def test_a_second_start_loads_the_cache_and_does_not_validate(shared, tmp_path):
    settings, quads, sizes, said, fresh_quads = shared
    entry = settings.cache_dir / cache.cache_key(settings)
    assert validated(said) and f"building the dataset into the cache: {entry}" in said
    assert f"loading the validated dataset from the cache: {entry}" not in said
    inputs = cached(shared, tmp_path)
    again, sizes_again, entry_again, said_again = start(inputs)
    assert said_again == [f"loading the validated dataset from the cache: {entry_again}"]
    assert entry_again == inputs.cache_dir / entry.name and sizes_again == sizes
    assert again == quads == fresh_quads  # the cached answers are a fresh start's: the same quads
    assert sizes["https://w3id.org/termgraph/graph/user/mine"] == 3


def test_the_cached_release_files_are_those_a_fresh_start_writes(shared, tmp_path):
    from termgraph.graph import export
    from termgraph.web.state import write_release

    inputs = shared[0]
    entry = inputs.cache_dir / cache.cache_key(inputs)
    said: list[str] = []
    (tmp_path / "work").mkdir()
    copied = write_release(None, tmp_path / "work", said.append, entry / cache.RELEASE)
    assert said == ["copying the release files from the cache"]
    written = export.export(loader.validated(inputs.with_(cache_dir=None)), tmp_path / "fresh")
    assert sorted(copied) == sorted(p.name for p in written) and "termgraph.nq" in copied
    assert all(copied[p.name].read_bytes() == p.read_bytes() for p in written)
    assert all(copied[p.name].parent == tmp_path / "work" / "dist" for p in written)


def test_one_changed_byte_of_a_users_file_rebuilds(inputs):
    _, _, entry, _ = start(inputs)
    user = inputs.extra_files[0]
    user.write_text(USER_TTL.replace('"two"', '"twO"'), encoding="utf-8")
    quads, _, changed, said = start(inputs)
    assert changed != entry and f"building the dataset into the cache: {changed}" in said
    assert not validated(said) and GATE_KEPT in said  # termgraph's files passed the gate: unchanged
    assert quads == fresh(inputs) and any(q.object.value == "twO" for q in quads)


def test_a_changed_file_of_termgraphs_own_or_a_renamed_users_file_changes_the_key(inputs):
    key = cache.cache_key(inputs)
    assert cache.cache_key(inputs) == key  # the same inputs: the same key
    shapes = sorted((inputs.root / "shapes" / "data").glob("*.ttl"))[0]
    shapes.write_bytes(shapes.read_bytes() + b"\n")
    assert cache.cache_key(inputs) != key
    changed = cache.cache_key(inputs)
    renamed = inputs.extra_files[0].with_name("yours.ttl")  # the same bytes into another graph
    shutil.copy(inputs.extra_files[0], renamed)
    assert cache.cache_key(inputs.with_(extra_files=(renamed,))) != changed


DAMAGES = [
    (lambda e: os.truncate(e / SNAPSHOT, (e / SNAPSHOT).stat().st_size // 2), f"{SNAPSHOT} has "),
    (lambda e: (e / cache.CACHE_MANIFEST).unlink(), f"no {cache.CACHE_MANIFEST}"),
    (lambda e: (e / cache.CACHE_MANIFEST).write_text("{", encoding="utf-8"), f"{cache.CACHE_MANIFEST} unreadable"),
    (lambda e: (e / MANIFEST).unlink(), f"{MANIFEST} is missing"),
    (lambda e: os.truncate(e / cache.RELEASE / "termgraph.ttl", 10), "termgraph.ttl has 10 bytes"),
    (lambda e: (e / cache.RELEASE / cache.RELEASE_MANIFEST).unlink(), f"{cache.RELEASE_MANIFEST} missing or unreadable"),
    # the same size, a line of garbage, or one quad fewer (a line blanked): the snapshot's hash finds it
    (lambda e: garble(e / SNAPSHOT), "snapshot's SHA-256 is not the one its manifest gives"),
    (lambda e: blank_first_line(e / SNAPSHOT), "snapshot's SHA-256 is not the one its manifest gives"),
    # the same size, one letter of an IRI changed: it still parses (leniently or not), only the hash finds it
    (lambda e: change_a_letter(e / SNAPSHOT), "snapshot's SHA-256 is not the one its manifest gives"),
    (lambda e: drop_from_manifest(e, cache.SNAPSHOT_HASH), f"its manifest gives no {cache.SNAPSHOT_HASH}"),
    (lambda e: change_a_letter(e / cache.QUOTES, "http"), f"its {cache.QUOTES} is not the one its manifest hashed"),
    # the store's manifest counting another number of quads (the same size): the count finds it
    (lambda e: miscount(e / MANIFEST), "quads, its manifest counts"),
]


def why_not_served(entry: Path) -> str | None:
    """What the start finds wrong with an entry (None: it would be served)."""
    from termgraph.errors import DataNotFound

    why = cache.problem(entry, entry.name)
    if why is None:
        try:
            cache.load_entry(entry)
        except DataNotFound as exc:
            why = str(exc)
    return why


@pytest.mark.parametrize("damage,why", DAMAGES)
def test_every_damage_to_an_entry_is_found(shared, tmp_path, damage, why):
    inputs = cached(shared, tmp_path)
    entry = inputs.cache_dir / cache.cache_key(inputs)
    assert why_not_served(entry) is None  # whole
    damage(entry)
    assert why in why_not_served(entry)


@pytest.mark.parametrize("damage,why", [DAMAGES[0], DAMAGES[1], DAMAGES[-1]])
def test_a_damaged_entry_is_rebuilt_and_never_served(shared, tmp_path, damage, why):
    inputs, quads = cached(shared, tmp_path), shared[1]
    entry = inputs.cache_dir / cache.cache_key(inputs)
    damage(entry)
    again, _, rebuilt, said = start(inputs)
    assert rebuilt == entry and f"building the dataset into the cache: {entry}" in said
    damaged = [line for line in said if line.startswith(f"the cached dataset in {entry} is damaged (")]
    assert len(damaged) == 1 and why in damaged[0], said
    assert again == quads
    assert why_not_served(entry) is None  # whole again
    assert start(inputs)[3] == [f"loading the validated dataset from the cache: {entry}"]


def garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = data.index(b"\n", len(data) // 2) + 1
    end = data.index(b"\n", middle)
    data[middle:end] = b"<" * (end - middle)
    path.write_bytes(bytes(data))


def change_a_letter(path: Path, after: str = "<http") -> None:
    data = bytearray(path.read_bytes())
    at = data.index(after.encode(), len(data) // 2) + len(after)  # <https://… becomes <httpt://…
    data[at] = ord("t") if data[at] != ord("t") else ord("u")
    path.write_bytes(bytes(data))


def drop_from_manifest(entry: Path, name: str) -> None:
    path = entry / cache.CACHE_MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    del manifest[name]
    path.write_text(json.dumps(manifest), encoding="utf-8")


def miscount(path: Path) -> None:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    count = str(manifest["default_graph"])
    other = count[:-1] + str((int(count[-1]) + 1) % 10)
    path.write_text(path.read_text(encoding="utf-8").replace(f'"default_graph": {count}', f'"default_graph": {other}'),
                    encoding="utf-8")


def blank_first_line(path: Path) -> None:
    data = bytearray(path.read_bytes())
    end = data.index(b"\n")
    data[:end] = b" " * end
    path.write_bytes(bytes(data))


def test_no_cache_neither_reads_nor_writes(shared, tmp_path):
    from termgraph.cli import build_parser
    from termgraph.cli.serve import start_cache
    from termgraph.web.state import local_data

    inputs = cached(shared, tmp_path)
    before = {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in inputs.cache_dir.rglob("*")}
    env = {"TERMGRAPH_CACHE_DIR": str(inputs.cache_dir), "TERMGRAPH_ROOT": str(inputs.root)}
    args = build_parser().parse_args(["serve", "--no-cache", str(inputs.extra_files[0])])
    settings = settings_from_env(env).with_(extra_files=tuple(args.files))
    assert settings.cache_dir == inputs.cache_dir
    off = settings.with_(cache_dir=start_cache(settings, args.no_cache))
    assert off.cache_dir is None
    said: list[str] = []
    store, sizes, release, found = local_data(off, said.append, None)
    assert release is None and found is None
    assert validated(said) and not any(" the cache" in line for line in said)
    assert {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in inputs.cache_dir.rglob("*")} == before
    assert set(store) == shared[4]
    on = build_parser().parse_args(["serve", str(inputs.extra_files[0])])
    assert start_cache(settings, on.no_cache) == inputs.cache_dir
    assert start_cache(settings.with_(cache_dir=None), on.no_cache) == cache.default_cache_dir()


def test_the_default_folder_is_the_users_cache():
    assert cache.default_cache_dir({"XDG_CACHE_HOME": "/srv/c"}) == Path("/srv/c/termgraph")
    assert cache.default_cache_dir({}) == Path.home() / ".cache" / "termgraph"


def test_old_entries_are_pruned_the_most_recent_kept(tmp_path):
    made = []
    for i in range(5):
        entry = tmp_path / (f"{i:x}" * 64)
        entry.mkdir()
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
        made.append(entry)
    (tmp_path / "notes").mkdir()  # not an entry: left alone
    removed = cache.prune(tmp_path, keep=3)
    assert sorted(removed) == made[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([p.name for p in made[2:]] + ["notes"])


def test_a_half_written_entry_of_a_dead_process_is_removed_and_never_served(inputs):
    inputs.cache_dir.mkdir()
    key = cache.cache_key(inputs)
    half = inputs.cache_dir / f".{key}.part-999999999"  # no such process
    (half / "partial").mkdir(parents=True)
    quads, _, entry, said = start(inputs)
    assert not half.exists() and validated(said) and entry.name == key
    assert json.loads((entry / cache.CACHE_MANIFEST).read_text())["key"] == key


def test_a_cache_folder_that_cannot_be_written_is_one_line_and_nothing_built(inputs, tmp_path):
    from termgraph.errors import BadSetting

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(BadSetting) as info:
        cache.cached_dataset(inputs.with_(cache_dir=blocked / "cache"))
    assert str(info.value) == (f"TERMGRAPH_CACHE_DIR={str(blocked / 'cache')!r}: cannot keep the start-up cache "
                               "there (Not a directory); give a writable folder, or serve with --no-cache")
    assert info.value.exit_code == 2 and blocked.read_text() == "not a folder\n"


def test_an_entry_without_its_release_files_is_served_and_gets_them_from_its_server(shared, tmp_path):
    """Its first server was stopped before its writer finished: the entry is whole, loaded as
    it is; this start's writer writes the release files and adds them; the next start links them."""
    inputs = cached(shared, tmp_path)
    entry = inputs.cache_dir / cache.cache_key(inputs)
    kept = {p.name: p.read_bytes() for p in (entry / cache.RELEASE).iterdir()}
    shutil.rmtree(entry / cache.RELEASE)
    assert cache.problem(entry, entry.name) is None
    _, _, _, said = start(inputs)
    assert said == [f"loading the validated dataset from the cache: {entry}"]
    said = []
    (tmp_path / "work").mkdir()
    from termgraph.web.state import write_release

    written = write_release(cache.load_entry(entry)[0], tmp_path / "work", said.append, entry / cache.RELEASE)
    assert written.wait(120) and said[0].startswith("writing the release files")
    written.stop()
    assert {p.name: p.read_bytes() for p in (entry / cache.RELEASE).iterdir()} == kept
    said = []
    (tmp_path / "again").mkdir()
    linked = write_release(None, tmp_path / "again", said.append, entry / cache.RELEASE)
    assert said == ["copying the release files from the cache"] and linked.written()
    assert sorted(linked) == sorted(kept.keys() - {cache.RELEASE_MANIFEST})


def test_the_gates_verdict_is_kept_for_termgraphs_own_files_only(inputs):
    """A passed gate is kept by the content of termgraph's own files (the shapes concern no
    user's file): one changed byte of them validates again; data that fails leaves no verdict."""
    from termgraph.errors import ValidationFailed

    _, _, _, said = start(inputs)
    assert validated(said) and cache.gate_stamp(inputs).is_file()
    claims = inputs.root / "data" / "claims" / "000.ttl"
    claims.write_text(claims.read_text().replace("tg:stance tg:Denies", "tg:stance tg:Maybe", 1), encoding="utf-8")
    assert not cache.gate_stamp(inputs).is_file()  # another verdict's name
    said = []
    with pytest.raises(ValidationFailed):
        cache.cached_dataset(inputs, said.append)
    assert validated(said) and not cache.gate_stamp(inputs).is_file()
    assert [p.name for p in inputs.cache_dir.glob("gate-passed-*")] != []  # the first one's, kept


def test_a_start_loads_the_entry_in_a_thread_while_the_server_imports(shared, tmp_path):
    """start_loading begins the load (the server imports its web stack meanwhile: web/server.py);
    cached_dataset waits for it and serves the same quads, saying "loading" once."""
    settings, quads, sizes = shared[0], shared[1], shared[2]
    inputs = cached(shared, tmp_path)
    said: list[str] = []
    loading = cache.start_loading(inputs, said.append)
    entry = inputs.cache_dir / cache.cache_key(inputs)
    assert loading is not None and loading.entry == entry and loading.thread.name == "cache-load"
    store, sizes_again, entry_again = cache.cached_dataset(inputs, said.append, loading)
    assert not loading.thread.is_alive()
    assert said == [f"loading the validated dataset from the cache: {entry}"]
    assert set(store) == quads and sizes_again == sizes and entry_again == entry


def test_no_load_is_begun_without_a_whole_entry_and_a_damaged_one_found_by_the_thread_is_rebuilt(shared, inputs, tmp_path):
    assert cache.start_loading(inputs) is None  # an empty cache folder: built by cached_dataset
    copy = cached(shared, tmp_path)
    entry = copy.cache_dir / cache.cache_key(copy)
    (entry / cache.CACHE_MANIFEST).unlink()
    assert cache.start_loading(copy) is None  # the manifest checked first: nothing loaded
    copy = cached(shared, tmp_path / "again")
    entry = copy.cache_dir / cache.cache_key(copy)
    change_a_letter(entry / SNAPSHOT)  # found only by reading it: in the thread
    said: list[str] = []
    loading = cache.start_loading(copy, said.append)
    assert loading is not None
    store, _, rebuilt = cache.cached_dataset(copy, said.append, loading)
    assert not loading.thread.is_alive() and rebuilt == entry
    assert any(line.startswith(f"the cached dataset in {entry} is damaged (") and "SHA-256" in line for line in said)
    assert f"building the dataset into the cache: {entry}" in said
    assert set(store) == shared[1] and why_not_served(entry) is None


def test_the_entry_keeps_the_quotes_a_start_checks_without_querying_the_store(shared, tmp_path):
    """The quotes a start checks against the texts come from the entry (read from the store once,
    when it was built): the same ones the store gives."""
    from termgraph.graph import quotes

    inputs = cached(shared, tmp_path)
    entry = inputs.cache_dir / cache.cache_key(inputs)
    store, _ = cache.load_entry(entry)
    kept = cache.entry_quotes(entry)
    assert kept == quotes.quotes(store, union=False) and len(kept) > 100


def test_a_cold_start_builds_in_a_process_of_its_own_and_loads_the_entry_as_a_warm_one(inputs, tmp_path, monkeypatch):
    """(build_apart: the build's memory goes with its process; its progress lines come back.)"""
    built_in = tmp_path / "built-in"
    real = cache.write_entry

    def recorded(*args):
        built_in.write_text(str(os.getpid()))
        return real(*args)

    monkeypatch.setattr(cache, "write_entry", recorded)
    store, sizes, entry, said = start(inputs)
    assert int(built_in.read_text()) != os.getpid()
    assert validated(said) and said[-1] == f"writing the dataset into the cache ({len(store)} quads)"
    assert why_not_served(entry) is None and store == set(cache.load_entry(entry)[0])


def test_what_the_build_raises_in_its_process_is_raised_here_and_nothing_is_kept(inputs):
    from termgraph.errors import DataSyntaxError

    inputs.extra_files[0].write_text(USER_TTL + "ex:c ex:says .\n", encoding="utf-8")  # line 4: no object
    with pytest.raises(DataSyntaxError) as raised:
        start(inputs)
    assert str(raised.value).startswith(f"{inputs.extra_files[0]}, line 4") and raised.value.line == 4
    assert raised.value.exit_code == 2
    assert not [p for p in inputs.cache_dir.iterdir() if not p.name.startswith("gate-passed-")]


def test_a_cold_start_parses_the_snapshot_as_its_builder_writes_it_not_from_the_file(inputs, monkeypatch):
    """The build's process sends the snapshot's bytes through a pipe as it writes them (hashed in
    the same pass); this process parses them meanwhile and keeps that store once the entry's
    manifest gives the same SHA-256 and count: the file is not read back."""
    import json

    from termgraph.graph import snapshot
    from termgraph.graph.cache_entry import CACHE_MANIFEST, SNAPSHOT_HASH

    def not_read_back(entry):
        raise AssertionError("the entry was loaded from its file")

    monkeypatch.setattr(cache, "load_entry", not_read_back)
    store, sizes, entry, said = start(inputs)
    assert store == set(snapshot.load_snapshot(entry)) and len(store) > 0
    manifest = json.loads((entry / CACHE_MANIFEST).read_text(encoding="utf-8"))
    assert manifest[SNAPSHOT_HASH] == snapshot.file_sha256(entry / "dataset.nq")  # (hashed as written)
    assert sizes == {str(k): v for k, v in json.loads((entry / "termgraph-store.json").read_text())["graphs"].items()}


def test_streamed_quads_are_kept_only_when_they_are_the_entrys(shared, tmp_path):
    """Bytes whose hash is not the manifest's (another process's entry won the race), or a store
    of another size, are not kept: the entry is loaded from its file instead."""
    from termgraph.graph import snapshot
    from termgraph.graph.cache_entry import streamed_entry

    settings = cached(shared, tmp_path)
    entry = settings.cache_dir / cache.cache_key(settings)
    store, digest = snapshot.load_snapshot(entry), snapshot.file_sha256(entry / "dataset.nq")
    kept = streamed_entry(entry, store, digest)
    assert kept is not None and kept[0] is store and kept[1] == cache.load_entry(entry)[1]
    assert streamed_entry(entry, store, "0" * 64) is None
    store.remove(next(iter(store)))
    assert streamed_entry(entry, store, digest) is None
