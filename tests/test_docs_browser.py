"""Every page of the built docs site renders its equations offline, checked in a real browser.

The site is built (``mkdocs build --strict``), served on 127.0.0.1 and opened page by page in
headless Chromium (Debian's ``chromium``), with every request that would leave 127.0.0.1
blocked, as on a machine without a network. For each page:

* no unrendered TeX is left in the text outside code (``\\(``, ``\\[``, ``$$``, ``$``, or a
  ``\\command``), every ``arithmatex`` span was typeset, and MathJax shows no error node;
* every request (scripts, styles, fonts, images) went to the site itself and succeeded, and
  the page raised no JavaScript error;
* every image loaded, and each tutorial (notebook) page shows its figures;
* no markup is left as text, in prose or in typeset math: a backslash-underscore (``dh\\_prev``
  from ``\\texttt{dh\\_prev}``) or a ``*word*`` whose asterisks Markdown or TeX did not take;
* no display equation is wider than the text column unless it scrolls sideways (an element between it
  and the column has ``overflow-x: auto`` or ``scroll``): otherwise its right end is cut off or
  runs over the table of contents;
* no table cell is narrower than a few characters while its text is longer (the equation map's
  code paths once wrapped a few letters per line).

The browser is driven by Playwright (PyPI), pointed at the system Chromium with
``executable_path``: it never downloads a browser of its own, and it sees every request, which
a ``--dump-dom`` run cannot. The check is proved to fail on a page with a raw ``\\[…\\]`` and on
a page that loads MathJax from a CDN, and each layout check on a page broken on purpose.
Screenshots at 1280 px of the equation map, the BPTT page (its top and its GRU section), the
equations page and the first two tutorials (the top and the first figure) are saved in ``.ci/artifacts/docs/`` (ignored
by git) for a person to look at.

Where no Chromium or Playwright is installed the tests skip saying so, except under CI
(``CI`` set), where they fail: ``.ci/run`` installs both.
"""

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / ".ci" / "artifacts" / "docs"
# {page: [(file, CSS selector of what to scroll to first, or None for the top)]}
SCREENSHOTS = {"equation_map/": [("equation_map.png", None)],
               "bptt/": [("bptt.png", None), ("bptt_gru.png", "h2:nth-of-type(3)")],
               "equations/": [("equations.png", None)],
               "tutorials/01_elman_rnn/": [("tutorial_01_elman_rnn.png", None)],
               "tutorials/02_gru/": [("tutorial_02_gru.png", None)]}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # As with the network unplugged: no host name but the loopback resolves.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
LEAVES_LOOPBACK = re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://")
CDN_MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"

# Patterns of TeX that MathJax left as text (the page's text outside code and typeset math).
RAW_TEX = [(re.compile(r"\\[()]"), r"\( or \)"), (re.compile(r"\\[\[\]]"), r"\[ or \]"),
           (re.compile(r"\$"), "$ (a $…$ or $$…$$ not typeset)"),
           (re.compile(r"\\[A-Za-z]+"), "a TeX command")]
# Markup that reached the reader as text, in prose or inside typeset math.
LITERAL_MARKUP = [(re.compile(r"\\_"), "a backslash-underscore"),
                  (re.compile(r"(?<![\w*])\*[^\W_][^*\n]{0,40}?(?<=\S)\*(?![\w*])"), "a *word* in asterisks")]
NARROW_CELL_CH = 4         # a table cell narrower than this many characters (of its font) is squeezed

