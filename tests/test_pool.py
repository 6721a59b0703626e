"""The query worker pool: one shared copy, a bounded fair queue, limits, preemption, recovery.

Real forked workers over small stores (marked `live`: they start the query worker pool), no
listening server; the pure rules (budget, preemption) in the default run.
"""

from __future__ import annotations

import asyncio
import os
import contextlib
import time

import pyoxigraph as ox
import pytest

from termgraph import errors
from termgraph.executor import bounded
from termgraph.executor import zygote
from termgraph.executor.fairness import ClientLedger, FairnessSettings
from termgraph.executor.pool import Job, PoolSettings, QueryPool, run_while_connected
from termgraph.sparql import protocol
from termgraph.sparql.protocol import Dataset
from termgraph.sparql.query import read

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "ASK { ?s ?p ?o FILTER (?o != 0) }"  # quick, but a worker's: a FILTER is no shape of bounded.py
BOUNDED = "ASK { ?s ?p ?o }"  # answered in the server's process (executor/bounded.py)


def job(query: str, accept: str = "application/sparql-results+json") -> Job:
    """A job as the route makes it: the query read once, the result's format chosen from Accept."""
    read_query = read(query)
    return Job(read_query, Dataset(), protocol.result_type(accept, read_query.form), None, 1_000_000)


def small_store(n: int = 200) -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode("http://e/p")
    for i in range(n):
        store.add(ox.Quad(ox.NamedNode(f"http://e/s{i}"), p, ox.Literal(str(i)), ox.DefaultGraph()))
    return store


@pytest.fixture
def make_pool():
    pools = []

    def make(**kw):
        pool = QueryPool(small_store(), PoolSettings(**kw))
        pool.start()
        pools.append(pool)
        return pool
    yield make
    for pool in pools:
        pool.close()


async def until_idle(pool, tries: int = 100) -> None:
    """Wait for a stopped worker's replacement (forked in the background) to be idle."""
    for _ in range(tries):
        if pool.idle:
            return
        await asyncio.sleep(0.02)


def pids(pool) -> set[int]:
    return {w.pid for w in pool.idle + list(pool.busy)}


# --- the ledger: pure, with a fake clock --------------------------------------------------------

def ledger(**kw):
    now = [1000.0]
    return ClientLedger(FairnessSettings(**kw), clock=lambda: now[0]), now


def run_for(book, now, client, seconds, waited=0.0):
    book.admit(client)
    now[0] += waited
    t = book.started(client)
    now[0] += seconds
    book.finished(client, t)


def test_the_budget_charges_execution_time_only():
    book, now = ledger(budget=2.0, window=60.0)
    run_for(book, now, "a", 1.5, waited=30)  # 30 s waiting in the queue: not charged
    assert book.used("a") == 1.5
    run_for(book, now, "a", 1.0)
    with pytest.raises(errors.TooManyRequests) as info:
        book.admit("a")
    assert info.value.status == 429 and info.value.retry_after == 59  # when the oldest charge expires
    book.admit("b")  # another client is not affected
    now[0] += 61
    book.admit("a")


def test_no_budget_by_default_but_a_cap_on_queries_at_once():
    book, now = ledger(per_client=2)
    run_for(book, now, "a", 100.0)  # no budget: any amount of query time
    book.admit("a")
    book.admit("a")
    with pytest.raises(errors.TooManyRequests, match="already has 2 queries"):
        book.admit("a")
    book.admit("b")


