#!/usr/bin/env bash
# The test command: installs everything the tests need, then runs them all.
#   bash scripts/test.sh            # everything, the live/browser/reasoner tests too (what CI runs)
#   bash scripts/test.sh -k quotes  # extra arguments go to pytest
# A plain `pytest` runs only the fast tests (no listening server, no worker processes, no
# browser, no reasoner, no whole-site sweep): see the markers in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: java for the HermiT reasoner, raptor's rapper as an independent RDF parser,
# curl for the README's examples, chromium for the browser tests (Playwright drives it).
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v rapper >/dev/null 2>&1 || need+=(raptor2-utils)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# libseccomp: the query workers' network sandbox (pyseccomp loads it).
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || need+=(libseccomp2)
# The SPARQL stores of the backend tests (scripts/backends.sh starts them on loopback; Oxigraph
# server comes from PyPI with the test extras).
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Python packages, in the project's own virtual environment.
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test,curate]"

# The source texts the quotes are checked against: ../shared/seeds unless TERMGRAPH_SEEDS says.
# The long fuzzing runs here (2,000 generated requests per fuzz test; a plain pytest runs 150).
export TERMGRAPH_FUZZ=${TERMGRAPH_FUZZ:-full}
# Two runs, every test exactly once: the in-process tests on every core (pytest-xdist), the
# whole-site sweeps marked `slow` with them; then the live, browser and reasoner tests one at a
# time (they start servers and measure fairness, so they must not share the cores).
# Exit code 5 means "nothing selected" (a -k that matches only one half): not a failure.
run() { .venv/bin/python -m pytest -p no:cacheprovider "$@" || { rc=$?; [ $rc -eq 5 ] || exit $rc; }; }
run -m "not live and not browser and not reasoner" "$@"
run -n 0 -m "live or browser or reasoner" "$@"
