"""A folder of release files with its manifest (their sizes), put in place whole or not at all:
how the start-up cache's entry (graph/cache.py) and a store `build-store` wrote (graph/store.py)
keep the release files (graph/export.py) their servers link instead of writing them again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

RELEASE_MANIFEST = "termgraph-release.json"
RELEASE = "release"  # the release files (graph/export.py) of the dataset beside them, served by /download


def file_sizes(folder: Path, skip: tuple[str, ...] = (RELEASE_MANIFEST,)) -> dict[str, int]:
    """Every file under `folder` (its path inside it) and its size, the manifests `skip` names aside."""
    return {p.relative_to(folder).as_posix(): p.stat().st_size for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in skip}


def sizes_problem(folder: Path, files: dict, prefix: str = "") -> str | None:
    for name, size in files.items():
        path = folder / name
        if not path.is_file():
            return f"{prefix}{name} is missing"
        if path.stat().st_size != size:
            return f"{prefix}{name} has {path.stat().st_size} bytes, not {size}"
    return None


def release_problem(entry: Path, missing_ok: bool = False) -> str | None:
    """Why the entry's release files cannot be served (None: whole, by their manifest; with
    `missing_ok`, also when the entry has none yet)."""
    folder = entry / RELEASE
    if missing_ok and not folder.exists():
        return None
    try:
        files = json.loads((folder / RELEASE_MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"{RELEASE}/{RELEASE_MANIFEST} missing or unreadable ({exc})"
    if not isinstance(files, dict) or not files:
        return f"{RELEASE}/{RELEASE_MANIFEST} lists no release files"
    return sizes_problem(folder, files, prefix=RELEASE + "/")


def keep_release(entry: Path, written: Path) -> bool:
    """Put the release files of `written` (a folder) into the entry: hard links (or copies) in a
    temporary folder beside, with their manifest, renamed to RELEASE. False when the entry has
    them already, or has gone (pruned by another start) meanwhile."""
    part = entry / f".{RELEASE}.part-{os.getpid()}"
    try:
        remove_abandoned(entry)
        part.mkdir()
        for path in sorted(written.iterdir()):
            try:
                os.link(path, part / path.name)
            except OSError:  # another file system: a copy
                shutil.copyfile(path, part / path.name)
        manifest = {"files": file_sizes(part)}
        (part / RELEASE_MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        part.rename(entry / RELEASE)
        return True
    except OSError:
        return False
    finally:
        shutil.rmtree(part, ignore_errors=True)


def remove_abandoned(folder: Path) -> None:
    """Temporary folders of a build whose process no longer runs (killed, crashed)."""
    for path in folder.glob(".*"):
        pid = path.name.rsplit("-", 1)[-1]
        if path.is_dir() and pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)

