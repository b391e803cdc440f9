/* Chinese search helpers (AiDraw), for two faults of Material 9.x's search with Chinese queries.
 *
 * 1. Material splits a Chinese query into words it knows, but a query such as "50系" or "RTX显卡", where
 *    Latin letters or digits touch Chinese characters, is taken as one unknown word and finds nothing. The
 *    pages themselves put a space there (格式手册 SPACE-1), so do the same to the query as it is typed,
 *    before Material reads it on keyup.
 *
 * 2. In its search worker, Material cuts each run of Chinese characters into words found in the index
 *    (integrations/search/query/segment), but its loop never tries a word that ends the run
 *    (`j < query.length`), so the last word loses its last character: "黑图" is searched as "黑*" and
 *    finds "黑屏" first, "启动参数" as "启动* 参*". The query is posted to the worker as
 *    {type: 2 (QUERY), data: text}; one character that occurs in no page (U+9FFF) is added to the end of
 *    every Chinese run there, so the real last word is tried, and the extra character, never a word, is
 *    left out by the same cutting. The search box itself is not changed. */
(function () {
  "use strict";
  var boundary = /([A-Za-z0-9])(?=[\u3400-\u4dbf\u4e00-\u9fff])|([\u3400-\u4dbf\u4e00-\u9fff])(?=[A-Za-z0-9])/g;
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.classList.contains("md-search__input")) return;
    if (event.isComposing) return;  // wait until the input method has committed the characters
    var value = box.value;
    var spaced = value.replace(boundary, "$1$2 ");
    if (spaced === value) return;
    var caret = value.slice(0, box.selectionStart).replace(boundary, "$1$2 ").length;
    box.value = spaced;
    box.setSelectionRange(caret, caret);
  }, true);

  var QUERY = 2;                    // SearchMessageType.QUERY in Material's search/worker/message
  var SENTINEL = "\u9fff";
  var HAN_RUN = /\p{sc=Han}+/gu;      // the same runs as Material's worker cuts
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === QUERY && typeof message.data === "string") {
      args[0] = { type: QUERY, data: message.data.replace(HAN_RUN, function (run) { return run + SENTINEL; }) };
    }
    return post.apply(this, args);
  };
})();
