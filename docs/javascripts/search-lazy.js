/* Load the search index only when the reader turns to search.
 *
 * Material for MkDocs 9.x requests search/search_index.json (about 500 KB compressed on this site) with an
 * XMLHttpRequest as soon as any page opens, and parses it on the main thread, even if the reader never
 * searches. This script is loaded before Material's bundle (overrides/main.html, block scripts). It lets
 * that one request be opened as usual but holds back its send() until the reader shows an interest in
 * search: pointing at or focusing the search box, opening search (the icon, or the "/", "s" and "f" keys,
 * which focus the box), or arriving with ?q= (shared search) or ?h= (highlight from a search result).
 * Everything else about search is Material's own; nothing changes for other requests.
 *
 * If Material stops using XMLHttpRequest for the index, this script simply stops deferring it:
 * tests/test_budgets.py then fails on the home page budget, which is the signal to look here. */
(function () {
  "use strict";
  var proto = XMLHttpRequest.prototype;
  var open = proto.open;
  var send = proto.send;
  var index = /\/search\/search_index\.json$/;
  var held = [];              // [request, arguments] pairs waiting for the reader
  var indexed = new WeakSet(); // requests opened for the index
  var wanted = false;

  function release() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (item) {
      try {
        send.apply(item[0], item[1]);
      } catch (err) {          // aborted meanwhile: nothing to send
      }
    });
  }

  proto.open = function (method, url) {
    if (index.test(String(url).split(/[?#]/)[0])) indexed.add(this);
    return open.apply(this, arguments);
  };
  proto.send = function () {
    if (!wanted && indexed.has(this)) {
      held.push([this, arguments]);
      return;
    }
    return send.apply(this, arguments);
  };

  var params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) release();

  function inSearch(target) {
    return target instanceof Element &&
      target.closest("form[name='search'], label[for='__search'], .md-search") !== null;
  }
  function onIntent(event) {
    if (inSearch(event.target)) release();
  }
  ["focusin", "pointerover", "pointerdown", "touchstart"].forEach(function (type) {
    document.addEventListener(type, onIntent, { passive: true, capture: true });
  });
  document.addEventListener("change", function (event) {
    if (event.target instanceof Element && event.target.id === "__search") release();
  }, true);
})();
