"""Progress of long management commands."""

import time


def _plain(text):
    return text


class ProgressBar:
    """A progress line on a command's stream: redrawn in place on a terminal, one line per 5 % otherwise.

    Commands draw it on their error stream, so that their output itself stays
    clean; :meth:`factory` fits the ``progress(label, total)`` argument of the
    bulk operations (sync, PO export and import).
    """

    def __init__(self, stream, label, total, *, clock=time.monotonic, width=30, redraw_every=0.1):
        self.stream = stream
        self.label = str(label)
        self.total = max(total, 0)
        self.clock = clock
        self.width = width
        self.redraw_every = redraw_every
        self.tty = stream.isatty()
        self.count = 0
        self.started = clock()
        self.last_drawn = None
        self.last_step = -1
        self.closed = False

    @classmethod
    def factory(cls, stream):
        return lambda label, total: cls(stream, label, total)

    def update(self, count=1):
        self.count = min(self.count + count, self.total)
        now = self.clock()
        if self.tty:
            if self.last_drawn is None or now - self.last_drawn >= self.redraw_every:
                self._draw_in_place(now)
        else:
            step = self._percent() // 5
            if step > self.last_step:
                self.last_step = step
                self.stream.write(self.line(now), style_func=_plain)
                self.stream.flush()

    def close(self):
        if self.closed:
            return
        self.closed = True
        now = self.clock()
        if self.tty:
            self._draw_in_place(now)
            self.stream.write("", style_func=_plain)
        elif self.last_step < 20:
            self.stream.write(self.line(now), style_func=_plain)
        self.stream.flush()

    def _percent(self):
        return 100 if not self.total else self.count * 100 // self.total

    def _draw_in_place(self, now):
        self.last_drawn = now
        filled = self.width * self._percent() // 100
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.line(now, bar)}", style_func=_plain, ending="")
        self.stream.flush()

    def line(self, now, bar=None):
        elapsed = now - self.started
        rate = self.count / elapsed if elapsed > 0 else 0.0
        bar = f" |{bar}|" if bar else ""
        return f"{self.label}: {self._percent():3d}%{bar} {self.count}/{self.total} [{rate:.1f}/s]"
