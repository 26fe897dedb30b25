/* dossier web edition: search without a server, over the prebuilt index in search/ (see
   dossier/publish/static_search.py). Works opened from disk: every index file is a script calling
   DossierSearch.load(name, data), injected with a <script> tag only when a query needs it.

   Keys are computed as dossier/search_keys.py does (fold, iuliia Wikipedia transliteration of
   Cyrillic, the skeleton of Slavic spellings); the tables come from the manifest, written from the
   Python code. A Cyrillic word is first looked up in the edition's forms (its key as pymorphy3 gave
   it); an unknown form keeps its -ов/-ев/-ин base, as search_keys.lemma_ru does for unknown surnames.
   Also usable under node: module.exports = {makeSearch} with a loader that reads the files. */
(function (root) {
  "use strict";

  var CYR = /[\u0400-\u04FF]/;
  var WORD = /[\p{L}\p{Nl}\p{No}]+/gu;  /* Python's [^\W\d_]: letters and non-decimal numerals */

  function fold(t) {
    return t.normalize("NFC").replace(/ё/g, "е").replace(/Ё/g, "Е").toLowerCase()
      .replace(/ß/g, "ss").replace(/ς/g, "σ");
  }

  function words(t) { return t.match(WORD) || []; }

  function stripMarks(s) { return s.normalize("NFKD").replace(/\p{M}/gu, ""); }

  function makeKeys(tables) {
    var tr = tables.translit;
    var pairs = tables.skeleton;
    var skelMap = {};
    var alts = [];
    for (var i = 0; i < pairs.length; i++) {
      skelMap[pairs[i][0]] = pairs[i][1];
      alts.push(pairs[i][0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    }
    var skelRx = new RegExp(alts.join("|"), "g");
    var surname = new RegExp(tables.surname);

    function letters(word) {  /* iuliia TranslitSchema._translate_letters */
      var out = [];
      var chars = Array.from(word);
      for (var i = 0; i < chars.length; i++) {
        var prev = i > 0 ? chars[i - 1] : "", curr = chars[i], next = i + 1 < chars.length ? chars[i + 1] : "";
        var l = tr.prev[prev + curr];
        if (l === undefined) { l = tr.next[curr + next]; }
        if (l === undefined) { l = tr.map[curr]; }
        if (l === undefined) { l = curr; }
        out.push(l);
      }
      return out.join("");
    }

    function translit(word) {  /* iuliia TranslitSchema._translate_word (one word, lower case) */
      var chars = Array.from(word);
      if (chars.length > 2) {
        var ending = tr.ending[chars.slice(-2).join("")];
        if (ending !== undefined) { return letters(chars.slice(0, -2).join("")) + ending; }
      }
      return letters(word);
    }

    function skeleton(latin) {
      var s = latin.replace(skelRx, function (m) { return skelMap[m]; });
      s = s.replace(/ff$|v+$/, "v");
      s = s.replace(/(.)\1+/g, "$1");
      s = s.replace(/(?<=[xz])o/g, "e");
      return s;
    }

    function lemmaFallback(w) {
      var m = surname.exec(w);
      return m ? m[1] : w;
    }

    /* key(word, forms): forms maps a folded Cyrillic word to its key when the edition has it */
    return function key(word, forms) {
      var w = fold(word).replace(/’/g, "'");
      if (CYR.test(w)) {
        if (forms && Object.prototype.hasOwnProperty.call(forms, w)) { return forms[w]; }
        w = translit(fold(lemmaFallback(w))).toLowerCase();
      }
      w = stripMarks(w).replace(/'/g, "");
      w = w.replace(/[^a-z]/g, "");
      return w ? skeleton(w) : "";
    };
  }

  function shardName(prefix) {
    return Array.from(prefix).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  /* The longest prefix of term that the manifest lists for a family (see static_search.assign_shards). */
  function shardFor(list, term) {
    var chars = Array.from(term);
    for (var l = Math.min(chars.length, 4); l >= 1; l--) {
      var p = chars.slice(0, l).join("");
      if (list.indexOf(p) >= 0) { return p; }
    }
    return null;
  }

  var TOKEN = /"[^"]*"?|\(|\)|[^\s()"]+/g;

  /* The query as groups joined by OR; each group: terms that must match, terms that must not. */
  function parse(text) {
    var groups = [{must: [], not: []}];
    var pendingNot = false;
    var toks = text.slice(0, 1000).match(TOKEN) || [];
    for (var i = 0; i < toks.length; i++) {
      var tok = toks[i];
      if (tok === "(" || tok === ")" || tok === "AND") { continue; }
      if (tok === "OR") { if (groups[groups.length - 1].must.length) { groups.push({must: [], not: []}); } continue; }
      if (tok === "NOT") { pendingNot = true; continue; }
      var negate = pendingNot;
      pendingNot = false;
      if (tok.length > 1 && tok[0] === "-") { negate = true; tok = tok.slice(1); }
      if (tok[0] === '"') { tok = tok.replace(/^"|"$/g, ""); }
      var prefix = /\*$/.test(tok);
      var ws = words(tok.replace(/\*+$/, ""));
      for (var j = 0; j < ws.length; j++) {
        var term = {word: ws[j], prefix: prefix && j === ws.length - 1};
        (negate ? groups[groups.length - 1].not : groups[groups.length - 1].must).push(term);
      }
    }
    return groups.filter(function (g) { return g.must.length; });
  }

  /* makeSearch(loadScript): loadScript(name) must make DossierSearch.load(name, data) happen. */
  function makeSearch(loadScript) {
    var loaded = {};
    var waiting = {};
    var manifest = null;
    var key = null;

    function get(name) {
      if (Object.prototype.hasOwnProperty.call(loaded, name)) { return Promise.resolve(loaded[name]); }
      if (!waiting[name]) {
        var settle = {};
        waiting[name] = new Promise(function (res, rej) { settle.res = res; settle.rej = rej; });
        waiting[name].settle = settle;
        /* the script calls load(name, data); if it loaded without doing so, the file is not ours */
        Promise.resolve().then(function () { return loadScript(name); }).then(function () {
          if (!Object.prototype.hasOwnProperty.call(loaded, name)) { settle.rej(new Error("index file " + name + " is damaged")); }
        }, settle.rej);
      }
      return waiting[name];
    }

    function load(name, data) {
      loaded[name] = data;
      if (waiting[name]) { waiting[name].settle.res(data); }
    }

    function ready() {
      if (manifest) { return Promise.resolve(manifest); }
      return get("manifest").then(function (m) { manifest = m; key = makeKeys(m); return m; });
    }

    function shard(fam, term) {
      var p = shardFor(manifest[fam], term);
      if (p === null) { return Promise.resolve({}); }
      return get(fam + "/" + shardName(p));
    }

    function shardsFrom(fam, start) {  /* every shard that may hold a term starting with `start` */
      var names = manifest[fam].filter(function (p) { return p.indexOf(start) === 0 || start.indexOf(p) === 0; });
      return Promise.all(names.map(function (p) { return get(fam + "/" + shardName(p)); }));
    }

    function addPostings(into, list) {
      if (!list) { return; }
      for (var i = 0; i < list.length; i += 2) {
        into.set(list[i], Math.max(into.get(list[i]) || 0, list[i + 1]));
      }
    }

    /* Documents a word matches: its folded form or its key, as dossier.search does; doc -> count. */
    function postings(term) {
      var w = fold(term.word);
      if (term.prefix) {
        return shardsFrom("w", w).then(function (shards) {
          var out = new Map();
          shards.forEach(function (s) {
            Object.keys(s).forEach(function (t) { if (t.indexOf(w) === 0) { addPostings(out, s[t]); } });
          });
          return out;
        });
      }
      var formsP = CYR.test(w) ? shard("f", w) : Promise.resolve({});
      return formsP.then(function (forms) {
        var k = key(term.word, forms);
        return Promise.all([shard("w", w), k ? shard("k", k) : Promise.resolve({})]).then(function (s) {
          var out = new Map();
          addPostings(out, s[0][w]);
          var viaKey = new Map();
          if (k) { addPostings(viaKey, s[1][k]); }
          viaKey.forEach(function (c, d) { out.set(d, Math.max(out.get(d) || 0, c)); });
          return out;
        });
      });
    }

    /* search(text) -> Promise of {total, hits: [{doc, score}]}, best first, then by position. */
    function search(text) {
      return ready().then(function () {
        var groups = parse(text);
        return Promise.all(groups.map(function (g) {
          return Promise.all([Promise.all(g.must.map(postings)), Promise.all(g.not.map(postings))]);
        })).then(function (res) {
          var scores = new Map();
          res.forEach(function (r) {
            var must = r[0], not = r[1];
            must.sort(function (a, b) { return a.size - b.size; });
            must[0].forEach(function (c, d) {
              var s = c;
              for (var i = 1; i < must.length; i++) {
                if (!must[i].has(d)) { return; }
                s += must[i].get(d);
              }
              for (var j = 0; j < not.length; j++) { if (not[j].has(d)) { return; } }
              scores.set(d, Math.max(scores.get(d) || 0, s));
            });
          });
          var hits = [];
          scores.forEach(function (s, d) { hits.push({doc: d, score: s}); });
          hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
          return {total: hits.length, hits: hits};
        });
      });
    }

    /* The rows [n, heading, date, href] of documents at these positions. */
    function documents(positions) {
      return ready().then(function (m) {
        var chunks = {};
        positions.forEach(function (p) { chunks[Math.floor(p / m.chunk)] = true; });
        var names = Object.keys(chunks);
        return Promise.all(names.map(function (c) { return get("d/" + c); })).then(function () {
          return positions.map(function (p) { return loaded["d/" + Math.floor(p / m.chunk)][p % m.chunk]; });
        });
      });
    }

    return {load: load, search: search, documents: documents, ready: ready, parse: parse,
            key: function (w, forms) { return key(w, forms); }, fold: fold, words: words};
  }

  /* --- the page ------------------------------------------------------------------------------ */

  function page() {
    var me = document.getElementById("search-script");
    var manifestUrl = me.getAttribute("data-manifest");
    var base = manifestUrl.replace(/manifest\.js$/, "");
    var engine = makeSearch(function (name) {
      return new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = base + name + ".js";
        s.onload = resolve;
        s.onerror = function () { reject(new Error("cannot load " + s.src)); };
        document.head.appendChild(s);
      });
    });
    root.DossierSearch = {load: engine.load};
    var status = document.getElementById("search-status");
    var table = document.getElementById("search-results");
    var tbody = table.querySelector("tbody");
    var input = document.getElementById("search-q");
    var q = new URLSearchParams(root.location.search).get("q") || "";
    input.value = q;
    if (!q.trim()) { return; }
    status.textContent = status.getAttribute("data-busy");
    var SHOW = 100;
    engine.search(q).then(function (res) {
      var msg = res.total === 0 ? status.getAttribute("data-none") : res.total === 1
        ? status.getAttribute("data-one") : status.getAttribute("data-many").replace("{n}", String(res.total));
      if (res.total > SHOW) { msg += " " + status.getAttribute("data-shown").replace("{n}", String(SHOW)); }
      status.textContent = msg;
      var top = res.hits.slice(0, SHOW).map(function (h) { return h.doc; });
      return engine.documents(top).then(function (rows) {
        rows.forEach(function (r) {
          var tr = document.createElement("tr");
          var tdN = document.createElement("td"), tdH = document.createElement("td"), tdD = document.createElement("td");
          tdN.className = "col-n"; tdH.className = "col-heading"; tdD.className = "col-date";
          var a1 = document.createElement("a"), a2 = document.createElement("a");
          a1.href = r[3]; a1.textContent = r[0] === null ? "" : String(r[0]);
          a2.href = r[3]; a2.textContent = r[1];
          tdN.appendChild(a1); tdH.appendChild(a2);
          tdD.textContent = r[2] || status.getAttribute("data-undated");
          tr.appendChild(tdN); tr.appendChild(tdH); tr.appendChild(tdD);
          tbody.appendChild(tr);
        });
        table.hidden = rows.length === 0;
      });
    }).catch(function (err) { status.textContent = String(err.message || err); });
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {makeSearch: makeSearch, fold: fold, words: words};
  } else if (typeof document !== "undefined") {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", page); } else { page(); }
  }
}(typeof window !== "undefined" ? window : globalThis));
