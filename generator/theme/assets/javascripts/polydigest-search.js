// polydigest: the header search dialog, answered by Pagefind. The page carries only the
// search button (partials/search.html) with the dialog's texts; this cached script builds the
// dialog from them, in Material's markup and classes. Pagefind's index lives in
// <language site>/pagefind/ and is fetched in small chunks on the first keystroke, never on
// page load. Keys as in Material: "/", "s" or "f" open the search, Escape closes it, arrow
// keys move through the results, Enter opens one. The header's search button (a label
// Material's CSS styles) opens it with Enter or Space too, says whether it is open
// (aria-expanded), and gets the focus back when Escape closes the search. A large archive's
// index is cut into shards, newest articles first (publish.index_search): a search covers the
// first; a button after its results lists ten more ("More results") while the shard holds
// more, then searches the next shard ("Older") and adds its results to the list; each shard is
// fetched only when asked for. Pagefind's documents each
// hold several articles (publish.SEARCH_DOCUMENT_ARTICLES), each under a heading whose id is
// its address: an article holding every word of the query (and each quoted phrase in a row) is
// listed as one result.
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
  var longest = {}; // folder -> the most words an article of its documents holds, or null
  var shown = 10; // articles listed for a shard
  var BATCH = 8; // documents fetched at a time, in parallel, until that many are found
  var READ_AT_ONCE = 40; // documents read at most for one list; "More results" reads on

  function engine() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
        return module.options(OPTIONS).then(function () { return module; });
      });
      longestArticle("pagefind");
      olderFolders = fetch(new URL("pagefind/shards.json", base).href)
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; });
    }
    return pagefind;
  }

  // A shard's longest article in words (publish.LONGEST_FILE), fetched once; null when unknown.
  function longestArticle(folder) {
    if (!longest[folder]) {
      // never an earlier build's number from a cache: a smaller one would skip documents
      longest[folder] = fetch(new URL(folder + "/longest-article.json?ts=" + Date.now(), base).href)
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (words) { return typeof words === "number" ? words : null; })
        .catch(function () { return null; });
    }
    return longest[folder];
  }

  function olderShard(folder) {
    if (!olderShards[folder]) {
      olderShards[folder] = engine().then(function (module) {
        return module.createInstance(Object.assign({ basePath: new URL(folder + "/", base).pathname }, OPTIONS));
      });
    }
    return olderShards[folder];
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
    title.textContent = result.title;
    var text = document.createElement("p");
    result.excerpt.forEach(function (part, n) {
      if (n) text.append(" ");
      text.append(part.marked ? element("mark", {}, [part.text]) : part.text);
    });
    article.append(title, text);
    link.append(article);
    item.append(link);
    return item;
  }

  // What is shown: the query, the shard being listed (``current``, a shardSearch), the older
  // shards left (``folders``), the articles listed of the shards done (``done``).
  var shownQuery = null;

  // A query's words, each to be found in an article, and its quoted phrases, each word by word
  // in a row: what Pagefind asks of a page, asked here of each article of a document.
  function queryParts(query) {
    var phrases = [];
    var rest = query.replace(/"([^"]*)"/g, function (_, phrase) {
      var words = phrase.trim().split(/\s+/).filter(Boolean);
      if (words.length > 1) phrases.push(words);
      return " " + phrase + " ";
    });
    var words = rest.replace(/"/g, " ").trim().split(/\s+/).filter(Boolean);
    return { words: words.filter(function (word, at) { return words.indexOf(word) === at; }), phrases: phrases };
  }

  // Where each word of ``parts`` is in the documents of ``shard`` (a Pagefind instance): word ->
  // { documents: how many hold it, at: document id -> its locations (word numbers) }. One search
  // per word, answered by the index chunks the whole query's search loaded. A word Pagefind finds
  // nowhere is left out, as Pagefind leaves it out of the query (punctuation alone).
  function wordLocations(shard, parts) {
    return Promise.all(parts.words.map(function (word) { return shard.search(word); })).then(function (answers) {
      var found = {};
      answers.forEach(function (answer, n) {
        if (!answer || !answer.results.length) return;
        var at = {};
        answer.results.forEach(function (result) { at[result.id] = result.words; });
        found[parts.words[n]] = { documents: answer.results.length, at: at };
      });
      return found;
    });
  }

  function within(locations, from, to) {
    return (locations || []).filter(function (location) { return location >= from && location < to; });
  }

  // The articles of one document of ``searched`` (a shardSearch; ``result``, Pagefind's, and
  // ``data``, its fragment: its headings with an id, publish.SEARCH_DOCUMENT_ARTICLES of them)
  // that hold every word and phrase of the query, each with its address (and the highlight
  // parameter), title, excerpt and score: for each word, its rarity across documents times its
  // saturating count in the article, a match in the title counting three times.
  function articlesOf(result, data, searched) {
    var parts = searched.parts;
    var locations = searched.locations;
    var content = data.content.split(/\s+/);
    var headings = data.anchors.filter(function (a) { return /^h\d$/i.test(a.element) && a.id; })
      .sort(function (a, b) { return a.location - b.location; });
    var words = Object.keys(locations);
    var articles = [];
    headings.forEach(function (heading, n) {
      var from = heading.location;
      var to = n + 1 < headings.length ? headings[n + 1].location : content.length;
      var bodyFrom = Math.min(to, from + heading.text.split(/\s+/).filter(Boolean).length);
      var matched = {};
      var score = 0;
      for (var w = 0; w < words.length; w++) {
        var here = within(locations[words[w]].at[result.id], from, to);
        if (!here.length) return;
        here.forEach(function (location) { matched[location] = true; });
        var hits = here.length + 2 * within(here, from, bodyFrom).length;
        score += hits / (hits + 1.2) / Math.log(2 + locations[words[w]].documents);
      }
      var inRow = parts.phrases.every(function (phrase) {
        var starts = within(locations[phrase[0]] && locations[phrase[0]].at[result.id], from, to);
        return starts.some(function (start) {
          return start + phrase.length <= to && phrase.every(function (word, k) {
            var at = locations[word] && locations[word].at[result.id];
            return !at || at.indexOf(start + k) >= 0;
          });
        });
      });
      if (!inRow) return;
      var inBody = Object.keys(matched).map(Number).filter(function (location) { return location >= bodyFrom; });
      var begin = inBody.length ? Math.max(bodyFrom, Math.min.apply(null, inBody) - 8) : bodyFrom;
      var excerpt = []; // runs of words, marked or not, shown a space apart
      for (var at = begin; at < Math.min(to, begin + OPTIONS.excerptLength); at++) {
        var last = excerpt[excerpt.length - 1];
        var marked = !!matched[at];
        if (last && last.marked === marked) last.text += " " + content[at];
        else excerpt.push({ text: content[at], marked: marked });
      }
      articles.push({ url: new URL(heading.id, base).pathname + searched.highlight, title: heading.text,
                      excerpt: excerpt, score: score });
    });
    return articles;
  }

  // A search of one shard (its ``folder``), listed ``shown`` articles at a time: its documents
  // (``found``, by Pagefind's relevance) that may hold every word in one article (``mayHoldAll``)
  // are fetched BATCH at a time in parallel until that many articles are found or READ_AT_ONCE
  // documents were fetched (a document can match words spread over its articles and hold none:
  // "police music" read 74 of them one by one); ``pending``, those found and not yet
  // listed; ``highlight``, the query string that has an opened article mark the words searched
  // for (Pagefind's highlighter). ``stale()`` turns true when another query took over.
  function shardSearch(shard, folder, query, found, stale) {
    var parts = queryParts(query);
    var highlight = new URLSearchParams();
    query.split(/\s+/).filter(Boolean).forEach(function (word) { highlight.append("h", word.replace(/"/g, "")); });
    return Promise.all([wordLocations(shard, parts), longestArticle(folder)]).then(function (done) {
      return { query: query, found: found, parts: parts, locations: done[0], longest: done[1],
               highlight: "?" + highlight, read: 0, listed: 0, pending: [], stale: stale };
    });
  }

  // Whether a document of ``searched`` may hold an article with every word of the query: some
  // place of each word within fewer words than its shard's longest article holds (when known).
  // The others are not fetched: a two-word search of a large archive read 40 documents (110 KB)
  // whose words were in different articles, to list one.
  function mayHoldAll(result, searched) {
    var words = Object.keys(searched.locations);
    if (searched.longest === null || words.length < 2) return true;
    var places = [];
    for (var w = 0; w < words.length; w++) {
      var at = searched.locations[words[w]].at[result.id];
      if (!at || !at.length) return false;
      at.forEach(function (location) { places.push([location, w]); });
    }
    places.sort(function (a, b) { return a[0] - b[0]; });
    var counts = words.map(function () { return 0; });
    var held = 0;
    for (var from = 0, to = 0; to < places.length; to++) { // the narrowest runs holding every word
      if (counts[places[to][1]]++ === 0) held++;
      for (; held === words.length; from++) {
        if (places[to][0] - places[from][0] < searched.longest) return true;
        if (--counts[places[from][1]] === 0) held--;
      }
    }
    return false;
  }

  // The next articles of ``searched`` (a shardSearch), best first among those found; null when
  // stale. ``fetched``: documents fetched for this list so far.
  function nextArticles(searched, fetched) {
    if (searched.stale()) return Promise.resolve(null);
    var documents = searched.found.results;
    fetched = fetched || 0;
    if (searched.pending.length >= shown || searched.read >= documents.length || fetched >= READ_AT_ONCE) {
      searched.pending.sort(function (a, b) { return b.score - a.score; });
      var next = searched.pending.splice(0, shown);
      searched.listed += next.length;
      return Promise.resolve(next);
    }
    var batch = [];
    var read = searched.read; // moved on once the batch is fetched: a failed fetch loses no document
    while (batch.length < BATCH && read < documents.length) {
      var result = documents[read++];
      if (mayHoldAll(result, searched)) batch.push(result);
    }
    return Promise.all(batch.map(function (one) { return one.data(); })).then(function (data) {
      data.forEach(function (one, n) {
        searched.pending.push.apply(searched.pending, articlesOf(batch[n], one, searched));
      });
      searched.read = read;
      return nextArticles(searched, fetched + batch.length);
    });
  }

  function exhausted(searched) {
    return !searched.pending.length && searched.read >= searched.found.results.length;
  }

  function updateCount() {
    var current = shownQuery.current;
    var found = shownQuery.done + current.listed + current.pending.length;
    meta.textContent = count(found, current.read < current.found.results.length);
  }

  // The button after the list lists more of the shard ("More results"), else searches the next
  // older shard ("Older").
  function offerMore() {
    var more = shownQuery && !exhausted(shownQuery.current);
    olderButton.textContent = more ? texts.pdMore : texts.pdOlder;
    older.hidden = !(more || (shownQuery && shownQuery.folders.length));
  }

  function appendArticles(articles) {
    var items = articles.map(resultItem);
    list.append.apply(list, items);
    updateCount();
    offerMore();
    return items;
  }

  // More of the shard, else the next older shard; the keyboard's focus goes to the first added.
  function listMore() {
    var listing = shownQuery;
    if (!listing || listing.busy) return;
    listing.busy = true;
    var ask = asked; // a query typed meanwhile makes this listing stale before it is answered
    var stale = function () { return listing !== shownQuery || ask !== asked; };
    var next;
    if (!exhausted(listing.current)) {
      next = nextArticles(listing.current);
    } else if (listing.folders.length) {
      var folder = listing.folders[0];
      next = olderShard(folder).then(function (shard) {
        return shard.search(listing.query).then(function (found) {
          return shardSearch(shard, folder, listing.query, found, stale);
        });
      }).then(function (searched) {
        if (stale()) return null;
        listing.done += listing.current.listed;
        listing.current = searched;
        listing.folders = listing.folders.slice(1);
        return nextArticles(searched);
      });
    } else {
      next = Promise.resolve([]);
    }
    next.then(function (articles) {
      if (!articles || stale()) return;
      var items = appendArticles(articles);
      if (items.length) items[0].firstChild.focus();
      else if (older.hidden) input.focus();
    }).catch(function (error) {
      console.warn("polydigest search:", error);
    }).then(function () { listing.busy = false; });
  }

  // A query is searched once typing has paused this long. Not Pagefind's debouncedSearch: it
  // preloads the index chunks of every prefix typed ("e", "el", … "election r"), a third of
  // the index a first two-word search fetched (~120 of 354 KB at 100,000 articles).
  var PAUSE = 120;
  var asked = 0;
  var typing = null;
  function search() {
    var query = input.value.trim();
    var ask = ++asked;
    clearTimeout(typing);
    if (!query) {
      shownQuery = null;
      meta.textContent = texts.pdPlaceholder;
      list.replaceChildren();
      offerMore();
      return;
    }
    function stale() { return ask !== asked; } // a newer keystroke took over
    // Pagefind's script, WebAssembly and metadata load while the reader types (a failure is
    // reported by the search that waits for them, not by each keystroke's copy of the promise).
    var ready = engine().then(function (module) { return module.init().then(function () { return module; }); });
    ready.catch(function () {});
    typing = setTimeout(function () { ready.then(function (module) {
      if (stale()) return null; // typed on while Pagefind was loading
      return module.search(query).then(function (found) {
        if (!found || stale()) return null;
        return Promise.all([olderFolders, shardSearch(module, "pagefind", query, found, stale)]).then(function (done) {
          var searched = done[1];
          return nextArticles(searched).then(function (articles) {
            if (!articles || stale()) return;
            shownQuery = { query: query, current: searched, done: 0, folders: done[0] };
            list.replaceChildren();
            appendArticles(articles);
          });
        });
      });
    }).catch(function (error) {
      if (!stale()) meta.textContent = texts.pdNone;
      console.warn("polydigest search:", error);
    }); }, PAUSE);
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
  olderButton.addEventListener("click", listMore);
  input.addEventListener("focus", function () {
    setOpen(true);
    engine().catch(function () {}); // a site without articles has no index: its searches say so
  });
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