@pytest.mark.parametrize("waiting_used,runner_history,ran,expected", [
    (0.0, [(5.0, False)], 1.0, True),    # a light client waits behind a heavy one whose queries get stopped
    (3.0, [(20.0, False)], 1.0, True),   # many small queries still weigh far less than many big ones
    (0.0, [(5.0, False)], 0.1, False),   # ... but every query gets its minimum run
    (0.0, [(0.2, False)], 0.2, False),   # the runner is not heavier by the margin
    (3.0, [(9.0, False)], 1.0, False),   # similar use: no preemption, just the queue's order
    (None, [], 5.0, False),              # equal newcomers: a first (or only) query is never stopped
    (0.0, [], 1.5, False),               # a newcomer's query not yet past the share is left to end
    (0.0, [], 2.5, True),                # ... one past it, for a client with a past, is not
    (0.0, [(1.2, True)] * 10, 1.0, False),  # an analyst's 1.2 s queries always end: left to end
    (0.0, [(1.2, True)] * 10, 2.5, True),   # ... unless this one has run longer than the share
    (0.0, [(9.0, True)], 1.0, True),     # its queries take 9 s: this one will not end soon
])
def test_preemption_rule(waiting_used, runner_history, ran, expected):
    book, now = ledger(ratio=4.0, margin=0.5, min_run=0.25, share=2.0)
    if waiting_used is not None:
        book.spent["w"].append((now[0], waiting_used, True))
    for cost, ended in runner_history:
        book.spent["r"].append((now[0], cost, ended))
    book.running["r"].append(now[0] - ran)
    assert book.should_preempt("w", "r", ran) is expected


def test_equal_clients_each_on_their_one_query_never_stop_each_other():
    """Issue #27 problem 4: every new address starts at zero, so a waiting newcomer stopped a
    running newcomer's query once it had run 0.5 s: of N equal clients only 2 got an answer."""
    book, now = ledger()
    for client in ("a", "b", "c", "d"):
        book.admit(client)
    started = {c: book.started(c) for c in ("a", "b")}
    now[0] += 1.1
    assert not book.should_preempt("c", "a", 1.1) and not book.should_preempt("d", "b", 1.1)
    book.finished("a", started["a"], 1.1)
    assert book.expected_left("a", 0.3) == pytest.approx(0.8)


def test_a_light_client_is_one_whose_queries_all_ended_by_themselves_within_the_light_bound():
    book, now = ledger(light=0.5, window=60.0)
    assert not book.light("new")  # a newcomer's first query may be anyone's
    for cost in (0.01, 0.2, 0.5):
        book.spent["polite"].append((now[0], cost, True))
    assert book.light("polite")
    book.spent["analyst"].append((now[0], 0.6, True))  # one query longer than the bound
    assert not book.light("analyst")
    book.spent["stopped"].append((now[0], 0.1, True))
    book.spent["stopped"].append((now[0], 0.1, False))  # one stopped (at the limit, or preempted)
    assert not book.light("stopped")
    now[0] += 61  # the window passed: a newcomer again
    assert not book.light("polite")


@pytest.mark.parametrize("extra_setting,room,waiting,runners,expected", [
    (1, True, "polite", 2, "extra"),   # a light client gets an extra worker, though "hostile"'s query may be stopped
    (1, True, "polite", 1, "extra"),   # ... and beside a newcomer's first query, which no one may stop yet
    (1, False, "polite", 2, 1),        # no room for one: it stops the heaviest client's query the rule allows
    (0, True, "polite", 2, 1),         # no extra workers at all: the same
    (1, False, "polite", 1, None),     # ... and behind only the newcomer's first query it waits its turn
    (1, True, "newcomer", 2, 1),       # a newcomer is not light: no extra, but it may stop "hostile"'s query
    (1, True, "newcomer", 1, None),    # ... and not another newcomer's
    (1, True, "analyst", 2, 1),        # not light (its queries take 1.2 s): the same
])
def test_relief_for_a_waiting_client(extra_setting, room, waiting, runners, expected):
    book, now = ledger(extra=extra_setting, light=0.5, ratio=4.0, margin=0.5, min_run=0.1, share=2.0)
    book.spent["polite"].append((now[0], 0.01, True))
    book.spent["analyst"].append((now[0], 1.2, True))
    book.spent["hostile"].append((now[0], 10.0, False))  # its last query ran to the limit
    # (client, run, age): a newcomer's first query, not yet past the share; a hostile client's
    running = [("first", 1.5, 3.0), ("hostile", 0.5, 1.0)][:runners]
    for client, ran, _ in running:
        book.running[client].append(now[0] - ran)
    assert book.relief(waiting, running, room) == expected


