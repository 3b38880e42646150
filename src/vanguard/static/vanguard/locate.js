// "Use my location": fills a form's longitude and latitude from the phone (WGS84) and
// marks the coordinates as WGS84. Bound through data attributes: no inline script.
(function () {
  "use strict";

  document.querySelectorAll("[data-vg-locate]").forEach(function (button) {
    var form = button.closest("form");
    var block = button.closest("[data-vg-locate-block]");
    var status = block ? block.querySelector("[data-vg-locate-status]") : null;

    function say(key) {
      if (status) {
        status.textContent = button.getAttribute("data-msg-" + key) || "";
      }
    }

    button.addEventListener("click", function () {
      if (!form) {
        return;
      }
      if (!("geolocation" in navigator)) {
        say("none");
        return;
      }
      say("busy");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var lon = form.querySelector("[data-vg-lon]");
          var lat = form.querySelector("[data-vg-lat]");
          var system = form.querySelector("[data-vg-system]");
          if (lon) { lon.value = position.coords.longitude.toFixed(6); }
          if (lat) { lat.value = position.coords.latitude.toFixed(6); }
          if (system) { system.value = "wgs84"; }
          button.disabled = false;
          say("done");
        },
        function () {
          button.disabled = false;
          say("denied");
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });
  });
})();
