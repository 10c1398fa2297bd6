"""Replace one generated section of a Markdown page, between marker comments.

A section named ``name`` sits between ``<!-- name:start -->`` and ``<!-- name:end -->``;
the hand-written text around it is kept. A missing section is appended.
"""

from pathlib import Path


def replace_section(path, name, text):
    path = Path(path)
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    page = path.read_text() if path.exists() else ""
    block = f"{start}\n{text}\n{end}"
    if start in page and end in page:
        before, rest = page.split(start, 1)
        page = before + block + rest.split(end, 1)[1]
    else:
        page = page.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(page)
