// The map (一张网一张图): every layer the user may open, fetched for the visible area only
// (GeoJSON from /api/v1/map/layers/NAME?bbox=...), with the unit and category filters.
// With no base map configured the district's shipped boundary is the land, and nothing
// is asked of any other host. Text from the server goes into the page as text, never
// as markup.
(function () {
  var el = document.getElementById("vg-map");
  var source = document.getElementById("vg-map-config");
  if (!el || !source || !window.L) return;
  var config = JSON.parse(source.textContent);
  var texts = config.texts;
  var lights = config.lights;
  var rank = { grey: 0, green: 1, yellow: 2, red: 3 };

  // Clustering needs a highest zoom, which a map without tiles does not get from them.
  var map = L.map(el, { zoomSnap: 0.5, minZoom: 7, maxZoom: config.tiles ? config.tiles.max_zoom : 18, attributionControl: !!config.tiles });
  map.fitBounds(config.bounds);
  if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
  if (config.tiles) {
    var options = { maxZoom: config.tiles.max_zoom, attribution: config.tiles.attribution || "" };
    if (config.tiles.subdomains) options.subdomains = config.tiles.subdomains;
    L.tileLayer(config.tiles.url, options).addTo(map);
    if (config.tiles.labels) L.tileLayer(config.tiles.labels, options).addTo(map);
  }
  el.setAttribute("data-vg-ready", "1");

  function format(text, count) { return text.replace("{count}", count.toLocaleString()); }
  function colourOf(props, layer) { return props.light ? lights[props.light] || lights.grey : layer.colour; }
  function worst(counts) {
    var found = null;
    Object.keys(counts || {}).forEach(function (light) {
      if (counts[light] && (found === null || rank[light] > rank[found])) found = light;
    });
    return found;
  }

  // A feature's popup: its name, unit, category and light as text, and a link to its page.
  function popup(props) {
    var box = document.createElement("div");
    var title = document.createElement("div");
    title.className = "fw-semibold";
    title.textContent = props.label || "";
    box.appendChild(title);
    [props.unit, props.category].forEach(function (line) {
      if (!line) return;
      var row = document.createElement("div");
      row.className = "small text-muted";
      row.textContent = line;
      box.appendChild(row);
    });
    if (props.light) {
      var light = document.createElement("div");
      light.className = "small";
      var dot = document.createElement("span");
      dot.className = "vg-dot vg-light-" + props.light;
      light.appendChild(dot);
      light.appendChild(document.createTextNode(" " + (props.light_label || "")));
      box.appendChild(light);
    }
    if (props.url) {
      var link = document.createElement("a");
      link.href = props.url;
      link.textContent = texts.open;
      box.appendChild(link);
    }
    return box;
  }

  function pin(latlng, props, layer) {
    var icon = L.divIcon({ className: "", html: "", iconSize: [14, 14] });
    var marker = L.marker(latlng, { icon: icon, title: props.label || "" });
    marker.on("add", function () {
      var node = marker.getElement();
      if (node) { node.className += " vg-pin"; node.style.background = colourOf(props, layer); }
    });
    marker.bindPopup(function () { return popup(props); });
    marker.feature = { properties: props };
    return marker;
  }

  function bubble(latlng, count, light, onclick) {
    var size = count < 100 ? 30 : count < 1000 ? 38 : 46;
    var icon = L.divIcon({
      className: "",
      html: "<div class=\"vg-bubble\" style=\"width:" + size + "px;height:" + size + "px;background:" +
        (lights[light] || light) + "\">" + vgEscape(count.toLocaleString()) + "</div>",
      iconSize: [size, size]
    });
    var marker = L.marker(latlng, { icon: icon, title: format(texts.cluster, count) });
    marker.on("click", onclick);
    return marker;
  }

  function clusterGroup(layer) {
    return L.markerClusterGroup({
      showCoverageOnHover: false,
      iconCreateFunction: function (cluster) {
        var counts = {};
        cluster.getAllChildMarkers().forEach(function (m) {
          var light = m.feature.properties.light;
          if (light) counts[light] = (counts[light] || 0) + 1;
        });
        var count = cluster.getChildCount();
        var size = count < 100 ? 30 : count < 1000 ? 38 : 46;
        var colour = lights[worst(counts)] || layer.colour;
        return L.divIcon({
          className: "",
          html: "<div class=\"vg-bubble\" style=\"width:" + size + "px;height:" + size + "px;background:" +
            colour + "\">" + vgEscape(count.toLocaleString()) + "</div>",
          iconSize: [size, size]
        });
      }
    });
  }

  var state = {};
  config.layers.forEach(function (layer) {
    state[layer.name] = { layer: layer, group: null, request: null, category: "" };
  });
  var unitSelect = document.getElementById("vg-map-unit");

  function status(name, text) {
    var node = document.querySelector("[data-vg-status=\"" + name + "\"]");
    if (node) node.textContent = text;
  }

  function query(entry, withBox) {
    var params = new URLSearchParams();
    if (withBox) {
      var b = map.getBounds();
      params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(6); }).join(","));
    }
    if (entry.category) params.set("category", entry.category);
    if (unitSelect && unitSelect.value && entry.layer.filters.indexOf("unit") >= 0) params.set("unit", unitSelect.value);
    return params.toString();
  }

  function draw(entry, data) {
    var layer = entry.layer;
    if (entry.group) map.removeLayer(entry.group);
    var group;
    if (data.clustered) {
      group = L.layerGroup();
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        var latlng = L.latLng(c[1], c[0]);
        bubble(latlng, f.properties.count, worst(f.properties.lights) || layer.colour, function () {
          map.setView(latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
        }).addTo(group);
      });
      status(layer.name, format(texts.clustered, data.count));
    } else if (layer.kind === "points") {
      group = layer.cluster ? clusterGroup(layer) : L.layerGroup();
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        group.addLayer(pin(L.latLng(c[1], c[0]), f.properties, layer));
      });
      status(layer.name, format(texts.points, data.count));
    } else {
      group = L.geoJSON(data, {
        style: function (f) {
          var colour = colourOf(f.properties, layer);
          var boundary = layer.name === "district";
          var weight = boundary ? 2.5 : layer.name === "streets" ? 2 : 1;
          var point = f.geometry && f.geometry.type === "Point";
          return { color: colour, weight: point ? 2 : weight, fillColor: boundary && !config.tiles ? "#f8f6ef" : colour,
                   fillOpacity: boundary ? (config.tiles ? 0 : 1) : point ? 0.75 : 0.12, interactive: !boundary };
        },
        // A shape layer's points (a renewal project given as a point) are dots in its light.
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 7 }); },
        onEachFeature: function (f, l) { if (layer.name !== "district") l.bindPopup(function () { return popup(f.properties); }); }
      });
      status(layer.name, data.too_many ? format(texts.too_many, data.count) : format(texts.points, data.count));
    }
    entry.group = group.addTo(map);
    if (layer.name === "district") group.bringToBack();
  }

  function load(entry) {
    var box = document.getElementById("vg-layer-" + entry.layer.name);
    if (entry.request) entry.request.abort();
    if (!box || !box.checked) {
      if (entry.group) { map.removeLayer(entry.group); entry.group = null; }
      status(entry.layer.name, "");
      return;
    }
    var controller = new AbortController();
    entry.request = controller;
    fetch(entry.layer.features_url + "?" + query(entry, true), { credentials: "same-origin", signal: controller.signal })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { entry.request = null; draw(entry, data); refreshExport(entry); })
      .catch(function (e) {
        if (e.name === "AbortError") return;
        status(entry.layer.name, texts.failed);
        console.error(e);
      });
  }

  function refreshExport(entry) {
    var link = document.querySelector("[data-vg-export=\"" + entry.layer.name + "\"]");
    if (link) { var q = query(entry, false); link.href = entry.layer.export_url + (q ? "?" + q : ""); }
  }

  function loadAll() { Object.keys(state).forEach(function (name) { load(state[name]); }); }

  var timer = null;
  map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(loadAll, 200); });
  document.querySelectorAll("[data-vg-layer]").forEach(function (box) {
    box.addEventListener("change", function () { load(state[box.getAttribute("data-vg-layer")]); });
  });
  document.querySelectorAll("[data-vg-category]").forEach(function (select) {
    select.addEventListener("change", function () {
      var entry = state[select.getAttribute("data-vg-category")];
      entry.category = select.value;
      load(entry);
    });
  });
  if (unitSelect) unitSelect.addEventListener("change", loadAll);
  loadAll();
})();
