// gongshi: small enhancements; every page works without this file.
(function () {
  "use strict";
  var EDITION = "gongshi-edition";
  var CONTRAST = "gongshi-contrast";
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* storage disabled: nothing to remember */ }
  }
  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  // Remember the edition the reader picks.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-edition]");
    if (link) { store(EDITION, link.getAttribute("data-edition")); }
  });
  // On the edition chooser, go straight to the edition chosen before.
  if (document.body && document.body.classList.contains("chooser")) {
    var lang = stored(EDITION);
    var target = lang && document.querySelector('a[data-edition="' + lang + '"]');
    if (target) { window.location.replace(target.href); }
  }

  // Large text and high contrast (适老化), remembered across pages.
  var root = document.documentElement;
  if (stored(CONTRAST) === "high") { root.setAttribute("data-contrast", "high"); }
  var toggle = document.querySelector(".contrast-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.setAttribute("aria-pressed", String(root.getAttribute("data-contrast") === "high"));
    toggle.addEventListener("click", function () {
      var on = root.getAttribute("data-contrast") !== "high";
      if (on) { root.setAttribute("data-contrast", "high"); } else { root.removeAttribute("data-contrast"); }
      toggle.setAttribute("aria-pressed", String(on));
      store(CONTRAST, on ? "high" : "normal");
    });
  }

  // Instant filtering of initiative lists; the filter links work without it.
  var form = document.querySelector("form.js-filter");
  var list = document.querySelector("[data-filterable]");
  if (form && list) {
    form.hidden = false;
    var cards = Array.prototype.slice.call(list.querySelectorAll(".card"));
    var count = form.querySelector(".filter-count");
    var apply = function () {
      var shown = 0;
      cards.forEach(function (card) {
        var ok = Array.prototype.every.call(form.querySelectorAll("select"), function (select) {
          return !select.value || (card.getAttribute("data-" + select.name) || "").split(" ").indexOf(select.value) >= 0;
        });
        card.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = count.getAttribute("data-template") ?
        count.getAttribute("data-template").replace("{n}", shown) : String(shown);
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }
})();
