"""One line per failure in the log, and one mail per kind of failure in a while.

During an outage every request fails the same way: a traceback per request
buries the log, and a mail per request buries the admins. The formatter
writes an exception as one line (its type, message and where it was raised);
the filter lets the admins' mail through once per kind of failure per window,
counted in the shared cache so several workers send one mail, not one each.
Sentry, when configured, gets every event and groups them itself.
"""

import hashlib
import logging
import traceback

from django.core.cache import cache


def exception_summary(exc_info):
    kind, error, trace = exc_info
    where = ""
    frames = traceback.extract_tb(trace) if trace else []
    if frames:
        last = frames[-1]
        where = f" at {last.filename}:{last.lineno} in {last.name}"
    message = " ".join(str(error).split()) if error is not None else ""
    return f"{kind.__name__}: {message}{where}" if kind else message


class OneLineFormatter(logging.Formatter):
    def format(self, record):
        message = " ".join(record.getMessage().split())
        if record.exc_info and record.exc_info[0]:
            message = f"{message} | {exception_summary(record.exc_info)}"
        record_copy = logging.makeLogRecord({**record.__dict__, "msg": message, "args": None, "exc_info": None})
        record_copy.exc_text = None
        return super().format(record_copy)


class OncePerWindow(logging.Filter):
    """Passes the first record of each kind (logger, message template, exception type and place) per window."""

    def __init__(self, seconds=600):
        super().__init__()
        self.seconds = seconds

    def filter(self, record):
        kind = [record.name, str(record.msg)]
        if record.exc_info and record.exc_info[0]:
            frames = traceback.extract_tb(record.exc_info[2]) if record.exc_info[2] else []
            kind += [record.exc_info[0].__name__, *(f"{f.filename}:{f.lineno}" for f in frames[-1:])]
        key = "log-once:" + hashlib.sha256("|".join(kind).encode()).hexdigest()
        try:
            return cache.add(key, 1, timeout=self.seconds)
        except Exception:  # noqa: BLE001 - an unreachable cache must not silence the report
            return True
