/* The photograph viewer of the web edition: click a photograph to see it large; zoom with the
   buttons, the mouse wheel or + / - / 0, drag to pan, Escape to close. No library, works from disk. */
(function () {
  "use strict";
  var links = document.querySelectorAll("figure.illustration a.zoomable");
  if (!links.length) return;
  // the words come from the page (the message catalogs), not from here
  var w = document.getElementById("viewer-words"), d = w ? w.dataset : {};
  var words = { zin: d.zoomIn || "+", zout: d.zoomOut || "−", fit: d.actual || "1:1", close: d.close || "×" };
  var box = document.createElement("div");
  box.className = "viewer";
  box.hidden = true;
  box.setAttribute("role", "dialog");
  box.innerHTML = '<div class="viewer-bar"><button type="button" data-act="out"></button>' +
    '<span class="viewer-zoom"></span><button type="button" data-act="in"></button>' +
    '<button type="button" data-act="fit"></button><span class="viewer-caption"></span>' +
    '<button type="button" data-act="close"></button></div><div class="viewer-stage"><img alt=""></div>';
  document.body.appendChild(box);
  var stage = box.querySelector(".viewer-stage"), img = stage.querySelector("img");
  var label = box.querySelector(".viewer-zoom"), caption = box.querySelector(".viewer-caption");
  box.querySelector('[data-act="in"]').textContent = "+";
  box.querySelector('[data-act="in"]').title = words.zin;
  box.querySelector('[data-act="out"]').textContent = "−";
  box.querySelector('[data-act="out"]').title = words.zout;
  box.querySelector('[data-act="fit"]').textContent = "1:1";
  box.querySelector('[data-act="fit"]').title = words.fit;
  box.querySelector('[data-act="close"]').textContent = "×";
  box.querySelector('[data-act="close"]').title = words.close;
  var scale = 1, x = 0, y = 0, drag = null;

  function draw() {
    img.style.transform = "translate(" + x + "px," + y + "px) scale(" + scale + ")";
    label.textContent = Math.round(scale * 100) + "%";
  }
  function fit() {
    var w = stage.clientWidth, h = stage.clientHeight;
    var iw = img.naturalWidth || 1, ih = img.naturalHeight || 1;
    scale = Math.min(1, w / iw, h / ih);
    x = (w - iw * scale) / 2; y = (h - ih * scale) / 2;
    draw();
  }
  function zoom(factor, cx, cy) {
    var next = Math.max(0.05, Math.min(16, scale * factor));
    if (cx === undefined) { cx = stage.clientWidth / 2; cy = stage.clientHeight / 2; }
    x = cx - (cx - x) * next / scale; y = cy - (cy - y) * next / scale;
    scale = next;
    draw();
  }
  function open(link) {
    var fig = link.closest("figure"), cap = fig && fig.querySelector("figcaption");
    caption.textContent = cap ? cap.textContent : "";
    box.hidden = false;
    img.onload = fit;
    img.src = link.getAttribute("href");
    if (img.complete) fit();
  }
  function close() { box.hidden = true; }
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function (ev) { ev.preventDefault(); open(link); });
  });
  box.addEventListener("click", function (ev) {
    var act = ev.target.getAttribute && ev.target.getAttribute("data-act");
    if (act === "in") zoom(1.25);
    else if (act === "out") zoom(0.8);
    else if (act === "fit") { scale = 1; x = 0; y = 0; zoom(1); }
    else if (act === "close") close();
  });
  stage.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = stage.getBoundingClientRect();
    zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  stage.addEventListener("pointerdown", function (ev) {
    drag = { px: ev.clientX, py: ev.clientY, x: x, y: y };
    stage.classList.add("dragging");
    stage.setPointerCapture(ev.pointerId);
  });
  stage.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    x = drag.x + ev.clientX - drag.px; y = drag.y + ev.clientY - drag.py;
    draw();
  });
  stage.addEventListener("pointerup", function () { drag = null; stage.classList.remove("dragging"); });
  document.addEventListener("keydown", function (ev) {
    if (box.hidden) return;
    if (ev.key === "Escape") close();
    else if (ev.key === "+" || ev.key === "=") zoom(1.25);
    else if (ev.key === "-") zoom(0.8);
    else if (ev.key === "0") fit();
  });
  window.addEventListener("resize", function () { if (!box.hidden) fit(); });
})();
