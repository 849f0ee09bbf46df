"""Run a test's work in several threads at once and collect what it raised."""

from __future__ import annotations

import threading
from collections.abc import Callable


def failures_in_threads(work: Callable[[], None], count: int) -> list[BaseException]:
    """Run ``work`` in ``count`` threads started together; every exception any raised.

    Example:
        >>> failures_in_threads(lambda: None, 3)
        []
    """
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # (reported to the test, which asserts there is none)
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures
