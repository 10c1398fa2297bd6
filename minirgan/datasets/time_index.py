"""A column of dates or times — the time index of a table, not a feature.

The commonest real CSV is ``date,open,high,low,close,volume``: its first column says *when*
each row was measured. minirgan does not model the timestamps (the rows are taken to be equally
spaced steps); it recognises the column, leaves it out of the features, checks that the rows are
in time order (reversing a newest-first file, as TimeGAN does with its stock prices), and keeps
the first and last timestamps in the data set's info.

Recognised forms, tried in this order (one form for the whole column): ISO 8601
(``2024-03-01``, ``2024-03-01 09:30:00``, ``2024-03-01T09:30:00+01:00``), then the usual
spreadsheet forms in :data:`DATE_FORMATS` (``2024/03/01``, ``01/03/2024``, ``03/01/2024``,
``01.03.2024``, ``01-Mar-2024``, …, each optionally followed by a time), then times of day
(``09:30``, ``09:30:15``). A day-first and a month-first reading of ``01/03/2024`` are both
tried; the first under which the column is in time order wins.
"""

from datetime import datetime

_DAYS = ("%Y/%m/%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y.%m.%d", "%d-%m-%Y", "%m-%d-%Y",
         "%d-%b-%Y", "%d %b %Y", "%b %d %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y")
_CLOCKS = ("%H:%M:%S.%f", "%H:%M:%S", "%H:%M")
DATE_FORMATS = tuple(d + sep + c for d in _DAYS for sep, cs in (("", ("",)), (" ", _CLOCKS))
                     for c in cs) + _CLOCKS
ISO = "ISO 8601"


def _parser(form):
    if form == ISO:
        return datetime.fromisoformat
    return lambda text: datetime.strptime(text, form)


def parse_time(text, form):
    """The datetime of ``text`` read in ``form`` (ISO or a strptime format), or None."""
    try:
        return _parser(form)(text.strip())
    except (ValueError, TypeError):
        return None


def candidate_forms(text):
    """Every form (ISO first, then DATE_FORMATS) that reads ``text`` as a date or time."""
    return [form for form in (ISO,) + DATE_FORMATS if parse_time(text, form) is not None]


def looks_like_time(text):
    """True if ``text`` is a date or a time of day in one of the recognised forms."""
    return bool(text.strip()) and bool(candidate_forms(text))


def time_order(times):
    """"ascending" (non-decreasing), "descending" (non-increasing, not all equal) or None."""
    pairs = list(zip(times, times[1:]))
    try:
        if all(a <= b for a, b in pairs):
            return "ascending"
        if all(a >= b for a, b in pairs):
            return "descending"
    except TypeError:                 # timezone-aware mixed with naive: no order
        pass
    return None


def first_out_of_order(times):
    """The position i of the first time that runs against the direction (forwards or backwards)
    of the first change in ``times``, or None if they are in one order."""
    direction = 0
    for i in range(1, len(times)):
        try:
            step = int(times[i] > times[i - 1]) - int(times[i] < times[i - 1])
        except TypeError:             # timezone-aware mixed with naive
            return i
        if step and not direction:
            direction = step
        elif step and step != direction:
            return i
    return None


def read_time_column(cells):
    """Read a column of timestamp strings.

    Returns ``(form, times, order)``: the form that reads every cell, the datetimes, and
    "ascending", "descending" or None (neither). Raises ``ValueError(position)`` — the 0-based
    position of the first cell that no single form reads together with the cells before it —
    when there is no such form.
    """
    forms = candidate_forms(cells[0])
    if not forms:
        raise ValueError(0)
    readings = []
    worst_stop = 0
    for form in forms:
        times = [parse_time(c, form) for c in cells]
        if None in times:
            worst_stop = max(worst_stop, times.index(None))
            continue
        order = time_order(times)
        if order is not None:
            return form, times, order
        readings.append((form, times))
    if readings:
        return readings[0][0], readings[0][1], None
    raise ValueError(worst_stop)
