"""graph/results.py: the row cap and the result bodies it feeds."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from chainkg.graph import results


@pytest.mark.parametrize(
    ("n", "limit", "kept", "more"),
    [(0, 3, 0, False), (3, 3, 3, False), (4, 3, 3, True), (10, 1, 1, True), (2, 0, 0, True)],
)
def test_capped_keeps_the_first_rows_and_says_whether_there_were_more(n, limit, kept, more):
    rows, truncated = results.capped(iter(range(n)), limit)
    assert rows == list(range(kept))
    assert truncated is more


def test_capped_reads_one_item_past_the_limit_and_no_further():
    seen = []

    def items():
        for i in range(100):
            seen.append(i)
            yield i

    rows, truncated = results.capped(items(), 5)
    assert (rows, truncated) == ([0, 1, 2, 3, 4], True)
    assert seen == [0, 1, 2, 3, 4, 5]


def test_a_capped_select_body_says_it_was_cut():
    rows, truncated = results.capped(([ox.Literal(str(i))] for i in range(5)), 2)
    body = json.loads(results.select_body(["x"], rows, "json", truncated))
    assert [b["x"]["value"] for b in body["results"]["bindings"]] == ["0", "1"]
    assert truncated
