// gongshi: small enhancements; every page works without this file.
(function () {
  "use strict";
  var KEY = "gongshi-edition";
  function store(lang) {
    try { window.localStorage.setItem(KEY, lang); } catch (e) { /* storage disabled: nothing to remember */ }
  }
  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-edition]");
    if (link) { store(link.getAttribute("data-edition")); }
  });
  // On the edition chooser, go straight to the edition chosen before.
  if (document.body && document.body.classList.contains("chooser")) {
    var lang = stored();
    var target = lang && document.querySelector('a[data-edition="' + lang + '"]');
    if (target) { window.location.replace(target.href); }
  }
})();
