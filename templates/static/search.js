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
let table = null;

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

// Queries pasted in the other script: chars.json maps each of its characters to the forms it can take in
// this edition's script, the usual one first (社区 → 社區 in the Traditional edition, 社區 → 社区 in the
// Simplified one). A query is searched with the usual forms; only when that finds nothing, with up to
// three other spellings where a character has several (头发 → 頭發, then 頭髮; 台 → 臺, then 台 as
// written): a rare spelling searched alongside would match its other characters alone (髮展: 展).
async function loadTable() {
  if (!table) {
    try {
      const response = await fetch(new URL("chars.json", window.location.href));
      table = response.ok ? await response.json() : {};
    } catch (e) { table = {}; }
  }
  return table;
}

function spellings(query, forms) {
  const chars = Array.from(query);
  const usual = chars.map(function (c) { return forms[c] ? Array.from(forms[c])[0] : c; });
  const out = [usual.join("")];
  chars.forEach(function (c, i) {
    const others = Array.from(forms[c] || "").slice(1);
    others.sort(function (a, b) { return (b === c) - (a === c); });  // the character as written, first
    others.forEach(function (form) {
      if (out.length < 4) { const other = usual.slice(); other[i] = form; out.push(other.join("")); }
    });
  });
  return out;
}

// One search at a time: typing and pressing Enter (the usual way with a Chinese input method) both ask,
// and a newer query makes every older one stop before it shows anything.
let generation = 0;

async function run(query) {
  const mine = ++generation;
  if (!query.trim()) { list.replaceChildren(); status.textContent = ""; return; }
  let api;
  try { api = await load(); } catch (e) { status.textContent = status.dataset.unavailable; return; }
  const forms = await loadTable();
  const [usual, ...others] = spellings(query.trim(), forms);
  let searches = [await api.search(usual)];
  if (!searches[0].results.length && others.length) {
    searches = await Promise.all(others.map(function (q) { return api.search(q); }));
  }
  if (mine !== generation) { return; }
  const best = new Map();
  searches.forEach(function (found) {
    found.results.forEach(function (r) {
      if (!superseded.has(r.id) && (!best.has(r.id) || best.get(r.id).score < r.score)) { best.set(r.id, r); }
    });
  });
  const current = Array.from(best.values()).sort(function (a, b) { return b.score - a.score; });
  const results = await Promise.all(current.slice(0, 30).map(function (r) { return r.data(); }));
  if (mine !== generation) { return; }
  list.replaceChildren.apply(list, results.map(entry));
  status.textContent = results.length ? status.dataset.count.replace("{n}", String(current.length))
    : status.dataset.none;
}

// A result: the page's title, linked, and its summary (the page's own words, not a cut of the text)
// when it has one, else Pagefind's excerpt around the match.
function entry(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  // Pagefind gives each page's address from the site root it was loaded from: use it as it is.
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  const heading = document.createElement("h2");
  heading.appendChild(link);
  item.appendChild(heading);
  if (data.meta && data.meta.summary) {
    const summary = document.createElement("p");
    summary.textContent = data.meta.summary;
    item.appendChild(summary);
  } else {
    item.appendChild(excerpt(data.excerpt || ""));
  }
  return item;
}

let timer = null;
input.addEventListener("input", function () {
  clearTimeout(timer);
  timer = setTimeout(function () { run(input.value); }, 200);
});
form.addEventListener("submit", function (event) {
  event.preventDefault();
  clearTimeout(timer);
  const url = new URL(window.location.href);
  url.searchParams.set("q", input.value);
  window.history.replaceState(null, "", url);
  run(input.value);
});
const initial = new URL(window.location.href).searchParams.get("q");
if (initial) { input.value = initial; run(initial); }
