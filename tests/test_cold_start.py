"""A cold start's two moves off the critical path: the SHACL gate runs in a forked process beside
the load (graph/validate_beside.py), and the release files are written by a forked writer while
the endpoint answers (web/release_files.py): /download waits for them, then answers 503 with
Retry-After, never a half-written file; a writer that died is a 500. Real data, real forks (a
writer is paused with SIGSTOP to look at it mid-way, not stood in for)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from termgraph.errors import DataSyntaxError, ValidationFailed
from termgraph.graph import export
from termgraph.graph import load as loader
from termgraph.graph.validate_beside import GateBeside
from termgraph.settings import Settings
from termgraph.web.release_files import ReleaseFiles, write_release

from .conftest import app_client, small_copy


@pytest.fixture
def broken(tmp_path) -> Path:
    """A small copy of the data with one claim's stance out of the shapes' range."""
    root = small_copy(tmp_path / "root")
    path = root / "data" / "claims" / "000.ttl"
    path.write_text(path.read_text().replace("tg:stance tg:Denies", "tg:stance tg:Maybe", 1))
    return root


def test_the_gate_beside_the_load_fails_as_the_gate_does(broken):
    gate = GateBeside(broken)
    assert gate.pid > 0  # forked: the load goes on meanwhile
    with pytest.raises(ValidationFailed) as info:
        gate.result()
    assert "tgsh:ClaimStanceShape" in str(info.value) and "claim:000-" in str(info.value)
    assert gate.pid == 0


def test_the_gates_verdict_comes_before_a_load_error(broken, tmp_path):
    """Data that fails SHACL and a user's file that does not parse: the SHACL report, as when the
    gate ran before the load."""
    bad = tmp_path / "mine.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b \n", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        loader.validated(Settings(root=broken, extra_files=(bad,)))
    with pytest.raises(DataSyntaxError):  # the same file with valid data: the load's own error
        loader.validated(Settings(root=small_copy(tmp_path / "good"), extra_files=(bad,)))


def test_a_gate_that_died_says_it_could_not_run(broken):
    gate = GateBeside(broken)
    os.kill(gate.pid, signal.SIGKILL)
    with pytest.raises(RuntimeError) as info:
        gate.result()
    assert str(info.value) == "the SHACL gate could not run: its process ended by signal 9"


@pytest.fixture
def paused(data, tmp_path):
    """A release writer forked over the project's data and paused (SIGSTOP) before it has written
    anything; resumed (and collected) at the end."""
    release = write_release(data.store, tmp_path, None)
    assert release.writer > 0
    os.kill(release.writer, signal.SIGSTOP)
    yield release
    if release.writer:
        os.kill(release.writer, signal.SIGCONT)
    release.stop()


def served(state_of_release, service_state):
    import dataclasses

    return app_client(dataclasses.replace(service_state, release=state_of_release))


def test_a_file_being_written_is_503_with_retry_after_then_served_whole(paused, service_state, release, tmp_path):
    paused.wait_seconds = 0
    client = served(paused, service_state)
    answer = client.get("/download/termgraph.ttl")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert answer.json()["error"]["type"] == "Starting"
    assert answer.json()["error"]["message"] == ("the release file termgraph.ttl is still being written (the service "
                                                 "has just started); retry shortly")
    assert not (tmp_path / "dist").exists()  # never a half-written folder where files are served
    assert client.get("/download/nothing.ttl").status_code == 404  # the names are known meanwhile
    os.kill(paused.writer, signal.SIGCONT)
    assert paused.wait(120)
    answer = client.get("/download/termgraph.ttl")
    assert answer.status_code == 200 and answer.content == release["termgraph.ttl"].read_bytes()
    assert sorted(paused) == sorted(export.release_names(service_state.store))
    assert all((tmp_path / "dist" / name).read_bytes() == release[name].read_bytes() for name in paused)
    assert paused.writer == 0  # collected


def test_a_request_waits_for_the_writer_within_its_limit(paused):
    """Looked up while the writer works: the lookup waits (here the writer is resumed first; the
    limit raised, as a busy machine may take longer than WAIT_SECONDS for the files)."""
    paused.wait_seconds = 600
    os.kill(paused.writer, signal.SIGCONT)
    assert paused["termgraph.nq"].read_bytes().startswith(export.GENERATED.encode())


def test_a_writer_that_died_is_a_500_naming_it(paused, service_state):
    os.kill(paused.writer, signal.SIGKILL)
    client = served(paused, service_state)
    answer = client.get("/download/termgraph.ttl")
    assert answer.status_code == 500 and answer.json()["error"]["type"] == "InternalError"
    with pytest.raises(Exception) as info:
        paused["termgraph.ttl"]
    assert str(info.value) == ("the release files could not be written (the writer ended with status -9); "
                               "the server's log says why")


def test_written_inline_when_asked(data, tmp_path):
    release = write_release(data.store, tmp_path, None, background=False)
    assert isinstance(release, ReleaseFiles) and release.writer == 0 and release.written()
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == sorted(release)
