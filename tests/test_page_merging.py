"""graph/page_merging.py: the server opts its process tree into KSM (the kernel merges back the
store's pages a worker's reads copied, when the host runs it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from termgraph.graph import page_merging

CHILD = textwrap.dedent("""
    import os, sys
    from termgraph.graph import page_merging

    if not page_merging.opt_in():
        print("cannot"); sys.exit(0)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a forked worker inherits the opt-in
        os.write(write, open("/proc/self/ksm_stat").read().encode() + str(page_merging.opted_in()).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    print("child:", os.read(read, 4096).decode().replace(chr(10), " | "))
""")


def test_opting_in_reaches_the_processes_forked_after_it():
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    if line == "cannot":
        pytest.skip("this kernel has no PR_SET_MEMORY_MERGE (Linux 6.4)")
    assert line.startswith("child: ") and "ksm_merge_any: yes" in line and line.endswith("True")


@pytest.mark.parametrize("content,merges", [("1\n", True), ("0\n", False), ("2\n", False), (None, False)])
def test_the_host_merges_only_when_ksm_runs(tmp_path, content, merges):
    run = tmp_path / "run"
    if content is not None:
        run.write_text(content)
    assert page_merging.host_merges(run) is merges


def test_the_start_says_so_only_when_the_host_merges(monkeypatch):
    from termgraph.web.state import merge_copied_pages

    said: list[str] = []
    monkeypatch.setattr(page_merging, "opt_in", lambda: True)
    monkeypatch.setattr(page_merging, "host_merges", lambda run=None: False)
    merge_copied_pages(said.append)
    assert said == []
    monkeypatch.setattr(page_merging, "host_merges", lambda run=None: True)
    merge_copied_pages(said.append)
    assert said == ["the pages the workers' reads copy are merged back by the kernel (KSM)"]
