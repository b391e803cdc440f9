/* Accessibility (AiDraw): GLightbox opens its viewer as role="dialog" without an accessible name, which
 * screen readers announce as an unnamed dialog (axe rule aria-dialog-name). Name it when it opens. */
(function () {
  "use strict";
  function label(root) {
    var dialogs = root.querySelectorAll ? root.querySelectorAll("#glightbox-body[role=dialog]:not([aria-label])") : [];
    Array.prototype.forEach.call(dialogs, function (d) { d.setAttribute("aria-label", "图片查看器"); });
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      Array.prototype.forEach.call(r.addedNodes, function (n) { if (n.nodeType === 1) label(n.parentNode || n); });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
