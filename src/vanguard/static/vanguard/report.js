// The photo report page (随手拍): photos from the camera, the place from the phone or a tap
// on the map (drawn from the district's shipped outline: no tiles, no other host), and
// the open reports of the same kind nearby, offered as "me too" before a new one is sent.
// Plain ES5 and XMLHttpRequest, for the older web views of phones and WeChat. Text from
// the server goes into the page as text, never as markup.
(function () {
  "use strict";
  var form = document.getElementById("vg-report-form");
  var source = document.getElementById("vg-report-config");
  if (!form || !source) return;
  var config = JSON.parse(source.textContent);
  var texts = config.texts;
  var field = function (name) { return form.elements[name]; };
  var lon = field("lon"), lat = field("lat"), system = field("coordinate_system");
  var placeStatus = form.querySelector("[data-vg-place-status]");
  var placeError = form.querySelector("[data-vg-place-error]");
  var photoError = form.querySelector("[data-vg-photo-error]");
  var submitError = form.querySelector("[data-vg-submit-error]");
  var nearbyBox = form.querySelector("[data-vg-nearby]");
  var outside = false;
  var placeWords = "";

  function each(nodes, fn) { Array.prototype.forEach.call(nodes, fn); }
  function say(node, text) { if (node) node.textContent = text || ""; }
  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  // --- the map ------------------------------------------------------------------------
  var map = null, marker = null;
  var mapNode = document.getElementById("vg-report-map");
  if (mapNode && window.L) {
    map = L.map(mapNode, { attributionControl: false, zoomSnap: 0.5, minZoom: 8, maxZoom: 18 });
    L.geoJSON(config.district, {
      style: { color: "#1d3557", weight: 2, fillColor: "#f8f6ef", fillOpacity: 1 }, interactive: false
    }).addTo(map);
    var labels = [];
    config.streets.forEach(function (street) {
      var shape = L.geoJSON(street.geometry, {
        style: { color: "#8a99a8", weight: 1, fill: false }, interactive: false
      }).addTo(map);
      var label = L.tooltip({ permanent: true, direction: "center", className: "vg-street-label" })
        .setLatLng(shape.getBounds().getCenter()).setContent(street.name);
      labels.push(label);
    });
    var showLabels = function () {
      var wanted = map.getZoom() >= 11;
      labels.forEach(function (label) {
        if (wanted && !map.hasLayer(label)) label.addTo(map);
        if (!wanted && map.hasLayer(label)) map.removeLayer(label);
      });
    };
    map.fitBounds(config.bounds);
    map.on("zoomend", showLabels);
    showLabels();
    map.on("click", function (event) { setPlace(event.latlng.lng, event.latlng.lat, "wgs84", texts.tapped, false); });
    if (config.marker) {
      marker = pin(L.latLng(config.marker[0], config.marker[1]));
      map.setView(marker.getLatLng(), 14);
    }
    mapNode.setAttribute("data-vg-ready", "1");
  }

  function pin(latlng) {
    var icon = L.divIcon({ className: "", html: "<div class=\"vg-here\"></div>", iconSize: [20, 20], iconAnchor: [10, 24] });
    return L.marker(latlng, { icon: icon, keyboard: false }).addTo(map);
  }

  // A point in WGS84 from the map or the phone: kept in the form, shown on the map.
  function setPlace(x, y, coordinates, words, zoom) {
    lon.value = x.toFixed(6);
    lat.value = y.toFixed(6);
    system.value = coordinates;
    placeWords = words;
    say(placeStatus, words);
    say(placeError, "");
    if (map) {
      var here = L.latLng(y, x);
      if (marker) marker.setLatLng(here); else marker = pin(here);
      if (zoom) map.setView(here, 14);
    }
    checkNearby();
  }

  var locate = document.querySelector("[data-vg-locate]");
  if (locate) {
    locate.addEventListener("click", function () {
      if (!navigator.geolocation) { say(placeError, texts.no_location); return; }
      say(placeStatus, texts.locating);
      navigator.geolocation.getCurrentPosition(function (position) {
        var c = position.coords;
        setPlace(c.longitude, c.latitude, "wgs84",
          format(texts.located, { metres: Math.round(c.accuracy || 0) }), true);
      }, function () {
        say(placeStatus, "");
        say(placeError, texts.no_location);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  // --- photos -------------------------------------------------------------------------
  var photos = form.querySelector("[data-vg-report-photos]");
  var previews = form.querySelector("[data-vg-previews]");
  var kept = form.querySelector("[data-vg-kept]");
  var keptCount = kept ? parseInt(kept.getAttribute("data-vg-kept"), 10) || 0 : 0;
  var album = photos ? photos.querySelector("[data-vg-album]") : null;

  function count() {
    var n = keptCount;
    each(photos.querySelectorAll("input[type=file]"), function (input) { n += input.files ? input.files.length : 0; });
    return n;
  }

  function tooLarge(input) {
    var limit = config.photo_mb * 1024 * 1024;
    for (var i = 0; i < input.files.length; i++) {
      if (input.files[i].size > limit) return format(texts.too_large, { name: input.files[i].name });
    }
    return "";
  }

  function preview(file, onRemove) {
    var box = document.createElement("div");
    box.className = "vg-preview";
    var img = document.createElement("img");
    img.className = "vg-thumb";
    img.alt = "";
    if (window.URL && URL.createObjectURL) img.src = URL.createObjectURL(file);
    box.appendChild(img);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn btn-sm btn-dark";
    remove.setAttribute("aria-label", "×");
    remove.textContent = "×";
    remove.addEventListener("click", function () { previews.removeChild(box); onRemove(); refresh(); });
    box.appendChild(remove);
    previews.appendChild(box);
    return box;
  }

  function freeSlot() {
    return photos.querySelector("[data-vg-photo-slot]:not(.vg-photo-taken)");
  }

  // The camera takes one photo each time it opens: a slot that holds one is hidden
  // behind its preview and a fresh one offered, up to the most a report takes.
  function refresh() {
    var full = count() >= config.most_photos;
    var slot = freeSlot();
    if (!slot && !full) {
      var first = photos.querySelector("[data-vg-photo-slot]");
      slot = first.cloneNode(true);
      slot.className = "vg-photo-slot";
      var input = slot.querySelector("input[type=file]");
      input.value = "";
      input.removeAttribute("id");
      photos.insertBefore(slot, photos.firstChild);
      bindSlot(slot);
    }
    if (slot) slot.style.display = full ? "none" : "";
    if (album) album.parentNode.style.display = full && !album.files.length ? "none" : "";
  }

  function bindSlot(slot) {
    var input = slot.querySelector("input[type=file]");
    input.addEventListener("change", function () {
      say(photoError, "");
      if (!input.files || !input.files.length) return;
      var problem = tooLarge(input) || (count() > config.most_photos ? texts.too_many_photos : "");
      if (problem) { input.value = ""; say(photoError, problem); return; }
      slot.className = "vg-photo-slot vg-photo-taken";
      preview(input.files[0], function () {
        if (photos.querySelectorAll("[data-vg-photo-slot]").length > 1) slot.parentNode.removeChild(slot);
        else { input.value = ""; slot.className = "vg-photo-slot"; }
      });
      refresh();
    });
  }

  if (photos) {
    each(photos.querySelectorAll("[data-vg-photo-slot]"), bindSlot);
    var albumPreviews = [];
    if (album) {
      album.addEventListener("change", function () {
        say(photoError, "");
        albumPreviews.forEach(function (box) { if (box.parentNode) box.parentNode.removeChild(box); });
        albumPreviews = [];
        var problem = tooLarge(album) || (count() > config.most_photos ? texts.too_many_photos : "");
        if (problem) { album.value = ""; say(photoError, problem); refresh(); return; }
        for (var i = 0; i < album.files.length; i++) {
          albumPreviews.push(preview(album.files[i], function () {
            album.value = "";
            albumPreviews.forEach(function (box) { if (box.parentNode) box.parentNode.removeChild(box); });
            albumPreviews = [];
          }));
        }
        refresh();
      });
    }
    refresh();
  }

  // --- the same problem nearby ------------------------------------------------------------
  var asked = 0;
  function checkNearby() {
    var category = field("category").value;
    outside = false;
    if (!nearbyBox || !category || !lon.value || !lat.value) return;
    var ticket = ++asked;
    var query = "category=" + encodeURIComponent(category) + "&lon=" + encodeURIComponent(lon.value) +
      "&lat=" + encodeURIComponent(lat.value) + "&coordinate_system=" + encodeURIComponent(system.value || "wgs84");
    say(nearbyBox, texts.checking);
    nearbyBox.setAttribute("data-vg-state", "checking");
    var request = new XMLHttpRequest();
    request.open("GET", config.nearby_url + "?" + query);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (ticket !== asked) return;
      var data = null;
      try { data = JSON.parse(request.responseText); } catch (e) { data = null; }
      if (request.status === 400 && data && data.field === "location") {
        outside = true;
        say(nearbyBox, "");
        say(placeError, data.error);
      } else if (request.status === 200 && data) {
        if (data.street && placeWords) say(placeStatus, placeWords + " " + format(texts.street, { street: data.street }));
        showNearby(data.cases, category);
      } else {
        say(nearbyBox, (data && data.error) || texts.failed);
      }
      nearbyBox.setAttribute("data-vg-state", "done");
    };
    request.onerror = function () {
      if (ticket !== asked) return;
      say(nearbyBox, texts.failed);
      nearbyBox.setAttribute("data-vg-state", "done");
    };
    request.send();
  }

  function hidden(parent, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    parent.appendChild(input);
  }

  function line(parent, className, text) {
    var node = document.createElement("div");
    node.className = className;
    node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  function showNearby(cases, category) {
    nearbyBox.textContent = "";
    field("seen").value = cases.map(function (c) { return c.number; }).join(",");
    if (!cases.length) {
      line(nearbyBox, "small text-muted", texts.none_nearby);
      return;
    }
    var card = document.createElement("div");
    card.className = "card border-warning";
    var body = document.createElement("div");
    body.className = "card-body p-2";
    line(body, "small fw-semibold mb-1", texts.nearby);
    var token = form.elements.csrfmiddlewaretoken.value;
    cases.forEach(function (c) {
      var row = document.createElement("div");
      row.className = "vg-nearby-case";
      row.setAttribute("data-vg-nearby-case", c.number);
      if (c.thumbnail) {
        var img = document.createElement("img");
        img.className = "vg-thumb";
        img.alt = "";
        img.src = c.thumbnail;
        row.appendChild(img);
      }
      var text = document.createElement("div");
      text.className = "flex-grow-1";
      line(text, "small", c.number + " · " + c.state + " · " + format(texts.metres, { metres: c.metres }));
      line(text, "small text-muted", c.reported + (c.supporters ? " · " + format(texts.supporters, { count: c.supporters }) : ""));
      line(text, "", c.description);
      var support = document.createElement("form");
      support.method = "post";
      support.action = config.support_url;
      support.className = "mt-1";
      hidden(support, "csrfmiddlewaretoken", token);
      hidden(support, "case", c.number);
      hidden(support, "category", category);
      hidden(support, "lon", lon.value);
      hidden(support, "lat", lat.value);
      hidden(support, "coordinate_system", system.value || "wgs84");
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "btn btn-sm btn-warning";
      button.textContent = texts.me_too;
      support.appendChild(button);
      text.appendChild(support);
      row.appendChild(text);
      body.appendChild(row);
    });
    card.appendChild(body);
    nearbyBox.appendChild(card);
  }

  field("category").addEventListener("change", checkNearby);
  if (lon.value && lat.value && field("category").value && !document.querySelector("[data-vg-server-nearby]")) checkNearby();

  // --- sending ------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    say(submitError, "");
    var problem = "";
    if (!lon.value || !lat.value) { problem = texts.no_place; say(placeError, problem); }
    else if (outside) problem = placeError.textContent;
    var description = field("description").value;
    if (!problem && description.indexOf("<") >= 0 && description.indexOf(">") >= 0) problem = texts.html;
    if (problem) {
      event.preventDefault();
      say(submitError, problem);
      return;
    }
    var button = form.querySelector("[data-vg-submit]");
    if (button) { button.disabled = true; button.textContent = texts.sending; }
  });
})();
