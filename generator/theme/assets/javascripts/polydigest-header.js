// polydigest: the header, for every reader (WCAG 2.1 AA; see polydigest.css).
// - Material shows the site's name, then the page's title once the page's own heading scrolls
//   away. A title too long for the header would show cut off ("O Estado Islâmico pediu aos…"
//   on a phone): the header then keeps the site's name (.pd-title-cut); measured again when the
//   window changes size. A title render.py marked as in another language keeps its lang there.
// - On a small screen the navigation is a drawer opened by a menu icon Material makes a label
//   only a mouse can use: it becomes a button the keyboard reaches (Enter or Space opens the
//   drawer and moves into it, Escape closes it and comes back). While closed, the drawer's links
//   are out of the Tab order (polydigest.css), so the focus never lands on something hidden.
(function () {
  "use strict";
  var title = document.querySelector(".md-header__title");
  var topics = title ? title.querySelectorAll(".md-header__topic .md-ellipsis") : [];
  if (topics.length === 2) {
    var page = topics[1];
    var measure = function () {
      title.classList.toggle("pd-title-cut", page.scrollWidth > page.clientWidth + 1);
    };
    measure();
    window.addEventListener("resize", measure);
    var heading = document.querySelector(".md-content h1");
    var marked = heading && heading.querySelector("[lang]");
    if (marked && marked.textContent.trim() === heading.textContent.trim()) {
      page.setAttribute("lang", marked.getAttribute("lang"));
    }
  }

  var drawer = document.getElementById("__drawer");
  var menu = document.querySelector('.md-header__button[for="__drawer"]');
  var sidebar = document.querySelector(".md-sidebar--primary");
  if (!drawer || !menu || !sidebar) return;
  var navigation = sidebar.querySelector("nav[aria-label]");
  menu.setAttribute("role", "button");
  menu.setAttribute("tabindex", "0");
  menu.setAttribute("aria-label", navigation ? navigation.getAttribute("aria-label") : "Menu");
  function expanded() {
    menu.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
  }
  function setOpen(state) {
    if (drawer.checked === state) return;
    drawer.checked = state;
    drawer.dispatchEvent(new Event("change"));  // as a click: Material's script hears it
  }
  expanded();
  drawer.addEventListener("change", expanded);
  menu.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    setOpen(!drawer.checked);
    var first = drawer.checked && sidebar.querySelector("a[href]");
    if (first) first.focus();
  });
  sidebar.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer.checked && menu.offsetParent !== null) {
      setOpen(false);
      menu.focus();
    }
  });
  sidebar.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (drawer.checked && next && !sidebar.contains(next) && next !== menu) setOpen(false);
  });
})();
