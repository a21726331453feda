// Search with Pagefind's JavaScript API. Each edition has its own main bundle, <edition>/pagefind/, beside
// this page's folder (<edition>/search/); a large edition's is in parts (pagefind-2/, pagefind-3/, …, each
// indexed on its own), merged into the first. Pages changed since the main bundle was made are in one more
// bundle, <edition>/pagefind-delta/, merged too. delta.json there lists the other parts and the ids of the
// changed pages' old versions in the main bundle, hidden from the results.
const form = document.querySelector(".search-form");
const input = form.querySelector("input[name=q]");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const options = { excerptLength: 40 };
let pagefind = null;
let superseded = new Set();

async function load() {
  if (!pagefind) {
    const api = await import(new URL("../pagefind/pagefind.js", window.location.href).href);
    await api.options(options);
    const delta = new URL("../pagefind-delta/", window.location.href);
    const response = await fetch(new URL("delta.json", delta));
    if (response.ok) {
      const info = await response.json();
      superseded = new Set(info.superseded);
      const bundles = info.parts.map(function (part) { return new URL(part, delta).href; });
      if (info.merge) { bundles.push(delta.href); }
      // A merged index takes its options from mergeIndex, not from api.options.
      await Promise.all(bundles.map(function (bundle) { return api.mergeIndex(bundle, options); }));
    }
    pagefind = api;
  }
  return pagefind;
}

// Pagefind marks matches with <mark>; build the excerpt as text nodes, never as HTML.
function excerpt(text) {
  const p = document.createElement("p");
  text.split(/(<mark>.*?<\/mark>)/).forEach(function (part) {
    const hit = part.match(/^<mark>(.*)<\/mark>$/);
    const node = hit ? document.createElement("mark") : document.createTextNode(decode(part));
    if (hit) { node.textContent = decode(hit[1]); }
    p.appendChild(node);
  });
  return p;
}

function decode(text) {
  const area = document.createElement("textarea");
  area.innerHTML = text;
  return area.value;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  let api;
  try { api = await load(); } catch (e) { status.textContent = status.dataset.unavailable; return; }
  const found = await api.search(query);
  const current = found.results.filter(function (r) { return !superseded.has(r.id); });
  const results = await Promise.all(current.slice(0, 30).map(function (r) { return r.data(); }));
  status.textContent = results.length ? status.dataset.count.replace("{n}", String(current.length))
    : status.dataset.none;
  results.forEach(function (data) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    // Pagefind gives each page's address from the site root it was loaded from: use it as it is.
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    const heading = document.createElement("h2");
    heading.appendChild(link);
    item.appendChild(heading);
    item.appendChild(excerpt(data.excerpt || ""));
    list.appendChild(item);
  });
}

let timer = null;
input.addEventListener("input", function () {
  clearTimeout(timer);
  timer = setTimeout(function () { run(input.value); }, 200);
});
form.addEventListener("submit", function (event) {
  event.preventDefault();
  const url = new URL(window.location.href);
  url.searchParams.set("q", input.value);
  window.history.replaceState(null, "", url);
  run(input.value);
});
const initial = new URL(window.location.href).searchParams.get("q");
if (initial) { input.value = initial; run(initial); }