def test_relief_stops_the_heaviest_clients_longest_running_query():
    book, now = ledger(extra=1)
    book.spent["a"].append((now[0], 9.0, False))
    book.spent["b"].append((now[0], 30.0, False))
    running = [("a", 1.0, 1.0), ("b", 1.0, 1.0), ("b", 1.0, 4.0)]
    for client, ran, _ in running:
        book.running[client].append(now[0] - ran)
    assert book.relief("newcomer", running, True) == 2


# --- the pool ------------------------------------------------------------------------------------

@pytest.mark.live
def test_workers_are_forked_from_the_zygote_and_answer(make_pool):
    pool = make_pool(workers=2, timeout=10)
    assert len(pids(pool)) == 2 and pool.health()["status"] == "ok"
    answer = asyncio.run(pool.run(job(QUICK)))
    assert answer.body == b'{"head":{},"boolean":true}'


@pytest.mark.live
def test_a_query_stopped_at_the_limit_is_replaced_by_a_fresh_fork(make_pool):
    pool = make_pool(workers=1, timeout=0.5)
    before = pids(pool)

    async def go():
        with pytest.raises(errors.QueryTimeout, match="longer than 0.5 s"):
            await pool.run(job(SLOW))
        await until_idle(pool)
        return await pool.run(job(QUICK))
    assert asyncio.run(go()).body == b'{"head":{},"boolean":true}'
    assert pids(pool).isdisjoint(before)


@pytest.mark.live
def test_the_wait_counts_in_the_time_limit_and_the_queue_is_bounded(make_pool):
    pool = make_pool(workers=1, timeout=1.0, max_queue=1, fairness=FairnessSettings(preempt=False))

    async def go():
        first = asyncio.ensure_future(pool.run(job(SLOW), "a"))
        await asyncio.sleep(0.2)
        second = asyncio.ensure_future(pool.run(job(SLOW), "b"))  # waits ~0.8 s of its 1 s
        await asyncio.sleep(0.1)
        with pytest.raises(errors.Overloaded) as full:
            await pool.run(job(QUICK), "c")
        assert full.value.status == 503 and full.value.retry_after == 1
        for task in (first, second):
            with pytest.raises(errors.QueryTimeout):
                await task
    asyncio.run(go())
    # "a" ran its whole second; "b" only what was left of its second after waiting
    assert pool.ledger.used("a") > 0.9 and pool.ledger.used("b") < 0.5


@pytest.mark.live
def test_a_light_client_preempts_a_heavy_clients_query(make_pool):
    pool = make_pool(workers=1, timeout=10, fairness=FairnessSettings(ratio=4.0, margin=0.5, min_run=0.25))
    pool.ledger.spent["heavy"].append((time.monotonic(), 10.0, False))  # its last query ran to the limit

    async def go():
        heavy = asyncio.ensure_future(pool.run(job(SLOW), "heavy"))
        await asyncio.sleep(0.2)
        start = time.monotonic()
        polite = await pool.run(job(QUICK), "polite")
        waited = time.monotonic() - start
        with pytest.raises(errors.Overloaded, match="used less query time") as info:
            await heavy
        return polite, waited, info.value.retry_after
    polite, waited, retry = asyncio.run(go())
    assert polite.body == b'{"head":{},"boolean":true}'
    assert retry == 5
    assert pool.ledger.used("heavy") > 0.5  # its execution time is charged


def light_history(pool, client: str) -> None:
    pool.ledger.spent[client].append((time.monotonic(), 0.01, True))  # a cheap query that ended


