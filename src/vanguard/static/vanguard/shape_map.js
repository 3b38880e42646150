// One shape on a small map (a grid's page): the shape over the district's outline, drawn
// as vectors, with no base map and no request to any other host.
(function () {
  var el = document.getElementById("vg-shape-map");
  var source = document.getElementById("vg-shape-data");
  if (!el || !source || !window.L) return;
  var data = JSON.parse(source.textContent);
  var map = L.map(el, { attributionControl: false });
  L.geoJSON(data.district, { style: { color: "#1d3557", weight: 2, fillColor: "#f8f6ef", fillOpacity: 1 }, interactive: false }).addTo(map);
  var shape = L.geoJSON(data.grid, { style: { color: "#2a9d8f", weight: 2, fillOpacity: 0.25 } }).addTo(map);
  map.fitBounds(shape.getBounds(), { padding: [30, 30] });
  el.setAttribute("data-vg-ready", "1");
})();
