// Behaviour shared by every page, bound through data attributes: the pages carry no
// inline script, so the Content-Security-Policy can forbid it.
(function () {
  "use strict";

  function each(selector, fn) {
    document.querySelectorAll(selector).forEach(fn);
  }

  // A drop-down that submits its form as soon as a choice is made.
  each("select[data-vg-autosubmit]", function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // A drop-down that reloads the page with its value as a query parameter.
  each("select[data-vg-navigate]", function (select) {
    select.addEventListener("change", function () {
      var name = select.getAttribute("data-vg-navigate");
      window.location.search = "?" + encodeURIComponent(name) + "=" + encodeURIComponent(select.value);
    });
  });

  // A box that ticks or clears every box named in data-vg-select-all.
  each("input[data-vg-select-all]", function (box) {
    box.addEventListener("change", function () {
      each("input[name='" + box.getAttribute("data-vg-select-all") + "']", function (other) {
        other.checked = box.checked;
      });
    });
  });

  // Bootstrap's classes for the widgets of a form rendered by Django.
  each("form[data-vg-bootstrap] input:not([type=hidden]):not([type=checkbox]):not([type=radio]), form[data-vg-bootstrap] textarea", function (el) {
    el.classList.add("form-control");
  });
  each("form[data-vg-bootstrap] select", function (el) { el.classList.add("form-select"); });

  // The camera takes one photo each time it opens: once a camera input holds a photo,
  // an empty one is added after it, so several photos can be taken on the spot.
  function morePhotos(block) {
    var input = block.querySelector("input[type=file]");
    input.addEventListener("change", function () {
      if (!input.files.length || block.nextElementSibling && block.nextElementSibling.hasAttribute("data-vg-camera")) {
        return;
      }
      var next = block.cloneNode(true);
      var fresh = next.querySelector("input[type=file]");
      fresh.value = "";
      fresh.removeAttribute("id");
      block.insertAdjacentElement("afterend", next);
      morePhotos(next);
    });
  }
  each("[data-vg-camera]", morePhotos);

  // A long check or apply: disable the button and say that work is under way.
  each("form[data-vg-busy]", function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
      form.querySelectorAll(".vg-busy").forEach(function (note) { note.classList.remove("d-none"); });
    });
  });
})();

// Text from the database shown in a chart's HTML tooltip: never markup.
window.vgEscape = function (text) {
  return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
};