@pytest.mark.live
def test_the_workers_run_at_a_lower_priority_than_the_server(make_pool):
    """When queries keep every core busy, the server's event loop (other clients, /health) still
    gets the processor first: the zygote and every worker it forks run niced (zygote.NICENESS)."""
    from termgraph.executor import zygote

    pool = make_pool(workers=2)
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    niceness = {pid: os.getpriority(os.PRIO_PROCESS, pid) for pid in pids(pool) | {pool.source.zygote_pid}}
    assert len(niceness) == 3 and set(niceness.values()) == {min(mine + zygote.NICENESS, 19)}


@pytest.mark.live
def test_a_light_client_gets_an_extra_worker_beside_a_query_no_one_may_stop(make_pool):
    """Issue #27 item 3: behind a newcomer's first query (which could be an analyst's, so no one
    may stop it before it has run the share), a polite client waited for it: now a light client
    has an extra worker, forked from the zygote, and the newcomer's query runs on."""
    pool = make_pool(workers=1, timeout=3.0)
    light_history(pool, "polite")
    own = pids(pool)

    async def go():
        first = asyncio.ensure_future(pool.run(job(SLOW), "newcomer"))
        await asyncio.sleep(0.3)
        answers = [await pool.run(job(QUICK), "polite") for _ in range(5)]
        extra = {w.pid for w in pool.extras.live}
        for pid in extra:  # a worker like the others: the zygote's child, in the same sandbox
            with open(f"/proc/{pid}/status") as f:
                status = dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)
            assert int(status["PPid"]) == pool.source.zygote_pid and status["Seccomp"].strip() == "2"
        seen = pool.health()
        assert not first.done()  # not stopped for the polite client
        with pytest.raises(errors.QueryTimeout):  # it ran to its own limit
            await first
        return answers, extra, seen
    answers, extra, seen = asyncio.run(go())
    assert {a.body for a in answers} == {b'{"head":{},"boolean":true}'}
    assert len(extra) == 1 and extra.isdisjoint(own)  # one extra worker, served all five
    assert seen["workers"] == 1 and seen["busy"] == 1 and seen["extra"] == 1 and seen["extra_idle"] == 1
    assert seen["status"] == "ok"


@pytest.mark.live
def test_an_extra_worker_serves_only_light_clients_is_bounded_and_exits_when_idle(make_pool):
    pool = make_pool(workers=1, timeout=3.0)
    pool.extras.linger = 0.5
    light_history(pool, "polite")
    light_history(pool, "other")

    async def go():
        first = asyncio.ensure_future(pool.run(job(SLOW), "newcomer"))
        await asyncio.sleep(0.3)
        second = asyncio.ensure_future(pool.run(job(QUICK), "another newcomer"))  # not light: waits
        await asyncio.sleep(0.3)
        forked_for_a_newcomer = len(pool.extras.live)
        # a light client's slow query on the one extra worker; another light client has none more
        slow = asyncio.ensure_future(pool.run(job(SLOW), "polite"))
        await asyncio.sleep(0.3)
        other = asyncio.ensure_future(pool.run(job(QUICK), "other"))
        await asyncio.sleep(0.3)
        most = len(pool.extras.live)
        for task in (first, second, slow, other):
            with contextlib.suppress(errors.TermgraphError):
                await task
        stopped_extra_left = len(pool.extras.live)
        answer = await pool.run(job(QUICK), "other")  # on a fresh extra worker, or the own one
        await asyncio.sleep(1.0)  # longer than the linger
        return forked_for_a_newcomer, most, stopped_extra_left, answer, len(pool.extras.live)
    forked_for_a_newcomer, most, stopped_extra_left, answer, left = asyncio.run(go())
    assert forked_for_a_newcomer == 0 and most == 1
    assert stopped_extra_left == 0  # the extra stopped at the time limit is not replaced
    assert answer.body == b'{"head":{},"boolean":true}'
    assert left == 0 and pool.health()["status"] == "ok" and len(pool.idle) == 1


