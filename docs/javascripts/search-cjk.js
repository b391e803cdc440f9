/* Chinese search helper (AiDraw).
 * Material's search splits a Chinese query into words it knows, but a query such as "50系" or "RTX显卡",
 * where Latin letters or digits touch Chinese characters, is taken as one unknown word and finds nothing.
 * The pages themselves put a space there (格式手册 SPACE-1), so do the same to the query as it is typed,
 * before Material reads it on keyup. */
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
})();
