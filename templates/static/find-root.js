// Inlined into 404.html (allowed by its hash in the page's Content-Security-Policy), which a host serves
// for any missing address, at any depth below the site. The page's links and stylesheet are written
// from the site root, which works when it is served at the top level; deeper, this finds the root (the
// nearest folder above the address holding gongshi's static/favicon.svg) and resolves them from there.
(function () {
  var folders = location.pathname.split("/").slice(0, -1);
  function tryAt(count) {
    if (count < 1) { return; }
    var root = folders.slice(0, count).join("/") + "/";
    fetch(root + "static/favicon.svg", { method: "HEAD" }).then(function (response) {
      var svg = (response.headers.get("content-type") || "").indexOf("svg") >= 0;
      if (response.ok && svg) { use(root); } else { tryAt(count - 1); }
    }, function () { tryAt(count - 1); });
  }
  function use(root) {
    var base = document.createElement("base");
    base.href = root;
    document.head.insertBefore(base, document.head.firstChild);
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (link) {
      link.href = new URL(link.getAttribute("href"), base.href).href;
    });
  }
  if (location.protocol !== "file:") { tryAt(folders.length); }
})();
