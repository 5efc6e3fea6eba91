/* mkdocs-infotheory: configure MathJax 3 for pymdownx.arithmatex's generic output
   (used only with `math: mathjax`). Typesets again after Material's instant navigation.
   The plugin writes `infotheoryMacros` (its `macros` option) above this file in the site;
   equation numbers and \eqref links are already in the page's TeX (the plugin numbers them),
   so MathJax's own automatic numbering stays off. */
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
    macros: typeof infotheoryMacros === "undefined" ? {} : infotheoryMacros,
    tags: "none",
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
};

if (typeof document$ !== "undefined") {
  document$.subscribe(function () {
    if (window.MathJax && MathJax.typesetPromise) {
      MathJax.startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      MathJax.typesetPromise();
    }
  });
}
