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

  var wide = window.matchMedia("(min-width: 64rem)");
  var phone = window.matchMedia("(max-width: 40rem)");

  /* Menu and search: folded behind the "Menu" button on phones, so the first screen shows
     the article; always open on wider screens and without script. */
  var menu = document.getElementById("site-menu");
  var toggle = document.querySelector(".menu-toggle");
  function setMenu(open) {
    if (!menu || !toggle) { return; }
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { menu.removeAttribute("data-folded"); } else { menu.setAttribute("data-folded", ""); }
  }
  function fitMenu() {
    if (!toggle) { return; }
    toggle.hidden = !phone.matches;
    setMenu(!phone.matches);
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      setMenu(open);
      if (open) { var first = menu.querySelector("a, input"); if (first) { first.focus(); } }
    });
    fitMenu();
    if (phone.addEventListener) { phone.addEventListener("change", fitMenu); }
  }

  /* Contents: collapsed on phones, open beside the text on wide screens. */
  var toc = document.querySelector(".toc details");
  var tocList = document.querySelector(".toc-list");
  function fitToc() { if (toc) { toc.open = wide.matches; } }
  fitToc();
  if (wide.addEventListener) { wide.addEventListener("change", fitToc); }

  function goTo(target) {
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    history.pushState(null, "", "#" + encodeURIComponent(target.id));
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }

  /* Clicking a contents entry (or a citation) moves focus to its target, not just the scroll. */
  document.addEventListener("click", function (event) {
    var back = event.target.closest && event.target.closest("a.back-to-contents");
    if (back && toc) {
      event.preventDefault();
      toc.open = true;
      goTo(toc.querySelector("summary"));
      return;
    }
    var link = event.target.closest && event.target.closest('.toc a[href^="#"], sup.citation a, a.backlink');
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    event.preventDefault();
    if (toc && !wide.matches && link.closest(".toc")) { toc.open = false; }
    goTo(target);
  });

  /* Highlight the section being read: the last heading that has reached the reading line
     near the top of the window (at the end of the page, the last one on screen), and keep
     that entry in view inside the contents panel. Measured after each scroll, once a frame. */
  var links = Array.prototype.slice.call(document.querySelectorAll('.toc a[href^="#"]'));
  var headings = links.map(function (a) {
    return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
  });
  function current() {
    var line = Math.min(120, window.innerHeight * 0.2);
    var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    var found = 0;
    headings.forEach(function (h, i) {
      if (!h) { return; }
      var top = h.getBoundingClientRect().top;
      if (top <= line || (atEnd && top < window.innerHeight)) { found = i; }
    });
    return found;
  }
  function keepInView(link) {
    if (!tocList || tocList.scrollHeight <= tocList.clientHeight) { return; }
    var box = tocList.getBoundingClientRect(), item = link.getBoundingClientRect();
    if (item.top < box.top) {
      tocList.scrollTop -= box.top - item.top + 8;
    } else if (item.bottom > box.bottom) {
      tocList.scrollTop += item.bottom - box.bottom + 8;
    }
  }
  var scheduled = false;
  function mark() {
    scheduled = false;
    var index = current();
    links.forEach(function (a, i) {
      if (i === index) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
    });
    if (links[index] && toc && toc.open) { keepInView(links[index]); }
    showFloat();
  }
  function schedule() { if (!scheduled) { scheduled = true; window.requestAnimationFrame(mark); } }

  /* Phones: "Back to contents" and "Call" appear once the contents are scrolled away. */
  var float = document.querySelector(".float-actions");
  var tocBox = document.querySelector("nav.toc") || document.querySelector(".post-header");
  function showFloat() {
    if (!float || !tocBox) { return; }
    float.hidden = wide.matches || tocBox.getBoundingClientRect().bottom > 0;
  }
  if (links.length || float) {
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    if (toc) { toc.addEventListener("toggle", schedule); }
    mark();
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
    status.textContent = form.getAttribute("data-searching");
    load().then(function (pf) { return pf.search(query); }).then(function (search) {
      return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (results) {
      /* The page's own words, in its language (search.html). */
      status.textContent = !results.length ? form.getAttribute("data-none")
        : results.length === 1 ? form.getAttribute("data-found-one")
        : form.getAttribute("data-found-many").replace("{count}", String(results.length));
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
    }).catch(function () { status.textContent = form.getAttribute("data-unavailable"); });
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
