"""MkDocs hook: generate the API reference from minirgan's own docstrings at build time.

A page that contains the line ``<!-- minirgan-api -->`` gets, in its place, one section per
public module of the package, listing every public function and class defined there with
its signature and docstring (which give every array's shape). Generated on each build, the
reference cannot drift from the code, and it needs no extra plugin or network access.
"""

import importlib
import inspect
import pkgutil

MARKER = "<!-- minirgan-api -->"
# Internal machinery, not part of the user-facing API.
SKIP_PREFIXES = ("minirgan.commands", "minirgan.kernels", "minirgan.__main__")


def public_modules():
    """Names of minirgan's public modules, package first, in a stable order."""
    import minirgan
    names = ["minirgan"]
    for info in pkgutil.walk_packages(minirgan.__path__, prefix="minirgan."):
        name = info.name
        if name.startswith(SKIP_PREFIXES) or any(part.startswith("_") for part in name.split(".")[1:]):
            continue
        names.append(name)
    return sorted(set(names), key=lambda n: (n.count("."), n))


def _members(module):
    """Public functions and classes defined in ``module`` itself (not re-exported)."""
    out = []
    for name, obj in vars(module).items():
        if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        out.append((name, obj))
    return sorted(out, key=lambda item: _line(item[1]))


def _line(obj):
    try:
        return inspect.getsourcelines(obj)[1]
    except (OSError, TypeError):
        return 0


def _signature(obj):
    try:
        return str(inspect.signature(obj))
    except (TypeError, ValueError):
        return "(...)"


def _doc_block(obj):
    doc = inspect.getdoc(obj)
    if not doc:
        return ""
    return "```text\n" + doc.replace("```", "'''") + "\n```\n"


def module_section(name):
    """Markdown for one module: its docstring's first paragraph, then each member."""
    module = importlib.import_module(name)
    lines = [f"## `{name}`\n"]
    doc = inspect.getdoc(module) or ""
    if doc:
        lines.append(doc.split("\n\n")[0].replace("\n", " ") + "\n")
    path = name.replace(".", "/")
    lines.append(f"*Source:* `{path}{'/__init__' if hasattr(module, '__path__') else ''}.py`\n")
    for member, obj in _members(module):
        kind = "class" if inspect.isclass(obj) else "def"
        lines.append(f"### `{member}`\n")
        lines.append(f"```python\n{kind} {member}{_signature(obj)}\n```\n")
        lines.append(_doc_block(obj))
        if inspect.isclass(obj):
            for meth_name, meth in vars(obj).items():
                if meth_name.startswith("_") or not inspect.isfunction(meth):
                    continue
                lines.append(f"#### `{member}.{meth_name}`\n")
                lines.append(f"```python\ndef {meth_name}{_signature(meth)}\n```\n")
                lines.append(_doc_block(meth))
    return "\n".join(lines)


def api_markdown():
    """The whole generated reference."""
    return "\n".join(module_section(name) for name in public_modules())


def on_page_markdown(markdown, page, config, files):
    if MARKER in markdown:
        return markdown.replace(MARKER, api_markdown())
    return markdown