@pytest.mark.live
def test_a_bounded_query_is_answered_here_while_every_worker_is_busy(make_pool):
    pool = make_pool(workers=1, timeout=2.0, fairness=FairnessSettings(preempt=False))

    async def go():
        heavy = asyncio.ensure_future(pool.run(job(SLOW), "heavy"))
        await asyncio.sleep(0.2)
        assert not pool.idle  # the only worker runs the heavy query
        start = time.monotonic()
        answers = [await pool.run(job(BOUNDED), "polite") for _ in range(20)]
        waited = time.monotonic() - start
        with pytest.raises(errors.QueryTimeout):
            await heavy
        return answers, waited
    answers, waited = asyncio.run(go())
    assert {a.body for a in answers} == {b'{"head":{},"boolean":true}'}
    assert waited < 1.0  # none waited for the worker (busy for 2 s)
    assert 0 < pool.ledger.used("polite") < 0.5  # each query's CPU time is charged to its client


@pytest.mark.live
@pytest.mark.parametrize("query,accept", [
    ("ASK { ?s ?p ?o }", "application/sparql-results+json"),
    ("SELECT ?o WHERE { <http://e/s7> <http://e/p> ?o }", "application/sparql-results+xml"),
    ("SELECT * { ?s <http://e/p> ?o } LIMIT 3", "text/csv"),
    ("DESCRIBE <http://e/s3>", "text/turtle"),
    ("ASK { <http://e/s1> ?p x:y }", "application/sparql-results+json"),  # an undeclared prefix
])
def test_a_bounded_query_gets_the_answer_a_worker_gives(make_pool, query, accept):
    pool = make_pool(workers=1)
    ask = job(query, accept)

    async def both():
        answers = []
        for here in (pool.here, None):
            pool.here = here
            try:
                answers.append(await pool.run(ask))
            except errors.TermgraphError as exc:
                answers.append((type(exc), exc.status, exc.message))
        return answers
    assert bounded.runs_here(pool.here, ask.query, has_dataset=False)
    here, worker = asyncio.run(both())
    assert here == worker


@pytest.mark.live
def test_a_query_whose_client_went_away_is_stopped(make_pool):
    pool = make_pool(workers=1, timeout=30)
    before = pids(pool)
    gone_at = time.monotonic() + 0.3

    async def is_disconnected():
        return time.monotonic() > gone_at

    async def go():
        with pytest.raises(asyncio.CancelledError):
            await run_while_connected(pool, job(SLOW), "a", is_disconnected, poll=0.05)
        await until_idle(pool)
    asyncio.run(go())
    assert pids(pool).isdisjoint(before) and len(pool.idle) == 1
    assert dict(pool.ledger.active) == {}


@pytest.mark.live
def test_a_failed_replacement_is_retried_and_health_says_degraded(make_pool, monkeypatch):
    pool = make_pool(workers=1, timeout=0.3)
    real, calls = zygote.fork_worker, []

    def failing_twice(ctl):
        calls.append(1)
        if len(calls) <= 2:
            raise OSError(24, "Too many open files")
        return real(ctl)
    monkeypatch.setattr(zygote, "fork_worker", failing_twice)

    async def go():
        with pytest.raises(errors.QueryTimeout):
            await pool.run(job(SLOW))
        await asyncio.sleep(0.05)
        degraded = pool.health()
        for _ in range(100):
            if pool.idle:
                break
            await asyncio.sleep(0.05)
        return degraded, (await pool.run(job(QUICK))).body
    degraded, body = asyncio.run(go())
    assert degraded["status"] == "degraded" and degraded["workers"] == 0
    assert body == b'{"head":{},"boolean":true}' and pool.health()["status"] == "ok"


