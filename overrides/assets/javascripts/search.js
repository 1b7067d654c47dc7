/* Search: the box in the header, answered from the Pagefind index that hooks/search_index.py writes
   to search/ (one record per question).

   Nothing is downloaded until a reader reaches for search (focus, tap, the / or s key, or a shared
   ?q= link); then Pagefind's script, its WebAssembly and the index's page list, and for each query
   only the index files holding its words and the records shown. A query typed while that loads is
   answered as soon as it has loaded.

   Words are cut as the index stores them (hooks/search_text.py, kept equal by
   tests/hooks/test_search_text.py): Chinese as overlapping pairs of characters, other words whole.
   Ranking: records with every word, the query as one phrase first (its words in a row: a substring
   search), then by Pagefind's score (BM25 plus a boost for words in the question's title). When few
   records have every word (a typo, a colloquial question), records with every character of the query
   follow (each character is also stored once per record, apart from the pairs), then with all but one.

   Opened from file:// (the offline bundle) the index cannot be fetched: each file X also exists as
   the script X.js, which hands its bytes to kbSearchFile. */
(() => {
  "use strict";

  // ---------------------------------------------------------------- words (as search_text.py)
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  const LETTER = `(?:(?![${HAN}])[\\p{L}\\p{N}_])`;
  const TOKEN = new RegExp(`([${HAN}]+)|(${LETTER}+(?:[-.'/@+#]${LETTER}+)*)|(\\S)`, "gu");
  const IS_HAN = new RegExp(`^[${HAN}]`, "u");
  const SYNONYMS_MARK = "\ue000";
  const SPACE_AFTER = "\ue001";
  const RUN_END = "\u3007";
  const CHARACTER = "\u3006"; // follows each character of a record, stored once after its text, weighted

  const hanPairs = (run) => {
    const pairs = [];
    for (let i = 0; i < run.length - 1; i++) pairs.push(run.slice(i, i + 2));
    return pairs.length ? pairs : [run];
  };

  /** The words of a query: Chinese runs as overlapping pairs, other words lower-cased, no punctuation.
      A word of one letter or digit that more of the query follows is complete: it is looked up as the
      index stores such words (with RUN_END), not as the beginning of longer words (p-y: not pytorch). */
  const queryWords = (query) => {
    const tokens = [...query.normalize("NFKC").matchAll(TOKEN)].filter(([, han, word]) => han || word);
    return tokens.flatMap(([, han, word], i) => {
      if (han) return hanPairs(han);
      return [...word].length === 1 && i < tokens.length - 1 ? [word.toLowerCase() + RUN_END] : [word.toLowerCase()];
    });
  };

  /** The words with each word joined by - . / etc. cut into its parts (a reader types p-y for p − y,
      which the index holds as three words), or the same list if none is joined. */
  const cutJoined = (words) =>
    words.flatMap((word, i) => {
      if (CHINESE.test(word) || !/[-.'\/@+#]/.test(word)) return [word];
      const parts = word.split(/[-.'\/@+#]+/).filter(Boolean);
      const last = i === words.length - 1;
      return parts.map((part, j) => ([...part].length === 1 && !(last && j === parts.length - 1) ? part + RUN_END : part));
    });

  /** Text as written, from stored words (up to the synonyms); `marked` holds the positions to highlight,
      `characters` the Chinese characters to highlight wherever they are. */
  const shownText = (words, marked = new Set(), from = 0, characters = new Set()) => {
    let out = "";
    for (let i = from; i < words.length; i++) {
      let word = words[i];
      if (word === SYNONYMS_MARK) break;
      const spaced = word.endsWith(SPACE_AFTER);
      if (spaced) word = word.slice(0, -1);
      let text = escape(IS_HAN.test(word) ? word[0] : word.endsWith(RUN_END) ? word.slice(0, -1) : word);
      // a stored pair covers its character and the next one
      const han = IS_HAN.test(word);
      const pairBefore = han && marked.has(i - 1) && IS_HAN.test(words[i - 1] || "");
      if (marked.has(i) || pairBefore || (han && characters.has(word[0]))) {
        text = `<mark>${text}</mark>`;
      }
      out += text + (spaced ? " " : "");
    }
    return out.replaceAll("</mark><mark>", "").trim();
  };

  const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

  const CHINESE = new RegExp(`[${HAN}]`, "u");
  // Characters that carry no topic: left out when a query is searched by its characters.
  const FUNCTION_CHARACTERS = new Set("的了吗呢吧啊呀么什为怎如何哪是和与或及在也都就有".split(""));

  /** The Chinese characters of a query that carry a topic, each a query word on its own, as stored
      once in each record that has it (卡〆). A pair made of the end of one word and the start of the
      next (以根 in 除以根号) is in few texts; single characters never exclude a text that way. */
  const characters = (query) =>
    [...new Set(query.normalize("NFKC").match(new RegExp(CHINESE, "gu")) || [])]
      .filter((c) => !FUNCTION_CHARACTERS.has(c))
      .map((c) => c + CHARACTER);

  globalThis.KBSearchWords = { queryWords, shownText, characters };
  if (typeof document === "undefined") return; // loaded by the tests in Node

  // ---------------------------------------------------------------- the index
  const STOP = new Set("的了吗呢啊吧呀和与及或是在把被给对也都就".split(""));
  const SHOWN = 5; // results shown at first (and their records downloaded); "显示更多结果" adds more
  const MORE = 10;
  const root = () => (typeof __md_scope !== "undefined" ? __md_scope : new URL(".", location));
  const folder = () => new URL("search/", root());
  let engine; // Promise of the Pagefind instance
  let ready = false;

  /** Under file:// fetch cannot read files: each index file X is loaded as the script X.js. */
  function readFilesThroughScripts() {
    if (window.kbSearchFile) return;
    const waiting = new Map();
    window.kbSearchFile = (name, data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      waiting.get(name)?.resolve(new Response(bytes));
      waiting.delete(name);
    };
    const base = folder().href;
    const fetchFile = window.fetch;
    window.fetch = (input, init) => {
      // Pagefind asks for paths (/…/search/x), not file:// URLs: resolve them first
      const url = new URL(String(input instanceof Request ? input.url : input), location.href).href.split("?")[0];
      if (!url.startsWith(base)) return fetchFile(input, init);
      const name = url.slice(base.length);
      return new Promise((resolve, reject) => {
        waiting.set(name, { resolve });
        const script = document.createElement("script");
        script.src = `${url}.js`;
        script.onerror = () => reject(new TypeError(`search: cannot read ${name}`));
        script.onload = () => script.remove();
        document.head.append(script);
      });
    };
  }

  const loadScript = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`search: ${src} did not load`));
      document.head.append(script);
    });

  /** Pagefind, loaded once (and again after a failure). */
  function loadEngine() {
    engine ??= (async () => {
      if (location.protocol === "file:") readFilesThroughScripts();
      await loadScript(new URL("pagefind.js", folder()).href);
      // Pagefind cuts a query into words with Intl.Segmenter when the page is Chinese; the index holds
      // pairs of characters, so the query must reach it as search.js cut it. Pagefind reads the page's
      // language once, here.
      const html = document.documentElement;
      const lang = html.getAttribute("lang");
      html.setAttribute("lang", "und");
      let pagefind;
      try {
        pagefind = KBPagefind.createInstance({ basePath: folder().href, noWorker: true });
      } finally {
        html.setAttribute("lang", lang);
      }
      // termSimilarity: a word matches the words it begins (as typed so far), but the longer the rest,
      // the less it counts (bert: bert-base, bert-wwm… each add to a record's score).
      // metaWeights: a query word in the title, the page title, the title's other names or the
      // answer's bold terms (keys: what the answer is about) counts this much more than in the text.
      await pagefind.options({ ranking: { termSimilarity: 3, metaWeights: { title: 10, page: 1, names: 2, keys: 4 } } });
      await pagefind.init();
      ready = true;
      return pagefind;
    })();
    engine.catch(() => (engine = undefined));
    return engine;
  }

  /** A record's stored text and metadata (Pagefind's fragment file, read here without the excerpts
      and sub-results Pagefind would compute for it). */
  const fragments = new Map();
  const decoder = new TextDecoder();
  function fragment(id) {
    if (!fragments.has(id)) {
      const read = async () => {
        const response = await fetch(new URL(`fragment/${id}.pf_fragment`, folder()));
        if (!response.ok) throw new Error(`search: fragment ${id}: ${response.status}`);
        let bytes = new Uint8Array(await response.arrayBuffer());
        if (decoder.decode(bytes.subarray(0, 12)) !== "pagefind_dcd") {
          const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
          bytes = new Uint8Array(await new Response(stream).arrayBuffer());
        }
        return JSON.parse(decoder.decode(bytes.subarray(12)));
      };
      fragments.set(id, read());
      fragments.get(id).catch(() => fragments.delete(id));
    }
    return fragments.get(id);
  }

  // ---------------------------------------------------------------- ranking
  const PHRASE = 1.5; // a record with the whole query in a row ranks as if it scored this many times more

  /** Whether `count` of the matched positions follow each other (the query's words in a row: for
      pairs of one Chinese run, exactly the run). */
  const inARow = (positions, count) => {
    const sorted = [...new Set(positions)].sort((a, b) => a - b);
    let run = 1;
    for (let i = 1; i < sorted.length && run < count; i++) run = sorted[i] === sorted[i - 1] + 1 ? run + 1 : 1;
    return sorted.length > 0 && run >= count;
  };

  /** Records with every word, best first, those with all of them in a row ranking higher (not for
      characters, which are stored once each, apart from the text). For the query's own words
      (`first`), the records likely shown start loading at once. */
  async function strict(pagefind, words, first = false) {
    const found = await pagefind.search(words.join(" "));
    const byCharacter = words.filter((w) => w.endsWith(CHARACTER)).map((w) => w[0]);
    const phrase = words.length > 1 && !byCharacter.length;
    const ranked = found.results.map((r) => ({
      ...r,
      characters: byCharacter, // highlighted where the text has them: the record's text ends before them
      score: r.score * (phrase && inARow(r.words, words.length) ? PHRASE : 1),
    }));
    ranked.sort((a, b) => b.score - a.score);
    if (first) ranked.slice(0, SHOWN).forEach((r) => fragment(r.id).catch(() => {}));
    return ranked;
  }

  const merge = (...lists) => {
    const seen = new Set();
    return lists.flat().filter((r) => !seen.has(r.id) && seen.add(r.id));
  };

  /** The index's words of letters (most widespread first), read only to correct a misspelt query. */
  let vocabulary;
  const loadVocabulary = () =>
    (vocabulary ??= fetch(new URL("words.json", folder()))
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`words.json: HTTP ${r.status}`))))
      .catch(() => {
        vocabulary = undefined; // no correction this time; try again with the next query
        return [];
      }));

  /** Optimal string alignment distance (edits and adjacent swaps), or max + 1 once it exceeds max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let before = null;
    let previous = [...Array(b.length + 1).keys()];
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          row[j] = Math.min(row[j], before[j - 2] + 1);
        }
      }
      if (Math.min(...row) > max) return max + 1;
      [before, previous] = [previous, row];
    }
    return previous[b.length];
  }

  const plain = (word) => word.replace(/[^\p{L}\p{N}_]/gu, "");

  /** The words with each word of letters that no indexed word begins replaced by the nearest indexed
      word (one edit for short words, two from eight letters), or null if none changed. */
  async function respell(words) {
    const latin = words.filter((w) => /^[a-z][a-z0-9_]{3,}$/.test(plain(w)));
    if (!latin.length) return null;
    const known = await loadVocabulary();
    let changed = false;
    const fixed = words.map((word) => {
      const typed = plain(word);
      if (!latin.includes(word) || known.some((k) => k.startsWith(typed))) return word;
      const max = typed.length >= 8 ? 2 : 1;
      let best = null;
      let bestDistance = max + 1;
      for (const k of known) {
        const d = distance(typed, k, Math.min(max, bestDistance - 1));
        if (d < bestDistance) [best, bestDistance] = [k, d];
      }
      if (best) changed = true;
      return best ?? word;
    });
    return changed ? fixed : null;
  }

  // Question words, which carry no topic: left out of a query's words (为什么除以根号dk: 除以根号 dk).
  // A question typed in full then finds what its topic finds, and downloads only the index files of
  // its topic's words (大模型胡说八道怎么办 looks up 6 pairs of characters, not 9).
  const QUESTION_WORDS = /为什么|为啥|有什么|有哪些|有没有|什么|怎么办|怎么样|怎么|怎样|如何|哪些|哪个|是否/g;

  /** Records with all the words but one, for each of `droppable` left out, best first. */
  async function allButOne(pagefind, words, droppable) {
    const found = await Promise.all(droppable.map((w) => strict(pagefind, words.filter((x) => x !== w))));
    return merge(found.flat().sort((a, b) => b.score - a.score));
  }

  /** Ranked results for a query: [{id, score, words}] from Pagefind, best first.
      1. Records with every word of the query but its question words, in a row first (a character
         alone is looked up as stored once per record, which is not in a row with the text).
      2. If a word of letters begins no indexed word (misspelt): those of the corrected query, placed
         first, whatever the count.
      Then each step runs only while fewer than SHOWN records have been found, and adds its records
      after those found before, with: the joined words cut into their parts (cutJoined); every
      character and word of letters; all of them but one character; the words of letters; all of
      them but one word of letters. */
  async function rank(pagefind, query) {
    const bare = query.replace(QUESTION_WORDS, " ");
    const topic = queryWords(bare).some((w) => !STOP.has(w)) ? bare : query; // 是什么: as typed
    let words = queryWords(topic);
    if (words.length > 1) words = words.filter((w) => !STOP.has(w));
    if (!words.length) return [];
    // A character alone (卡, 比 in DDP比DP快) is looked up as stored once per record (卡〆): as the
    // beginning of pairs it would match only those in the index files downloaded so far.
    words = words.map((w) => (w.length === 1 && CHINESE.test(w) ? w + CHARACTER : w));
    const latin = words.filter((w) => !CHINESE.test(w));
    const han = characters(topic);
    const each = [...han, ...latin];
    const differs = (list) => list.length && list.join(" ") !== words.join(" ");
    // A misspelt word is told by the vocabulary, not by few results: Pagefind returns records for
    // softamx (11 at 1x, 110 at 10x the pages). The vocabulary loads while the query is searched.
    const respelt = respell(words);
    let ranked = await strict(pagefind, words, true);
    const fixed = await respelt;
    if (fixed) ranked = merge(await strict(pagefind, fixed, true), ranked);
    const cut = cutJoined(words);
    const steps = [
      () => (differs(cut) ? strict(pagefind, cut, true) : []),
      () => (differs(each) ? strict(pagefind, each) : []),
      () => (han.length > 1 ? allButOne(pagefind, each, han) : []),
      () => (han.length && latin.length ? strict(pagefind, latin) : []),
      () => (latin.length && each.length > 1 ? allButOne(pagefind, each, latin) : []), // (each but a character: step 3)
    ];
    for (const step of steps) {
      if (ranked.length >= SHOWN) break;
      ranked = merge(ranked, await step());
    }
    return ranked;
  }

  // ---------------------------------------------------------------- the dialog
  const toggle = document.getElementById("__search");
  const dialog = document.querySelector(".md-search");
  if (!toggle || !dialog) return;
  const box = dialog.querySelector(".md-search__input");
  const meta = dialog.querySelector(".md-search-result__meta");
  const list = dialog.querySelector(".md-search-result__list");
  const form = dialog.querySelector(".md-search__form");
  let current = ""; // the query the results are for

  const say = (text) => (meta.textContent = text);

  /** The page URL of a record: Pagefind returns the path of its file, q/<page URL>/~<anchor>/
      (hooks/search_index.py, record_path). */
  const recordUrl = (path) => {
    const rest = path.replace(/^\/?q\//, "");
    const [, page, anchor] = rest.match(/^(.*?)(?:~([^/]+)\/)?$/);
    const pageUrl = page.endsWith(".html/") ? page.slice(0, -1) : page;
    return new URL((pageUrl || "./") + (anchor ? `#${anchor}` : ""), root());
  };

  async function item(result) {
    const data = typeof DecompressionStream === "function" ? await fragment(result.id) : await result.data();
    const words = (data.content || "").split(" ");
    const titleWords = (data.meta.title || "").split(" ");
    const title = shownText(titleWords);
    const page = shownText((data.meta.page || "").split(" "));
    // the content is the title's words, then the text's (the build cut the words only search reads):
    // the excerpt comes from the text
    const from = titleWords.length;
    const end = words.length;
    const marks = new Set(result.words || []);
    const searched = new Set(result.characters); // searched by its characters: marked wherever they are
    const inText = [...marks].filter((m) => m >= from && m < end);
    if (!inText.length && searched.size) {
      const first = words.findIndex((w, i) => i >= from && searched.has(w[0]));
      if (first >= 0) inText.push(first);
    }
    const start = inText.length ? Math.max(from, Math.min(...inText) - 12) : from;
    const excerpt = shownText(words.slice(0, Math.min(end, start + 60)), marks, start, searched);
    const url = recordUrl(data.url);
    const isPage = !url.hash;
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    li.innerHTML =
      `<a href="${escape(url.href)}" class="md-search-result__link" tabindex="-1">` +
      `<article class="md-search-result__article md-typeset">` +
      (isPage
        ? `<div class="md-search-result__icon md-icon"></div><h1>${title}</h1>`
        : `<p class="kb-search-page">${page}</p><h2>${title}</h2>`) +
      (excerpt ? `<p>${start > from ? "…" : ""}${excerpt}${start + 60 < end ? "…" : ""}</p>` : "") +
      `</article></a>`;
    return li;
  }

  /** Shows results [from, from + count) of the query's ranking, with a button for more if any remain;
      the first ones replace the list and the count together, once all their records have loaded. */
  async function show(query, results, from, count) {
    const items = await Promise.all(results.slice(from, from + count).map(item));
    if (query !== current) return;
    const shown = from + items.length;
    if (shown < results.length) {
      const more = document.createElement("li");
      more.className = "kb-search-more";
      more.innerHTML = `<button type="button" class="md-button">显示更多结果</button>`;
      more.firstChild.addEventListener("click", () => show(query, results, shown, MORE));
      items.push(more);
    }
    if (from === 0) {
      list.replaceChildren(...items);
      say(`找到 ${results.length} 个符合条件的结果`);
    } else {
      list.querySelector(".kb-search-more")?.remove();
      list.append(...items);
    }
  }

  async function run(query) {
    current = query;
    if (!query.trim()) {
      list.replaceChildren();
      say("键入以开始搜索");
      return;
    }
    let pagefind;
    try {
      if (!ready) say("正在加载搜索索引…");
      pagefind = await loadEngine();
    } catch {
      if (query === current) say("搜索索引加载失败，请检查网络后重试");
      return;
    }
    if (query !== current) return; // a newer query runs
    let results;
    try {
      results = await rank(pagefind, query);
    } catch (error) {
      if (query === current) say("搜索出错，请稍后重试");
      console.warn(error);
      return;
    }
    if (query !== current) return;
    if (!results.length) {
      list.replaceChildren();
      say("没有找到符合条件的结果");
      return;
    }
    await show(query, results, 0, SHOWN);
  }

  const open = () => {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    box.focus();
  };
  const close = () => {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    box.blur();
  };

  let composing = false;
  box.addEventListener("compositionstart", () => (composing = true));
  box.addEventListener("compositionend", () => {
    composing = false;
    run(box.value);
  });
  box.addEventListener("input", () => composing || run(box.value));
  box.addEventListener("focus", () => {
    loadEngine().catch(() => {});
    if (!toggle.checked) open();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(() => run("")));
  toggle.addEventListener("change", () => {
    if (toggle.checked) {
      loadEngine().catch(() => {});
      box.focus();
    }
  });
  // a result on the same page only changes the hash: close the dialog either way
  list.addEventListener("click", (event) => event.target.closest(".md-search-result__link") && close());

  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (!toggle.checked) {
      if (!typing && (event.key === "/" || event.key === "s")) {
        event.preventDefault();
        open();
      }
      return;
    }
    const links = [...list.querySelectorAll(".md-search-result__link")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!links.length) return;
      const next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) box.focus();
      else links[Math.min(next, links.length - 1)].focus();
    } else if (event.key === "Enter" && document.activeElement === box && links.length) {
      event.preventDefault();
      links[0].click();
    }
  });

  const shared = new URLSearchParams(location.search).get("q");
  if (shared) {
    open();
    box.value = shared;
    run(shared);
  }
})();
