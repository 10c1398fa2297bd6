// MathJax 3 settings (MathJax itself ships with the site: docs/_hooks/mathjax_offline.py).
// pymdownx.arithmatex (generic mode) writes \( \) inline and \[ \] display math in the pages;
// the notebooks' markdown cells (mkdocs-jupyter) keep their $ $ and $$ $$ as written.
// The whole page is typeset (MathJax skips pre, code and script by default): a whitelist of
// classes would miss the notebooks' math, which sits in <p> and <li> inside their cells.
// Each page is a full load (the theme's navigation.instant is off), typeset once by MathJax's
// startup; a second typeset started from the theme's document$ raced the first and left
// autoloaded macros such as \color undefined.
// textmacros: the macros of text mode (\_, \textit, …) work inside \text{} and \texttt{} too
// (without it `\texttt{dh\_prev}` showed its backslash).
window.MathJax = {
  loader: {load: ["[tex]/textmacros"]},
  tex: {
    packages: {"[+]": ["textmacros"]},
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true
  }
};
