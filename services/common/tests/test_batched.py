"""Grouping the statements of batched handlers: fewer executemany calls, each subject's order kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import column, table
from werkkloket_runtime.batching import Groups, Rij

T = table("t", column("k"), column("v"))
A = T.insert()
B = T.update()
C = T.delete()


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, list[int]]] = []

    async def execute(self, statement: Any, params: list[dict[str, Any]]) -> None:
        self.calls.append((statement, [p["n"] for p in params]))


def rij(statement: Any, n: int) -> Rij:
    return Rij(statement, {"n": n})


async def run(steps: list[tuple[str, Any, int]]) -> list[tuple[Any, list[int]]]:
    groups, conn = Groups(), Recorder()
    for subject, statement, n in steps:
        groups.add(subject, rij(statement, n))
    await groups.flush(conn)  # type: ignore[arg-type]
    assert groups.groups == []
    return conn.calls


async def test_rows_of_one_statement_for_different_subjects_share_one_call() -> None:
    calls = await run([("x", A, 1), ("y", A, 2), ("z", A, 3), ("x", B, 4), ("y", B, 5)])
    assert calls == [(A, [1, 2, 3]), (B, [4, 5])]


async def test_a_subject_keeps_its_order_across_statements() -> None:
    # y's B comes before y's A: its A may not join the earlier A group.
    calls = await run([("x", A, 1), ("y", B, 2), ("y", A, 3), ("z", A, 4)])
    assert calls == [(A, [1]), (B, [2]), (A, [3, 4])]
    order = [n for _, ns in calls for n in ns]
    assert order.index(2) < order.index(3)


async def test_one_subject_is_never_twice_in_one_call() -> None:
    calls = await run([("x", A, 1), ("x", A, 2), ("y", A, 3)])
    assert calls == [(A, [1]), (A, [2, 3])]


async def test_interleaved_subjects_are_still_grouped() -> None:
    steps = [(f"k{i}", s, 10 * i + j) for i in range(50) for j, s in enumerate((A, B, C))]
    calls = await run(steps)
    assert [s for s, _ in calls] == [A, B, C]
    assert all(len(ns) == 50 for _, ns in calls)