@pytest.mark.live
def test_a_query_over_the_memory_limit_is_stopped_with_a_clear_error(make_pool):
    pool = make_pool(workers=1, timeout=20, memory_limit=200 << 20)
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(40))
    query = f'SELECT (STRLEN(?v40) AS ?n) WHERE {{ BIND("0123456789" AS ?v0) {binds} }}'

    async def go():
        with pytest.raises(errors.QueryTooExpensive) as info:
            await pool.run(job(query))
        assert info.value.status == 422
        await until_idle(pool)
        return await pool.run(job(QUICK))
    assert asyncio.run(go()).body == b'{"head":{},"boolean":true}'


@pytest.mark.live
def test_a_query_near_the_size_cap_crosses_the_pipe(make_pool):
    pool = make_pool(workers=1, timeout=20)
    query = "ASK { ?s ?p ?o }\n" + "#" + "x" * 900_000
    assert asyncio.run(pool.run(job(query))).body == b'{"head":{},"boolean":true}'


@pytest.mark.live
def test_a_draining_pool_refuses_new_queries_with_retry_after(make_pool):
    pool = make_pool(workers=1)
    pool.draining = True
    with pytest.raises(errors.Overloaded, match="shutting down") as info:
        asyncio.run(pool.run(job(QUICK)))
    assert info.value.retry_after == 5


def test_work_done_for_a_client_outside_a_query_is_charged():
    """An HTML results page is built from a query's answer on the server: its CPU time is the
    client's, like the query's (issue #27: a 150,000-row page was charged to no one)."""
    book, now = ledger()
    book.charge("a", 1.5)
    assert book.used("a") == 1.5 and book.past("a") == 1.5 and book.used("b") == 0


