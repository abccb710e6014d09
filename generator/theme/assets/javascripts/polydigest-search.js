// polydigest: the header search dialog, answered by Pagefind. The page carries only the
// search button (partials/search.html) with the dialog's texts; this cached script builds the
// dialog from them, in Material's markup and classes. Pagefind's index lives in
// <language site>/pagefind/ and is fetched in small chunks on the first keystroke, never on
// page load. Keys as in Material: "/", "s" or "f" open the search, Escape closes it, arrow
// keys move through the results, Enter opens one. The header's search button (a label
// Material's CSS styles) opens it with Enter or Space too, says whether it is open
// (aria-expanded), and gets the focus back when Escape closes the search. A large archive's
// index is cut into shards, newest articles first (publish.index_search): a search covers the
// first, and a button after its results ("Older") searches the next shard and adds its
// results to the list; each shard is fetched only when asked for. Pagefind's documents each
// hold several articles (publish.SEARCH_DOCUMENT_ARTICLES), each under a heading whose id is
// its address: every heading a search matches is listed as one result, the article.
(function () {
  "use strict";
  var button = document.querySelector("[data-pd-search-button]");
  var toggle = document.getElementById("__search");
  if (!button || !toggle) return;
  var texts = button.dataset;
  // Material's magnify, arrow-left and close icons, as its search dialog shows them.
  var SEARCH = "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 " +
    "6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5";
  var BACK = "M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z";
  var CLOSE = "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z";

  function element(tag, attributes, children) {
    var made = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { made.setAttribute(name, attributes[name]); });
    made.append.apply(made, children || []);
    return made;
  }

  function icon(path) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    var shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
    shape.setAttribute("d", path);
    svg.append(shape);
    return svg;
  }

  var input = element("input", { type: "text", "class": "md-search__input", name: "query", "aria-label": texts.pdInput,
    placeholder: texts.pdInput, autocapitalize: "off", autocorrect: "off", autocomplete: "off", spellcheck: "false",
    required: "" });
  var meta = element("div", { "class": "md-search-result__meta", "aria-live": "polite" }, [texts.pdPlaceholder]);
  var list = element("ol", { "class": "md-search-result__list", role: "presentation" });
  var olderButton = element("button", { type: "button", "class": "md-button" }, [texts.pdOlder]);
  var older = element("div", { "class": "md-typeset pd-search-older", hidden: "" }, [olderButton]);
  // not name="search": Material would fetch its lunr index for a form of that name
  var form = element("form", { "class": "md-search__form" }, [
    input,
    element("label", { "class": "md-search__icon md-icon", "for": "__search" },
            [icon(SEARCH), icon(BACK)]),
    element("div", { "class": "md-search__options" }, [
      element("button", { type: "reset", "class": "md-search__icon md-icon", title: texts.pdReset,
                          "aria-label": texts.pdReset, tabindex: "-1" }, [icon(CLOSE)])])]);
  var root = element("div", { "class": "md-search", id: "pd-search", role: "dialog", "aria-label": button.getAttribute("aria-label") }, [
    element("label", { "class": "md-search__overlay", "for": "__search" }),
    element("div", { "class": "md-search__inner", role: "search" }, [
      form,
      element("div", { "class": "md-search__output" }, [
        element("div", { "class": "md-search__scrollwrap", tabindex: "0", "data-md-scrollfix": "" }, [
          element("div", { "class": "md-search-result" }, [meta, list, older])])])])]);
  button.after(root);
  var base = new URL(texts.pdBase + "/", window.location.href);
  // noWorker: searching in the page's own thread spares the reader pagefind-worker.js
  // (41 KB, a seventh of a first search's download at 10,000 articles).
  var OPTIONS = { baseUrl: base.pathname, excerptLength: 24, highlightParam: "h", noWorker: true };
  var pagefind = null;
  var olderFolders = null; // the older shards' folders, newest first (pagefind/shards.json)
  var olderShards = {}; // folder -> its Pagefind instance, made by the first shard's pagefind.js
  var shown = 10; // articles listed for a shard
  var BATCH = 4; // documents fetched at a time until that many are found

  function engine() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
        return module.options(OPTIONS).then(function () { return module; });
      });
      olderFolders = fetch(new URL("pagefind/shards.json", base).href)
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; });
    }
    return pagefind;
  }

  function olderShard(folder) {
    if (!olderShards[folder]) {
      olderShards[folder] = engine().then(function (module) {
        return module.createInstance(Object.assign({ basePath: new URL(folder + "/", base).pathname }, OPTIONS));
      });
    }
    return olderShards[folder];
  }

  // Only Pagefind's <mark> survives: any other "<" becomes text.
  function excerptHtml(excerpt) {
    return excerpt.replace(/<(?!\/?mark>)/g, "&lt;");
  }

  // "12 matching documents"; "10+ …" when documents were left unread.
  function count(n, more) {
    if (more) return texts.pdOther.replace("#", n + "+");
    if (n === 0) return texts.pdNone;
    return n === 1 ? texts.pdOne : texts.pdOther.replace("#", String(n));
  }

  function resultItem(result) {
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
  }

  // The query shown, its results' count and the older shards left to search for it.
  var shownQuery = null;

  function offerOlder() {
    older.hidden = !(shownQuery && shownQuery.folders.length);
  }

  // The articles a search document's data holds that the search matched: address (with
  // Pagefind's highlight parameter), title, excerpt, and weight (the sum of its matches' scores).
  function articlesOf(data) {
    return (data.sub_results || []).filter(function (sub) { return sub.anchor && sub.anchor.id; })
      .map(function (sub) {
        var url = new URL(sub.anchor.id, base);
        url.search = new URL(sub.url, base).search;
        var weight = (sub.weighted_locations || []).reduce(function (sum, at) { return sum + at.balanced_score; }, 0);
        return { url: url.pathname + url.search, meta: { title: sub.title }, excerpt: sub.excerpt, weight: weight };
      });
  }

  // The articles listed for a search's ``found`` (documents by Pagefind's relevance): those of
  // its first documents, fetched BATCH at a time until ``shown`` articles are found, by their
  // own weight; ``total``, how many the documents read hold, and ``more``, whether any were left unread.
  function firstResults(found) {
    var articles = [];
    function read(start) {
      if (articles.length >= shown || start >= found.results.length) {
        articles.sort(function (a, b) { return b.weight - a.weight; });
        return { results: articles.slice(0, shown), total: articles.length, more: start < found.results.length };
      }
      return Promise.all(found.results.slice(start, start + BATCH).map(function (r) { return r.data(); }))
        .then(function (documents) {
          documents.forEach(function (data) { articles.push.apply(articles, articlesOf(data)); });
          return read(start + BATCH);
        });
    }
    return read(0);
  }

  function show(query, found, folders) {
    shownQuery = { query: query, total: found.total, more: found.more, folders: folders };
    meta.textContent = count(found.total, found.more);
    list.replaceChildren.apply(list, found.results.map(resultItem));
    offerOlder();
  }

  // The next older shard's results after the list; the keyboard's focus goes to the first.
  function searchOlder() {
    var searched = shownQuery;
    if (!searched || !searched.folders.length || searched.searching) return;
    searched.searching = true;
    olderShard(searched.folders[0]).then(function (shard) { return shard.search(searched.query); }).then(function (found) {
      return firstResults(found).then(function (articles) {
        if (searched !== shownQuery) return;
        searched.total += articles.total;
        searched.more = searched.more || articles.more;
        searched.folders = searched.folders.slice(1);
        meta.textContent = count(searched.total, searched.more);
        var items = articles.results.map(resultItem);
        list.append.apply(list, items);
        offerOlder();
        if (items.length) items[0].firstChild.focus();
        else if (older.hidden) input.focus();
      });
    }).catch(function (error) {
      console.warn("polydigest search:", error);
    }).then(function () { searched.searching = false; });
  }

  var asked = 0;
  function search() {
    var query = input.value.trim();
    var ask = ++asked;
    if (!query) {
      shownQuery = null;
      meta.textContent = texts.pdPlaceholder;
      list.replaceChildren();
      offerOlder();
      return;
    }
    engine().then(function (module) { return module.debouncedSearch(query, {}, 120); }).then(function (found) {
      if (!found || ask !== asked) return null; // a newer keystroke took over
      return Promise.all([olderFolders, firstResults(found)])
        .then(function (done) {
          if (ask === asked) show(query, done[1], done[0]);
        });
    }).catch(function (error) {
      meta.textContent = texts.pdNone;
      console.warn("polydigest search:", error);
    });
  }

  function expanded() {
    button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
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
    if (button.offsetParent !== null) button.focus();
    else input.blur();
  }

  function editable(element) {
    return element && (element.isContentEditable || /^(input|select|textarea)$/i.test(element.tagName));
  }

  function move(step) {
    var links = Array.prototype.slice.call(
      root.querySelectorAll("a.md-search-result__link, .pd-search-older:not([hidden]) button"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : links.length - 1) : at + step;
    if (next < 0 || next >= links.length) input.focus();
    else links[next].focus();
  }

  input.addEventListener("input", search);
  olderButton.addEventListener("click", searchOlder);
  input.addEventListener("focus", function () { setOpen(true); engine(); });
  form.addEventListener("reset", function () { setTimeout(search, 0); });
  form.addEventListener("submit", function (event) {
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
  button.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); }
  });
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