# Runs in the page once it has loaded: waits for MathJax, then reports what a reader sees.
INSPECT = """async () => {
  const NARROW_CELL_CH = %d;
  if (window.MathJax && MathJax.typesetPromise) {
    await MathJax.startup.promise;
    await MathJax.typesetPromise();
  }
  // The text a reader sees, outside code and typeset math (closed <details> opened first).
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const skip = "pre, code, script, style, mjx-container";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && !parent.closest(skip) && parent.checkVisibility()) text += node.data;
  }
  return {
    mathjax: Boolean(window.MathJax && MathJax.version),
    text,
    errors: [...document.querySelectorAll("mjx-merror, [data-mjx-error]")]
      .map(e => e.getAttribute("data-mjx-error") || e.textContent),
    untypeset: [...document.querySelectorAll(".arithmatex")]
      .filter(e => !e.querySelector("mjx-container")).map(e => e.textContent.slice(0, 80)),
    undefined_macros: [...document.querySelectorAll("mjx-container mjx-assistive-mml")]
      .map(e => e.textContent).filter(t => /\\\\[A-Za-z]/.test(t)),
    math_text: [...document.querySelectorAll("mjx-container mjx-assistive-mml")].map(e => e.textContent),
    // Display math wider than its column, with nothing between it and the column that scrolls
    // sideways. (Inline math may reach a few pixels into the margin at a line's end: it is not cut.)
    wide_math: [...document.querySelectorAll('mjx-container[display="true"]')].flatMap(m => {
      const column = m.closest("article, .jp-Cell, .md-content") || document.body;
      const math = m.querySelector("mjx-math") || m;
      const over = math.getBoundingClientRect().right - column.getBoundingClientRect().right;
      if (over <= 2) return [];
      for (let e = m; e && e !== column; e = e.parentElement) {
        if (["auto", "scroll"].includes(getComputedStyle(e).overflowX)) return [];
      }
      const mml = m.querySelector("mjx-assistive-mml");
      return [`${Math.round(over)} px past the column: ${(mml || m).textContent.slice(0, 60)}`];
    }),
    // Table cells narrower than a few characters of their font, holding more text than that.
    narrow_cells: [...document.querySelectorAll("td, th")].flatMap(c => {
      const style = getComputedStyle(c);
      const width = c.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const limit = NARROW_CELL_CH * 0.55 * parseFloat(style.fontSize);
      const text = c.textContent.trim();
      return width < limit && text.length > NARROW_CELL_CH ? [`${Math.round(width)} px wide: ${text.slice(0, 60)}`] : [];
    }),
    images: [...document.images].map(i => ({
      src: i.currentSrc || i.src, loaded: i.complete && i.naturalWidth > 0,
      figure: Boolean(i.closest(".jp-OutputArea, .jp-Cell-outputWrapper"))})),
  };
}""" % NARROW_CELL_CH


def raw_tex(text, context=30):
    """Each place in ``text`` where TeX was left unrendered, as ``"kind: …snippet…"``."""
    found = []
    for pattern, kind in RAW_TEX:
        for m in pattern.finditer(text):
            snippet = " ".join(text[max(0, m.start() - context):m.end() + context].split())
            found.append(f"{kind}: …{snippet}…")
    return found


def literal_markup(texts, context=30):
    """Each place in ``texts`` (strings) where markup was left as text, as ``"kind: …snippet…"``."""
    found = []
    for text in texts:
        for pattern, kind in LITERAL_MARKUP:
            for m in pattern.finditer(text):
                snippet = " ".join(text[max(0, m.start() - context):m.end() + context].split())
                found.append(f"{kind}: …{snippet}…")
    return found


def test_literal_markup_finds_escapes_and_asterisks_left_as_text():
    assert literal_markup([r"dh\_prev=Whh⊤da"]) and literal_markup(["(E11, S3 calls z the *reset* gate)"])
    assert literal_markup(["the *update gate* of E12"])
    assert literal_markup(["dh_prev = a * b * c, x*y*z, 2 ** 3, a glob *_backward and 5 * 3"]) == []


def test_raw_tex_finds_the_delimiters_left_as_text():
    assert raw_tex("and $W_c = $ E14's W") and raw_tex(r"so \[a_t = W h\] holds")
    assert raw_tex(r"inline \(x\) math") and raw_tex(r"the \frac was not typeset")
    assert raw_tex("Rendered math leaves no delimiters, and prose (with brackets) is fine.") == []


# ---------------------------------------------------------------- serving and browsing the site

def _require(found, what):
    """Skip (or, under CI, fail) when the browser test cannot run here."""
    if found:
        return
    reason = f"the docs browser test needs {what}"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it (.ci/run)")
    pytest.skip(reason)


