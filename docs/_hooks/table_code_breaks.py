"""MkDocs hook: long code names in table cells break at their separators, never inside a word.

A table cell of the equation map holds paths such as
``minirgan/kernels/rnn_kernels.py::rnn_forward_numba``. The theme lets inline code break
anywhere, so the browser squeezed those columns until each line held a few letters. Here every
``/``, ``::``, ``_`` and ``.`` inside ``<code>`` in a ``<td>`` is followed by ``<wbr>`` (a place
where a line may break), and ``docs/css/extra.css`` forbids breaks anywhere else in such code,
so a column is at least as wide as the longest piece between separators.
"""

import re

CELL = re.compile(r"(<td\b[^>]*>)(.*?)(</td>)", re.S)
CODE = re.compile(r"(<code\b[^>]*>)([^<]*)(</code>)")
SEPARATOR = re.compile(r"(::|/|_|\.)(?=[^/_.:])")


def break_points(code_text):
    """``code_text`` (escaped HTML text) with ``<wbr>`` after each separator that has text after it."""
    return SEPARATOR.sub(r"\1<wbr>", code_text)


def with_breaks(html):
    """``html`` with the code inside every table cell given its break points."""
    def cell(m):
        inner = CODE.sub(lambda c: c.group(1) + break_points(c.group(2)) + c.group(3), m.group(2))
        return m.group(1) + inner + m.group(3)
    return CELL.sub(cell, html)


def on_page_content(html, **kwargs):
    return with_breaks(html)