def test_a_workers_stat_is_read_from_the_file_held_open_and_ends_with_it(make_pool):
    """The hand-out's check (`usable`) and the CPU time a query starts from (watch.cpu_seconds)
    read /proc/PID/stat from the descriptor opened at the fork: a stopped, dead or killed worker
    reads as unusable, with no CPU time, and its descriptor is closed with it."""
    import signal

    from termgraph.executor.watch import cpu_seconds

    pool = make_pool(workers=2, timeout=10)
    stopped, dead = pool.idle
    assert stopped.usable() and dead.usable() and cpu_seconds(stopped) >= 0
    assert os.readlink(f"/proc/self/fd/{stopped.stat_fd}") == f"/proc/{stopped.pid}/stat"
    os.kill(stopped.pid, signal.SIGSTOP)
    os.kill(dead.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (stopped.usable() or dead.usable()):
        time.sleep(0.01)
    assert not stopped.usable() and not dead.usable()
    fd = dead.stat_fd
    dead.kill()
    assert dead.stat_fd is None and cpu_seconds(dead) is None and not dead.usable()
    with pytest.raises(OSError):
        os.fstat(fd)
    stopped.kill()


def test_a_workers_socket_stays_watched_between_messages_and_is_let_go_when_it_ends(make_pool):
    """The loop watches a worker's socket from one reply to the next (frames.Watch) rather than
    adding and removing a reader per wait; a socket that turns readable while nobody waits (its
    worker ended while idle) is let go of, and the next query on it finds the worker lost."""
    pool = make_pool(workers=1, timeout=10)
    worker = pool.idle[0]
    # (a query the worker takes ~0.2 s over, so that the loop waits for its reply: a reply already
    # there when the loop reads is read without a watch, and the test would depend on timing)
    waited = ("ASK { { SELECT ?c { ?a ?b ?c } LIMIT 60 } { SELECT ?f { ?d ?e ?f } LIMIT 60 } "
              "{ SELECT ?i { ?g ?h ?i } LIMIT 60 } FILTER (SHA512(CONCAT(STR(?c), STR(?f), STR(?i))) = \"x\") }")

    async def go():
        loop = asyncio.get_running_loop()
        first = await pool.run(job(waited))
        watched = worker.inbox.watch.loop is loop
        second = await pool.run(job(waited))
        still = worker.inbox.watch.loop is loop
        worker.stop()  # ends while idle: its socket reads as ended
        for _ in range(200):
            await asyncio.sleep(0.01)
            if worker.inbox.watch.loop is None:
                break
        let_go = worker.inbox.watch.loop is None
        reply = await worker.exchange(job(QUICK), time.monotonic() + 5)
        return first.body, second.body, watched, still, let_go, reply
    first, second, watched, still, let_go, reply = asyncio.run(go())
    assert first == second == b'{"head":{},"boolean":false}'
    assert (watched, still, let_go) == (True, True, True)
    assert reply[0] == "died"


# --- renewal of idle workers that hold copies (executor/renewal.py) -------------------------------

MEDIUM = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 8 M rows: a second or so


@pytest.mark.live
def test_an_idle_worker_holding_more_than_the_bound_is_renewed_and_one_within_it_kept(make_pool):
    """Real workers, their real memory: one whose own pages (after a query) exceed the bound is
    replaced by a fresh fork once idle `renew_idle` s; one within the bound, or that ran no query
    since its fork, is kept. The pool answers throughout and never has fewer workers."""
    from termgraph.executor.renewal import own_memory

    renewed = make_pool(workers=1, timeout=10, renew_idle=0.3)
    kept = make_pool(workers=1, timeout=10, renew_idle=0.3)
    unused = make_pool(workers=1, timeout=10, renew_idle=0.3)
    renewed.renewal.over = 0
    kept.renewal.over = 1 << 40
    unused.renewal.over = 0
    before = {name: pids(p) for name, p in (("renewed", renewed), ("kept", kept), ("unused", unused))}

    async def go():
        held = None
        for p in (renewed, kept):
            assert (await p.run(job(QUICK))).body == b'{"head":{},"boolean":true}'
        held = own_memory(next(iter(pids(renewed))))
        await asyncio.sleep(1.0)
        return held, await renewed.run(job(QUICK))
    held, answer = asyncio.run(go())
    assert held is not None and held > 0
    assert answer.body == b'{"head":{},"boolean":true}'
    assert len(pids(renewed)) == 1 and pids(renewed).isdisjoint(before["renewed"]) and renewed.renewal.renewed == 1
    assert pids(kept) == before["kept"] and kept.renewal.renewed == 0
    assert pids(unused) == before["unused"] and unused.renewal.renewed == 0
    assert all(p.health()["status"] == "ok" for p in (renewed, kept, unused))


@pytest.mark.live
def test_a_worker_a_query_takes_while_it_is_renewed_ends_with_that_query(make_pool):
    """The fresh worker is forked first; the old one, taken by a query meanwhile, answers it and
    is then stopped, not handed over nor replaced again: one worker before, one after."""
    import threading

    pool = make_pool(workers=1, timeout=10, renew_idle=0)
    pool.renewal.over = 0
    forked, go_on = pool.spawn, threading.Event()

    def slow_spawn():
        fresh = forked()
        go_on.wait(10)
        return fresh
    pool.spawn = slow_spawn

    async def go():
        await pool.run(job(QUICK))
        old = pool.idle[0]
        renewing = asyncio.ensure_future(pool.renewal.renew(old))
        await asyncio.sleep(0.3)  # measured; the fresh one being forked
        query = asyncio.ensure_future(pool.run(job(MEDIUM)))  # takes the old worker
        await asyncio.sleep(0.1)
        taken = old in pool.busy
        go_on.set()
        await renewing
        meanwhile = (old.retiring, pids(pool) == {old.pid} | {w.pid for w in pool.idle})
        answer = await query
        return old, taken, meanwhile, answer
    old, taken, meanwhile, answer = asyncio.run(go())
    assert taken and meanwhile == (True, True)
    assert answer.body.startswith(b'{"head":{"vars":["n"]}')
    assert len(pool.idle) == 1 and not pool.busy and old.pid not in pids(pool)
    assert pool.health()["status"] == "ok"
