/* Load the search index only when a reader reaches for search.

   Material requests search/search_index.json (about 300 KB gzipped) on every page load, so a reader
   who never searches still pays for it, on a phone too. This script runs before Material's bundle and
   holds that one request back until the search box gets focus, the search toggle opens (phones), or
   the pointer reaches the search box; a shared search link (?q=) loads it at once. Every other request
   goes through untouched. Tested in tests/browser/test_search.py. */
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const held = [];
  let wanted = new URLSearchParams(location.search).has("q");

  const release = () => {
    wanted = true;
    for (const [request, args] of held.splice(0)) send.apply(request, args);
  };

  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.kbSearchIndex = INDEX.test(new URL(url, location.href).pathname);
    return open.call(this, method, url, ...rest);
  };

  XMLHttpRequest.prototype.send = function (...args) {
    if (this.kbSearchIndex && !wanted) held.push([this, args]);
    else send.apply(this, args);
  };

  const intent = (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    if (target.matches("#__search") ? target.checked : target.closest(".md-search, label[for='__search']")) {
      release();
    }
  };
  for (const type of ["focusin", "change", "pointerover", "touchstart"]) {
    document.addEventListener(type, intent, { passive: true, capture: true });
  }
})();
