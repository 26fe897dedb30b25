/* dossier web edition: highlight every mention of the same entry while one is hovered or focused.
   Works from file:// (no modules, no network). */
(function () {
  "use strict";
  function same(el) {
    var id = el.getAttribute("data-entry");
    if (!id) { return []; }
    return document.querySelectorAll('.mention[data-entry="' + id.replace(/["\\]/g, "\\$&") + '"]');
  }
  function set(ev, on) {
    var el = ev.target.closest ? ev.target.closest(".mention[data-entry]") : null;
    if (!el) { return; }
    var all = same(el);
    for (var i = 0; i < all.length; i++) { all[i].classList.toggle("hl", on); }
  }
  document.addEventListener("mouseover", function (ev) { set(ev, true); });
  document.addEventListener("mouseout", function (ev) { set(ev, false); });
  document.addEventListener("focusin", function (ev) { set(ev, true); });
  document.addEventListener("focusout", function (ev) { set(ev, false); });
}());