def chromium_path():
    return os.environ.get("MINIRGAN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder, plus the in-memory pages of ``extra`` ({url path: html})."""

    extra = {}

    def do_GET(self):
        body = self.extra.get(urlsplit(self.path).path)
        if body is None:
            return super().do_GET()
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(docs_site):
    """(base URL, extra-pages dict) of an HTTP server on 127.0.0.1 serving the built site."""
    handler = type("SiteHandler", (_Handler,), {"extra": {}})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(handler, directory=str(docs_site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", handler.extra
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browse(server):
    """``browse(paths, screenshots={})`` → {path: problems}: pages of the served site opened one
    by one in one headless Chromium context (one cache) that lets no request leave 127.0.0.1."""
    executable = chromium_path()
    _require(executable, "Chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    _require(sync_playwright, 'Playwright (pip install -e ".[dev]")')
    base, _ = server
    remote = []

    def block(route):
        remote.append(route.request.url)
        route.abort("internetdisconnected")

    def browse_pages(paths, screenshots=None):
        report = {}
        for path in paths:
            remote.clear()
            events.clear()
            seen = visit(page, base + path, (screenshots or {}).get(path, ()))
            report[path] = ([f"request left 127.0.0.1: {u}" for u in remote] + events
                            + problems_seen(seen, tutorial=path.startswith("tutorials/")))
        return report

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 1000})
        # Only requests to another host reach Python (a regex is matched inside the browser's driver).
        context.route(LEAVES_LOOPBACK, block)
        # One tab for every page: one renderer process and one cache.
        page = context.new_page()
        events = []
        page.on("pageerror", lambda err: events.append(f"JavaScript error: {err}"))
        # ERR_ABORTED is the browser cancelling a request as it leaves a page (the favicon, often):
        # a missing file shows as an HTTP status and a request to another host as blocked.
        page.on("requestfailed", lambda req: req.failure != "net::ERR_ABORTED"
                and events.append(f"request failed: {req.url} ({req.failure})"))
        page.on("response", lambda r: r.status >= 400 and events.append(f"HTTP {r.status}: {r.url}"))
        yield browse_pages
        context.close()
        chromium.close()


def visit(page, url, screenshots=()):
    """Load ``url`` in ``page``, save the screenshots asked for (``[(file, selector or None)]``,
    the page scrolled to the selector's element first); return what INSPECT saw."""
    page.goto(url, wait_until="load")
    seen = page.evaluate(INSPECT)
    for name, selector in screenshots:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("s => s ? document.querySelector('article ' + s).scrollIntoView() : window.scrollTo(0, 0)",
                      selector)
        page.screenshot(path=str(SHOTS / name))
        figures = page.locator(".jp-OutputArea img")
        if selector is None and figures.count():
            figures.first.screenshot(path=str(SHOTS / name.replace(".png", "_figure.png")))
    return seen


def problems_seen(seen, tutorial):
    """The problems a reader would see in what INSPECT reported (empty if none)."""
    problems = [] if seen["mathjax"] else ["MathJax did not load"]
    problems += [f"unrendered TeX, {found}" for found in raw_tex(seen["text"])]
    problems += [f"MathJax error: {e}" for e in seen["errors"]]
    problems += [f"not typeset: {t}" for t in seen["untypeset"]]
    problems += [f"undefined TeX macro in: {t}" for t in seen["undefined_macros"]]
    problems += [f"markup left as text, {found}" for found in literal_markup([seen["text"], *seen["math_text"]])]
    problems += [f"math cut off, {m}" for m in seen["wide_math"]]
    problems += [f"table cell squeezed, {c}" for c in seen["narrow_cells"]]
    problems += [f"image did not load: {i['src'][:80]}" for i in seen["images"] if not i["loaded"]]
    if tutorial and not any(i["figure"] and i["loaded"] for i in seen["images"]):
        problems.append("a tutorial page shows no figure")
    return problems


def site_pages(site):
    """URL paths of every page of the built site (each ``…/index.html``)."""
    return sorted("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
                  for p in site.rglob("index.html") if "assets" not in p.relative_to(site).parts)


# ---------------------------------------------------------------- the tests

def test_every_page_renders_its_equations_offline(docs_site, browse):
    pages = site_pages(docs_site)
    tutorials = [p for p in pages if p.startswith("tutorials/")]
    assert len(tutorials) == len(list((ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb")))
    assert {"", "bptt/", "equation_map/"} <= set(pages)
    report = browse(pages, SCREENSHOTS)
    broken = {page or "index": problems for page, problems in report.items() if problems}
    assert not broken, "\n".join(f"{page}:\n  " + "\n  ".join(problems) for page, problems in broken.items())
    for name, _ in sum(SCREENSHOTS.values(), []):
        assert (SHOTS / name).stat().st_size > 10_000, f"screenshot {name} is empty"


def _variant(docs_site, page, old, new):
    html = (docs_site / page / "index.html").read_text(encoding="utf-8")
    assert old in html
    return html.replace(old, new, 1)


@pytest.mark.parametrize("paragraph", [
    r'<p class="mathjax_ignore">so \[a_t = W_{hh} h_{t-1}\] holds</p>',   # where MathJax does not look
    r"<p>so \[a_t = W_{hh} h_{t-1} holds</p>",                          # a display never closed
], ids=["skipped-by-mathjax", "unclosed"])
def test_the_check_fails_on_a_page_with_raw_display_tex(docs_site, server, browse, paragraph):
    """The BPTT page with one paragraph of raw ``\\[…\\]`` added: MathJax leaves it as text.

    (The notebooks' math was left so before their cells were typeset: MathJax skipped them.)"""
    _, extra = server
    extra["/bptt_raw_tex/"] = _variant(docs_site, "bptt", "<h1", paragraph + "<h1")
    problems = browse(["bptt_raw_tex/"])["bptt_raw_tex/"]
    assert any(p.startswith(r"unrendered TeX, \[ or \]: …so \[a_t") for p in problems), problems
    assert not any("request" in p for p in problems), problems


def test_the_check_fails_on_a_page_that_loads_mathjax_from_a_cdn(docs_site, server, browse):
    """The original defect: offline, a CDN MathJax never loads and every equation stays raw TeX."""
    _, extra = server
    extra["/bptt_cdn/"] = _variant(docs_site, "bptt", "../assets/mathjax/tex-mml-chtml.js", CDN_MATHJAX)
    problems = browse(["bptt_cdn/"])["bptt_cdn/"]
    assert f"request left 127.0.0.1: {CDN_MATHJAX}" in problems, problems
    assert "MathJax did not load" in problems
    assert any(p.startswith("not typeset:") for p in problems)


# Each layout defect of the issue, put back into a real page on purpose: the check must see it.
LONG_EQUATION = r"\[" + r" + ".join(rf"W_{{{k}}} h_{{t-{k}}}" for k in range(1, 40)) + r"\]"
NO_SCROLL = "<style>article mjx-container { overflow: visible !important; }</style>"
BROKEN = {
    "escaped-underscore": (r"<p>the gradient dh\_prev of the step</p>", "markup left as text, a backslash-underscore"),
    # as \texttt{dh\_prev} typeset without MathJax's textmacros: a backslash shown in the math
    "escaped-underscore-in-math": (r"<p>\(\verb|dh\_prev| = W_{hh}^\top da\)</p>",
                                   "markup left as text, a backslash-underscore"),
    "asterisks-in-math": (r"<p>\(z_t\quad\text{(S3 calls z the *reset* gate)}\)</p>",
                          "markup left as text, a *word* in asterisks"),
    "asterisks-in-prose": ("<p>S3 calls z the *reset* gate</p>", "markup left as text, a *word* in asterisks"),
    # docs/css/extra.css's scrolling taken away again (NO_SCROLL), the equation clipped or not
    "math-cut-off": (f'{NO_SCROLL}<div style="overflow: hidden"><p>{LONG_EQUATION}</p></div>', "math cut off"),
    "math-runs-over": (f"{NO_SCROLL}<p>{LONG_EQUATION}</p>", "math cut off"),
    "squeezed-cell": ('<table><tr><td style="width: 1ch; word-break: break-all">minirgan/rnn.py::rnn_step_forward</td>'
                      '<td style="width: 100%">the Elman step</td></tr></table>', "table cell squeezed"),
}


@pytest.mark.parametrize("defect", BROKEN)
def test_the_check_fails_on_a_page_broken_on_purpose(docs_site, server, browse, defect):
    """The BPTT page with one defect added; on the real site the same checks find nothing
    (test_every_page_renders_its_equations_offline)."""
    html, expected = BROKEN[defect]
    _, extra = server
    extra[f"/bptt_{defect}/"] = _variant(docs_site, "bptt", "<h1", html + "<h1")
    problems = browse([f"bptt_{defect}/"])[f"bptt_{defect}/"]
    assert any(p.startswith(expected) for p in problems), problems
    assert all(p.startswith(expected) for p in problems), problems
