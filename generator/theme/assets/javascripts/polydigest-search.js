// polydigest: the header search dialog (partials/search.html), answered by Pagefind.
// Pagefind's index lives in <language site>/pagefind/ and is fetched in small chunks on
// the first keystroke, never on page load. Keys as in Material: "/", "s" or "f" open the
// search, Escape closes it, arrow keys move through the results, Enter opens one. The header's
// search button (a label Material's CSS styles) opens it with Enter or Space too, says whether
// it is open (aria-expanded), and gets the focus back when Escape closes the search.
(function () {
  "use strict";
  var root = document.querySelector("[data-pd-search]");
  var toggle = document.getElementById("__search");
  if (!root || !toggle) return;
  var button = document.querySelector("[data-pd-search-button]");
  var input = root.querySelector(".md-search__input");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var base = new URL(root.dataset.pdBase + "/", window.location.href);
  var pagefind = null;
  var shown = 10;

  function engine() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
        // noWorker: searching in the page's own thread spares the reader pagefind-worker.js
        // (41 KB, a seventh of a first search's download at 10,000 articles).
        return module.options({ baseUrl: base.pathname, excerptLength: 24, highlightParam: "h", noWorker: true })
          .then(function () { return module; });
      });
    }
    return pagefind;
  }

  // Only Pagefind's <mark> survives: any other "<" becomes text.
  function excerptHtml(excerpt) {
    return excerpt.replace(/<(?!\/?mark>)/g, "&lt;");
  }

  function count(n) {
    if (n === 0) return root.dataset.pdNone;
    return n === 1 ? root.dataset.pdOne : root.dataset.pdOther.replace("#", String(n));
  }

  function show(results, total) {
    meta.textContent = count(total);
    list.replaceChildren.apply(list, results.map(function (result) {
      var item = document.createElement("li");
      item.className = "md-search-result__item";
      var link = document.createElement("a");
      link.className = "md-search-result__link";
      link.href = result.url;
      link.tabIndex = -1;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var title = document.createElement("h1");
      title.textContent = (result.meta && result.meta.title) || result.url;
      var text = document.createElement("p");
      text.innerHTML = excerptHtml(result.excerpt || "");
      article.append(title, text);
      link.append(article);
      item.append(link);
      return item;
    }));
  }

  var asked = 0;
  function search() {
    var query = input.value.trim();
    var ask = ++asked;
    if (!query) {
      meta.textContent = root.dataset.pdPlaceholder;
      list.replaceChildren();
      return;
    }
    engine().then(function (module) { return module.debouncedSearch(query, {}, 120); }).then(function (found) {
      if (!found || ask !== asked) return null; // a newer keystroke took over
      return Promise.all(found.results.slice(0, shown).map(function (r) { return r.data(); })).then(function (data) {
        if (ask === asked) show(data, found.results.length);
      });
    }).catch(function (error) {
      meta.textContent = root.dataset.pdNone;
      console.warn("polydigest search:", error);
    });
  }

  function expanded() {
    if (button) button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
  }

  // Opens or closes the search as a click on Material's toggle does: Material's script hears
  // the change and, on a small screen, stops the page behind the search from scrolling (its
  // full-screen backdrop is wider than the screen, so the page would scroll sideways).
  function setOpen(state) {
    if (toggle.checked === state) return;
    toggle.checked = state;
    toggle.dispatchEvent(new Event("change"));
  }

  function open() {
    setOpen(true);
    input.focus();
    input.select();
  }

  // Escape: the focus goes back to the search button when it is what opened the search (a
  // small screen), else it leaves the input.
  function close() {
    setOpen(false);
    if (button && button.offsetParent !== null) button.focus();
    else input.blur();
  }

  function editable(element) {
    return element && (element.isContentEditable || /^(input|select|textarea)$/i.test(element.tagName));
  }

  function move(step) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : links.length - 1) : at + step;
    if (next < 0 || next >= links.length) input.focus();
    else links[next].focus();
  }

  input.addEventListener("input", search);
  input.addEventListener("focus", function () { setOpen(true); engine(); });
  root.querySelector("form").addEventListener("reset", function () { setTimeout(search, 0); });
  root.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a.md-search-result__link");
    if (first) window.location.href = first.href;
  });
  toggle.addEventListener("change", function () { expanded(); if (toggle.checked) input.focus(); });
  // Tab out of the search closes it: the keyboard's focus is never left behind its overlay.
  root.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (toggle.checked && next && !root.contains(next) && next !== button) setOpen(false);
  });
  if (button) {
    button.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); }
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (toggle.checked) {
      if (event.key === "Escape") { event.preventDefault(); close(); }
      else if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    } else if (!editable(event.target) && (event.key === "/" || event.key === "s" || event.key === "f")) {
      event.preventDefault();
      open();
    }
  });

  // A page opened from a result: mark the words searched for (Pagefind's highlighter).
  if (new URLSearchParams(window.location.search).has("h")) {
    import(new URL("pagefind/pagefind-highlight.js", base).href).then(function () {
      new window.PagefindHighlight({ highlightParam: "h" });
    }).catch(function () {});
  }
})();
