"""Coalesce concurrent calls into one batched call in a worker thread.

Thirty-two students asking at once should cost one embedding call of 32 queries, not 32
calls: the model's fixed cost per call dominates a short query. Callers await ``submit``;
while one batch runs in the worker thread, the next callers queue for the following one, so
a lone question waits for nobody and a burst is batched with no timer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Batcher(Generic[T, R]):
    def __init__(self, fn: Callable[[list[T]], Sequence[R]], max_batch: int = 64) -> None:
        self.fn = fn
        self.max_batch = max_batch
        self._pending: list[tuple[T, asyncio.Future]] = []
        self._runner: asyncio.Task | None = None

    async def submit(self, item: T) -> R:
        future = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            live = [(item, fut) for item, fut in batch if not fut.done()]  # a cancelled caller is dropped
            if not live:
                continue
            try:
                results = await asyncio.to_thread(self.fn, [item for item, _ in live])
            except Exception as exc:  # every caller of this batch gets the error
                for _, fut in live:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for (_, fut), result in zip(live, results, strict=True):
                if not fut.done():
                    fut.set_result(result)
