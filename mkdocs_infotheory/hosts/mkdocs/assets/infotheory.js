/* mkdocs-infotheory: code blocks that scroll sideways must be reachable by keyboard on every
   device (axe: scrollable-region-focusable). Material marks them on desktop only; this marks
   them on touch devices too, and again after instant navigation or a resize. */
(function () {
  function markScrollableCode() {
    document.querySelectorAll(".highlight pre > code").forEach(function (code) {
      if (code.scrollWidth > code.clientWidth && !code.hasAttribute("tabindex")) {
        code.setAttribute("tabindex", "0");
      }
    });
  }
  markScrollableCode();
  if (typeof document$ !== "undefined") {
    document$.subscribe(markScrollableCode);
  }
  window.addEventListener("resize", markScrollableCode);
})();
