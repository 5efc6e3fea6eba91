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

/* mkdocs-infotheory: previews. Hovering or focusing a reference ("Equation (1)", "Theorem 2",
   a citation) shows its target (the formula, the figure or table with its caption, the
   statement, the full reference) in a tooltip, without leaving the page. A target on another
   page of the site is read from that page (once). Without JavaScript the links just link. */
(function () {
  var SELECTOR = "a.infotheory-ref, a.infotheory-cite";
  var pages = {};
  var tip = null;
  var current = null;

  function page(path) {
    if (!pages[path]) {
      pages[path] = fetch(path)
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); })
        .catch(function () { return null; });
    }
    return pages[path];
  }

  function target(link) {
    var url = new URL(link.getAttribute("href"), location.href);
    var id = decodeURIComponent(url.hash.slice(1));
    if (!id) return Promise.resolve(null);
    if (url.origin === location.origin && url.pathname === location.pathname) {
      return Promise.resolve(document.getElementById(id));
    }
    if (url.origin !== location.origin || location.protocol === "file:") {
      return Promise.resolve(null);
    }
    return page(url.pathname).then(function (doc) { return doc && doc.getElementById(id); });
  }

  function hide() {
    if (tip) tip.remove();
    if (current) current.removeAttribute("aria-describedby");
    tip = null;
    current = null;
  }

  function show(link) {
    if (current === link) return;
    hide();
    current = link;
    target(link).then(function (element) {
      if (current !== link || !element) return;
      var copy = element.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
      copy.querySelectorAll(".infotheory-backlink, .headerlink").forEach(function (node) {
        node.remove();
      });
      tip = document.createElement("div");
      tip.className = "infotheory-preview md-typeset";
      tip.id = "infotheory-preview";
      tip.setAttribute("role", "tooltip");
      var parent = element.parentElement;
      if (element.tagName === "LI" && parent) {
        var list = document.createElement(parent.tagName);  // a list item stays in a list
        list.className = parent.className;
        list.appendChild(copy);
        copy = list;
      }
      tip.appendChild(copy);
      document.body.appendChild(tip);
      link.setAttribute("aria-describedby", tip.id);
      var box = link.getBoundingClientRect();
      var left = Math.max(8, Math.min(box.left, window.innerWidth - tip.offsetWidth - 8));
      var below = box.bottom + tip.offsetHeight + 8 < window.innerHeight;
      var top = below ? box.bottom + 6 : box.top - tip.offsetHeight - 6;
      tip.style.left = left + window.scrollX + "px";
      tip.style.top = Math.max(8, top) + window.scrollY + "px";
      if (window.MathJax && MathJax.typesetPromise && copy.querySelector(".arithmatex")) {
        MathJax.typesetPromise([tip]);
      }
    });
  }

  function over(event) {
    var link = event.target.closest && event.target.closest(SELECTOR);
    if (link) show(link);
  }

  function out(event) {
    var link = event.target.closest && event.target.closest(SELECTOR);
    if (link && link === current && !link.contains(event.relatedTarget)) hide();
  }

  document.addEventListener("mouseover", over);
  document.addEventListener("focusin", over);
  document.addEventListener("mouseout", out);
  document.addEventListener("focusout", out);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
})();
