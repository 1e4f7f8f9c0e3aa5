/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  /* Preview only (python build.py serve): the reload client, from the preview server
     itself (the page's Content-Security-Policy allows no inline script, so livereload's own
     inline loader does not run). The preview server lays any problems over the page. */
  if (document.documentElement.getAttribute("data-preview") === "true") {
    var reload = document.createElement("script");
    reload.src = "/livereload.js?port=" + (window.location.port || 80);
    document.head.appendChild(reload);
  }

  /* Contents: collapsed on phones, open beside the text on wide screens. */
  var toc = document.querySelector(".toc details");
  var wide = window.matchMedia("(min-width: 64rem)");
  function fitToc() { if (toc) { toc.open = wide.matches; } }
  fitToc();
  if (wide.addEventListener) { wide.addEventListener("change", fitToc); }

  /* Clicking a contents entry (or a citation) moves focus to its target, not just the scroll. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('.toc a[href^="#"], sup.citation a, a.backlink');
    if (!link) { return; }
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    var target = document.getElementById(id);
    if (!target) { return; }
    event.preventDefault();
    if (toc && !wide.matches && link.closest(".toc")) { toc.open = false; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    history.pushState(null, "", "#" + encodeURIComponent(id));
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  });

  /* Highlight the section being read. */
  var links = Array.prototype.slice.call(document.querySelectorAll('.toc a[href^="#"]'));
  if (links.length && "IntersectionObserver" in window) {
    var byId = {};
    links.forEach(function (a) { byId[decodeURIComponent(a.getAttribute("href").slice(1))] = a; });
    var headings = Object.keys(byId).map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    var mark = function (id) {
      links.forEach(function (a) { a.removeAttribute("aria-current"); });
      if (byId[id]) { byId[id].setAttribute("aria-current", "true"); }
    };
    var observer = new IntersectionObserver(function () {
      var current = null;
      headings.forEach(function (h) { if (h.getBoundingClientRect().top < window.innerHeight * 0.3) { current = h; } });
      mark(current ? current.id : headings[0].id);
    }, { rootMargin: "0px 0px -70% 0px", threshold: [0, 1] });
    headings.forEach(function (h) { observer.observe(h); });
  }

  /* Search with Pagefind's own index (same origin, works offline and on a sub-path). */
  var form = document.querySelector("form.search-form");
  if (!form) { return; }
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var bundle = form.getAttribute("data-pagefind-url");
  var engine = null;
  function load() {
    if (!engine) {
      engine = import(bundle + "pagefind.js").then(function (pf) {
        return pf.options({ baseUrl: bundle.replace(/pagefind\/$/, "") }).then(function () { return pf; });
      });
    }
    return engine;
  }
  function show(query) {
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    load().then(function (pf) { return pf.search(query); }).then(function (search) {
      return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (results) {
      status.textContent = results.length ? results.length + (results.length === 1 ? " article found" : " articles found")
        : "No articles found. Try another word.";
      results.forEach(function (data) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = data.url;
        link.textContent = (data.meta && data.meta.title) || data.url;
        var excerpt = document.createElement("p");
        excerpt.innerHTML = data.excerpt; /* Pagefind escapes the text and adds only <mark> */
        item.appendChild(link);
        item.appendChild(excerpt);
        list.appendChild(item);
      });
    }).catch(function () { status.textContent = "Search is not available right now."; });
  }
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); show(params.get("q")); }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : window.location.pathname);
    show(query);
  });
})();
