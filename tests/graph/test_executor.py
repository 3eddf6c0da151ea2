"""The query pool as the service's event loop drives it (``QueryPool.arun``): answers, the
time limit, a full pool and a request cancelled while its query runs."""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from chainkg.graph.executor import Job, PoolBusy, QueryPool, QueryTimeout

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/chainkg/ontology#Product> }"


@pytest.fixture
def pool(embedded_home):
    pool = QueryPool(embedded_home.current, workers=1, timeout=20, queue_wait=0.3)
    pool.warm()
    yield pool
    pool.close()


def _run(coro):
    """``coro`` run to its end on an event loop of its own (in a thread: the browser
    tests' driver may keep one running in this one)."""
    with ThreadPoolExecutor(1) as one:
        return one.submit(asyncio.run, coro).result()


def _n(answer) -> int:
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def test_arun_answers_as_run_does(pool):
    expected = pool.run(Job(COUNT))
    assert _run(pool.arun(Job(COUNT))).body == expected.body
    assert _n(expected) > 50


def test_a_query_past_its_limit_is_stopped_and_the_next_one_answered(pool):
    async def both():
        start = time.monotonic()
        with pytest.raises(QueryTimeout, match=r"0\.5 s time limit"):
            await pool.arun(Job(ENDLESS), timeout=0.5)
        stopped = time.monotonic() - start
        return stopped, await pool.arun(Job(COUNT))

    stopped, answer = _run(both())
    assert stopped < 5 and _n(answer) > 50


def test_a_full_pool_answers_busy(pool):
    async def two():
        slow = asyncio.create_task(pool.arun(Job(ENDLESS), timeout=3))
        await asyncio.sleep(0.2)
        with pytest.raises(PoolBusy, match="all 1 query workers are busy") as busy:
            await pool.arun(Job(COUNT))
        with pytest.raises(QueryTimeout):
            await slow
        return busy.value.retry_after

    assert 1 <= _run(two()) <= 3


def test_a_cancelled_request_never_leaves_its_answer_to_the_next(pool):
    async def cancel_then_ask():
        slow = asyncio.create_task(pool.arun(Job(ENDLESS), timeout=20))
        await asyncio.sleep(0.3)
        slow.cancel()  # its worker is busy with the endless query
        with pytest.raises(asyncio.CancelledError):
            await slow
        return await pool.arun(Job(COUNT), timeout=10)

    answer = _run(cancel_then_ask())
    assert _n(answer) > 50  # its own answer, from a worker that is not still counting
    assert pool.deadlines == {}


def test_a_request_cancelled_while_waiting_for_a_worker_takes_none(pool):
    async def run():
        slow = asyncio.create_task(pool.arun(Job(ENDLESS), timeout=1))
        await asyncio.sleep(0.1)
        waiting = asyncio.create_task(pool.arun(Job(COUNT)))
        await asyncio.sleep(0.1)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        with pytest.raises(QueryTimeout):
            await slow
        return await pool.arun(Job(COUNT))

    assert _n(_run(run())) > 50
    assert pool.idle.qsize() == 1  # the one worker is back, none lost or added
