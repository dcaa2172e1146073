"""Where chunks run: in this process, in local worker processes, or on a Dask cluster.

All three implement :class:`Executor`: ``imap(fn, tasks)`` yields ``(task, result)`` pairs as
they complete, with a bounded number of tasks in flight, so the driver holds few futures and
results stream. Completion order never matters: callers place results by their key.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

from sim.errors import EnvironmentProblem, MissingExtra
from sim.experiment.lifeline import start_worker

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs tasks and yields ``(task, result)`` as they finish."""

    workers: int

    def imap(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[tuple[T, R]]:
        """Run ``fn`` on every task, yielding ``(task, result)`` as each finishes."""
        ...

    def close(self) -> None:
        """Release the workers."""
        ...

    def terminate(self) -> None:
        """Stop at once (Ctrl-C, SIGTERM, a failure): running tasks are abandoned."""
        ...


class SerialExecutor:
    """In this process, in order: for debugging, profiling and one worker."""

    workers = 1

    def imap(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[tuple[T, R]]:
        """Run ``fn`` on every task here, in order."""
        for task in tasks:
            yield task, fn(task)

    def close(self) -> None:
        """Nothing to release."""
        pass

    def terminate(self) -> None:
        """Nothing to stop."""
        pass


def _context() -> multiprocessing.context.BaseContext:
    # forkserver forks workers from a clean server process that has imported the engine once,
    # which is fast and safe even when the driver has threads (a progress bar); spawn elsewhere.
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(
            [
                "sim.experiment.forkserver_lifeline",
                "sim.experiment.replicate",
                "sim.experiment.sweepchunk",
            ]
        )
        return ctx
    return multiprocessing.get_context("spawn")


_DEFERRED = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, then deliver them as they came.

    A pool starts its workers lazily, on submit. A signal that interrupts a start after the
    forkserver has forked the worker but before the pool has recorded it leaves a worker that
    :meth:`LocalExecutor.terminate` cannot see; it then prints a traceback when the driver's
    semaphores are gone. Only the main thread can install handlers; elsewhere nothing is held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {
        sig: signal.signal(sig, lambda number, _: caught.append(number)) for sig in _DEFERRED
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)


class LocalExecutor:
    """A pool of local worker processes (``concurrent.futures.ProcessPoolExecutor``).

    Workers die with this process, however it ends (:mod:`sim.experiment.lifeline`), and
    :meth:`terminate` kills them at once rather than waiting for their chunks.
    """

    def __init__(self, workers: int, in_flight_per_worker: int = 4) -> None:
        self.workers = workers
        self._limit = workers * in_flight_per_worker
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_context(),
            initializer=start_worker,
            initargs=(os.getpid(),),
        )

    def imap(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[tuple[T, R]]:
        """Run ``fn`` on every task in the pool, at most a few in flight per worker."""
        pending: dict[Future[R], T] = {}
        iterator = iter(tasks)
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < self._limit:
                try:
                    task = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                held = _signals_deferred() if self._starting() else contextlib.nullcontext()
                with held:
                    pending[self._pool.submit(fn, task)] = task
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: id(f)):
                task = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    raise EnvironmentProblem(
                        "a worker process died abruptly (killed by a signal, or out of memory); "
                        "the run was stopped"
                    ) from None
                yield task, result

    def _starting(self) -> bool:
        """Whether a submit may still start a worker (the pool has fewer than it may)."""
        return len(getattr(self._pool, "_processes", None) or {}) < self.workers

    def close(self) -> None:
        """Shut the pool down: running tasks finish, tasks not yet started are dropped."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def terminate(self) -> None:
        """Kill the workers at once, then shut the pool down."""
        # ProcessPoolExecutor has no public way to stop running workers before Python 3.14
        # (terminate_workers), so they are killed through its process table.
        workers = list((getattr(self._pool, "_processes", None) or {}).values())
        for process in workers:
            with contextlib.suppress(OSError, ValueError):
                process.kill()
        for process in workers:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                process.join(5)
        # Waiting lets the pool's manager thread see its workers gone and close its pipes now,
        # not race the interpreter's exit hook for them (a traceback on stderr in 3.11).
        self._pool.shutdown(wait=True, cancel_futures=True)


_PROFILER = "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"


class DaskExecutor:
    """Chunks on a Dask distributed cluster (``--scheduler tcp://HOST:PORT`` or ``local``)."""

    def __init__(
        self, address: str, workers: int | None = None, in_flight_per_worker: int = 4
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise MissingExtra(
                "Dask is not installed (needed by --scheduler); "
                "pip install 'coalition-wargame[distributed]'"
            ) from None
        self._cluster: Any = None
        if address == "local":
            # Dask's statistical profiler samples every worker thread's stack every 10 ms,
            # which slows pure-Python replications by 10-30% (measured); the workers of a
            # LocalCluster inherit this environment when they start.
            previous = os.environ.get(_PROFILER)
            os.environ[_PROFILER] = "False"
            try:
                self._cluster = LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
            finally:
                if previous is None:
                    del os.environ[_PROFILER]
                else:
                    os.environ[_PROFILER] = previous
            self._client: Any = Client(self._cluster)
        else:
            try:
                self._client = Client(address, timeout="10s")
                self._client.wait_for_workers(1, timeout=60)
            except (OSError, TimeoutError) as exc:
                raise EnvironmentProblem(
                    f"cannot use the Dask scheduler at {address} (--scheduler): {exc}"
                ) from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        self._limit = self.workers * in_flight_per_worker

    def imap(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[tuple[T, R]]:
        """Run ``fn`` on every task on the cluster, at most a few in flight per worker."""
        from distributed import as_completed

        iterator = iter(tasks)
        pending: dict[Any, T] = {}

        def submit() -> Any:
            task = next(iterator, None)
            if task is None:
                return None
            # pure=False and a unique key: identical arguments must still run (METHODS §4.2).
            key = f"{getattr(task, 'key', 'task')}-{len(pending)}-{id(task)}"
            future = self._client.submit(fn, task, pure=False, key=key)
            pending[future] = task
            return future

        futures = [f for f in (submit() for _ in range(self._limit)) if f is not None]
        queue = as_completed(futures)
        for future in queue:
            task = pending.pop(future)
            yield task, future.result()
            follow = submit()
            if follow is not None:
                queue.add(follow)

    def close(self) -> None:
        """Close the client, and the local cluster if this executor started one."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def terminate(self) -> None:
        """Close, ignoring errors: the run is stopping anyway."""
        with contextlib.suppress(Exception):  # stopping anyway: a half-closed client is fine
            self.close()


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor for ``--workers`` / ``--scheduler``: serial for one worker."""
    if scheduler:
        return DaskExecutor(scheduler, workers)
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1:
        return SerialExecutor()
    return LocalExecutor(count)
