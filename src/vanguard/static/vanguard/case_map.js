// A city case on a small map, drawn as vectors over the district's outline with no base
// map and no request to any other host. On a case's page it shows the case's point (and
// its grid); on the new-case form a tap on the map fills in the longitude and latitude
// (WGS84, as the map is drawn).
(function () {
  var source = document.getElementById("vg-case-data");
  if (!source || !window.L) return;
  var data = JSON.parse(source.textContent);
  var outline = { color: "#1d3557", weight: 2, fillColor: "#f8f6ef", fillOpacity: 1 };
  var pin = { radius: 7, color: "#fff", weight: 2, fillColor: "#d1242f", fillOpacity: 1 };

  function draw(el) {
    var map = L.map(el, { attributionControl: false });
    var land = L.geoJSON(data.district, { style: outline, interactive: false }).addTo(map);
    if (data.grid) {
      L.geoJSON(data.grid, { style: { color: "#2a9d8f", weight: 2, fillOpacity: 0.2 }, interactive: false }).addTo(map);
    }
    return { map: map, land: land };
  }

  var shown = document.getElementById("vg-case-map");
  if (shown && data.point) {
    var view = draw(shown);
    var point = [data.point[1], data.point[0]];
    view.map.setView(point, 15);
    L.circleMarker(point, pin).addTo(view.map).bindTooltip(data.label || "");
    shown.setAttribute("data-vg-ready", "1");
  }

  var picker = document.getElementById("vg-case-picker");
  if (picker) {
    var pick = draw(picker);
    pick.map.fitBounds(pick.land.getBounds(), { padding: [10, 10] });
    var lon = document.getElementById("id_lon");
    var lat = document.getElementById("id_lat");
    var system = document.getElementById("id_coordinate_system");
    var marker = null;
    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, pin).addTo(pick.map);
    }
    if (lon && lat && lon.value && lat.value && system && system.value === "wgs84") {
      var start = [parseFloat(lat.value), parseFloat(lon.value)];
      if (isFinite(start[0]) && isFinite(start[1])) place(start);
    }
    pick.map.on("click", function (event) {
      place(event.latlng);
      if (lon) lon.value = event.latlng.lng.toFixed(6);
      if (lat) lat.value = event.latlng.lat.toFixed(6);
      if (system) system.value = "wgs84";
    });
    picker.setAttribute("data-vg-ready", "1");
  }
})();
