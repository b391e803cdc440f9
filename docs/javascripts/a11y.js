/* Accessibility repairs (AiDraw) for markup that Material's and GLightbox's scripts create in the browser,
 * where templates cannot reach it:
 * - GLightbox opens its viewer as role="dialog" without an accessible name, which screen readers announce
 *   as an unnamed dialog (axe rule aria-dialog-name): name it when it opens.
 * - Material wraps every code block's copy button in a <nav>, so a page with 30 code blocks has 30 unnamed
 *   "navigation" landmarks next to the real ones (axe rule landmark-unique). A copy button is not
 *   navigation: give those wrappers role="none"; the button itself is unchanged.
 * Also: a <button data-aidraw-search> (the 404 page's "搜索全站") opens search, by mouse or keyboard, the way
 * Material's own "/" shortcut does: by focusing the search box. */
(function () {
  "use strict";
  function repair(root) {
    if (!root.querySelectorAll) return;
    Array.prototype.forEach.call(root.querySelectorAll("#glightbox-body[role=dialog]:not([aria-label])"),
      function (d) { d.setAttribute("aria-label", "图片查看器"); });
    Array.prototype.forEach.call(root.querySelectorAll("nav.md-code__nav:not([role])"),
      function (n) { n.setAttribute("role", "none"); });
  }
  repair(document);
  document.addEventListener("click", function (event) {
    var opener = event.target instanceof Element && event.target.closest("[data-aidraw-search]");
    var box = opener && document.querySelector("input.md-search__input");
    if (!box) return;
    box.focus();
    box.select();
  });
  // One pass over the document per frame, however many nodes were added: cheap, and it keeps the page's
  // start-up work (Material adds a node per code block) from growing with the number of mutations.
  var queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () {
      queued = false;
      repair(document);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
