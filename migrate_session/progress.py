"""The progress bar on stderr: only on a terminal, only for runs that last (tqdm's ``delay``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TextIO

from tqdm import tqdm

DELAY = 1.0  # seconds before the bar appears; a quick run never shows one


class Progress:
    """Files done out of ``total``, with how many were rewritten and how many failed."""

    def __init__(self, total: int, stream: TextIO, verb: str, quiet: bool = False) -> None:
        isatty = getattr(stream, "isatty", None)
        self.enabled = not quiet and bool(isatty and isatty())
        self.verb = verb
        self.shown = self.enabled and DELAY <= 0  # drawn yet? until then there is nothing to clear
        self._bar = tqdm(
            total=total, file=stream, disable=not self.enabled, delay=DELAY,
            unit="file", dynamic_ncols=True, leave=False,
        )

    def advance(self, changed: int, failed: int) -> None:
        if self.enabled:
            self._bar.set_postfix_str(f"{changed} {self.verb}, {failed} failed", refresh=False)
            self.shown = bool(self._bar.update(1)) or self.shown

    @contextlib.contextmanager
    def writing(self, *streams: TextIO) -> Iterator[None]:
        """Print around the bar: it is cleared, the text written and flushed, the bar redrawn."""
        if not self.shown:  # clearing and redrawing would show the bar before its delay
            yield
            return
        with tqdm.external_write_mode(file=self._bar.fp):
            yield
            for stream in streams:
                stream.flush()

    def close(self) -> None:
        self._bar.close()
