// The display board: pages built once, their figures replaced in place on every refresh,
// one ECharts instance per chart kept for the page's life (setOption, never init again),
// so the board runs for days with flat memory.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var boundary = JSON.parse(document.getElementById("screen-boundary").textContent);
  var words = JSON.parse(document.getElementById("screen-words").textContent);
  var pagesEl = document.getElementById("pages");
  var state = { data: null, pages: [], index: 0, charts: {} };
  var board = (window.vgBoard = { refreshes: 0, rotations: 0, failures: 0 });
  var COLORS = { red: "#ff4d4f", yellow: "#f5c400", green: "#2fbf71", grey: "#5b6b85" };

  // 1rem = 16 px at 1920 x 1080; the whole board scales with the root font size.
  function fit() {
    var unit = Math.min(window.innerWidth / 1920, window.innerHeight / 1080) * 16;
    document.documentElement.style.fontSize = unit + "px";
    Object.keys(state.charts).forEach(function (id) { state.charts[id].resize(); });
    if (state.data) { drawCharts(); }
  }
  function px(n) { return n * parseFloat(document.documentElement.style.fontSize || "16") / 16; }

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  function dot(light) { return '<span class="vg-dot vg-' + esc(light || "grey") + '"></span>'; }
  function spark(values) {
    if (!values || values.length < 2) { return ""; }
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var span = high - low || 1, step = 100 / (values.length - 1);
    var points = values.map(function (v, i) {
      return (i * step).toFixed(1) + "," + (22 - (v - low) / span * 20).toFixed(1);
    }).join(" ");
    return '<svg viewBox="0 0 100 24" style="width:6rem;height:1.5rem"><polyline fill="none" stroke="#5fb4ff" stroke-width="2" points="' + points + '"/></svg>';
  }
  function gap(t) {
    if (t.gap == null) { return "—"; }
    return t.gap > 0 ? '<span class="vg-behind">' + esc(t.gap) + esc(t.unit === "%" ? "" : t.unit) + "</span>" : esc(words.onPace);
  }
  function asOf(t) {
    return t.as_of ? words.asOf + " " + esc(t.as_of) + (t.source ? " · " + esc(t.source) : "") : "";
  }

  function overview(page) {
    var c = page.changes || {};
    return '<div class="vg-counts">' + esc(words.since) + " " + esc(c.since || "") +
      ": " + dot("red") + esc(c.turned_red) + " " + esc(words.turnedRed) +
      " &nbsp; " + dot("green") + esc(c.turned_green) + " " + esc(words.turnedGreen) +
      " &nbsp; " + esc(c.orders_issued) + " " + esc(words.orders) +
      " &nbsp; " + esc(c.talks_held) + " " + esc(words.talks) + "</div>" +
      '<div class="vg-battles">' + page.battles.map(function (b) {
        var counts = ["red", "yellow", "green", "grey"].map(function (l) {
          return b.lights[l] ? "<span>" + dot(l) + esc(b.lights[l]) + "</span>" : "";
        }).join("");
        return '<section class="vg-battle"><h2>' + esc(b.label) + '</h2><div class="vg-counts">' + counts + "</div>" +
          b.targets.slice(0, 6).map(function (t) {
            return '<div class="vg-kpi">' + dot(t.light) + "<span>" + esc(t.name) + '</span><span class="big">' +
              esc(t.actual || "—") + '</span><span class="sub">' + esc(words.checkpoint) + " " + esc(t.checkpoint || "—") +
              " · " + esc(words.gap) + " " + gap(t) + (t.as_of ? " · " + esc(t.as_of) : "") + "</span></div>";
          }).join("") + "</section>";
      }).join("") + "</div>";
  }
  function battle(page) {
    return '<table class="vg-table"><thead><tr><th></th><th></th><th>' + esc(words.target) + "</th><th>" +
      esc(words.checkpoint) + "</th><th>" + esc(words.actual) + "</th><th>" + esc(words.gap) +
      "</th><th></th></tr></thead><tbody>" + page.targets.map(function (t) {
        return "<tr><td>" + dot(t.light) + "</td><td>" + esc(t.name) + '<span class="sub">' + esc(t.period) +
          '</span></td><td class="num">' + esc(t.value || "—") + '</td><td class="num">' + esc(t.checkpoint || "—") +
          '</td><td class="num big">' + esc(t.actual || words.noFigure) + '<span class="sub">' + asOf(t) +
          '</span></td><td class="num">' + gap(t) + "</td><td>" + spark(t.trend) + "</td></tr>";
      }).join("") + "</tbody></table>";
  }
  function ranking(page) {
    return '<div class="vg-rank">' + page.battles.map(function (b) {
      return '<section class="vg-battle"><h2>' + esc(b.label) + "</h2>" + (b.units.length ? "<ol>" + b.units.map(function (u) {
        return "<li>" + esc(u.name) + " &nbsp; " + dot("red") + esc(u.red) + " " + dot("yellow") + esc(u.yellow) + "</li>";
      }).join("") + "</ol>" : "<p>" + esc(words.none) + "</p>") + "</section>";
    }).join("") + '</div><div class="vg-source">' + asOf(page) + "</div>";
  }

  // A page's frame is built once; its body is replaced on each refresh.
  function build(pages) {
    pagesEl.textContent = "";
    state.pages = pages.map(function (page) {
      var el = document.createElement("section");
      el.className = "vg-page";
      el.dataset.page = page.id;
      var body = document.createElement("div");
      body.className = "vg-page-body";
      el.appendChild(body);
      if (page.id === "charts") {
        body.innerHTML = '<div class="vg-charts"><div class="vg-chart" id="chart-introduced"></div><div class="vg-chart" id="chart-started"></div></div><div class="vg-source"></div>';
        body.style.cssText = "display:flex;flex-direction:column;gap:1rem;flex:1";
      } else if (page.id === "map") {
        body.innerHTML = '<div class="vg-map" id="chart-map"></div><div class="vg-source"></div>';
        body.style.cssText = "display:flex;flex-direction:column;gap:1rem;flex:1";
      }
      pagesEl.appendChild(el);
      return { id: page.id, el: el, body: body };
    });
    var dots = document.getElementById("page-dots");
    dots.innerHTML = state.pages.map(function () { return "<span></span>"; }).join("");
    echarts.registerMap("district", { type: "FeatureCollection", features: [boundary] });
    ["chart-introduced", "chart-started", "chart-map"].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { state.charts[id] = echarts.init(el, "dark", { renderer: "canvas" }); }
    });
  }

  function line(series, title) {
    var d = state.data.pages.filter(function (p) { return p.id === "charts"; })[0].chart;
    var s = d[series];
    return {
      backgroundColor: "transparent",
      title: { text: title, left: px(16), top: px(10), textStyle: { fontSize: px(22), color: "#fff" } },
      grid: { left: px(70), right: px(30), top: px(80), bottom: px(50) },
      legend: { top: px(14), right: px(20), textStyle: { fontSize: px(16) } },
      tooltip: { show: false },
      xAxis: { type: "category", data: d.months, axisLabel: { fontSize: px(15) } },
      yAxis: { type: "value", axisLabel: { fontSize: px(15) } },
      series: [
        { id: "actual", name: words.actual, type: "bar", data: s.actual, itemStyle: { color: "#5fb4ff" },
          label: { show: true, position: "top", fontSize: px(15), color: "#fff" } },
        { id: "checkpoint", name: words.checkpointLine, type: "line", data: s.checkpoint, symbolSize: px(8),
          lineStyle: { color: "#ffd25a", width: px(3) }, itemStyle: { color: "#ffd25a" } }
      ],
      animation: false
    };
  }
  function drawCharts() {
    var charts = state.charts;
    if (charts["chart-introduced"]) {
      charts["chart-introduced"].setOption(line("introduced", words.introduced), { replaceMerge: ["series"] });
      charts["chart-started"].setOption(line("started", words.started), { replaceMerge: ["series"] });
    }
    if (charts["chart-map"]) {
      var page = state.data.pages.filter(function (p) { return p.id === "map"; })[0];
      var groups = { red: [], yellow: [], green: [], grey: [] };
      page.map.points.forEach(function (p) { (groups[p[2]] || groups.grey).push([p[0], p[1]]); });
      charts["chart-map"].setOption({
        backgroundColor: "transparent",
        geo: { map: "district", roam: false, itemStyle: { areaColor: "#13294f", borderColor: "#5fb4ff" }, label: { show: false } },
        legend: { bottom: px(10), textStyle: { fontSize: px(16) } },
        series: ["red", "yellow", "green", "grey"].map(function (light) {
          return { id: light, name: words[light] || light, type: "scatter", coordinateSystem: "geo",
            data: groups[light], symbolSize: px(8), itemStyle: { color: COLORS[light] } };
        }),
        animation: false
      }, { replaceMerge: ["series"] });
    }
  }

  function render() {
    var byId = {};
    state.data.pages.forEach(function (p) { byId[p.id] = p; });
    state.pages.forEach(function (frame) {
      var page = byId[frame.id];
      if (!page) { return; }
      frame.title = page.title;
      if (page.id === "overview") { frame.body.innerHTML = overview(page); }
      else if (page.id === "ranking") { frame.body.innerHTML = ranking(page); }
      else if (page.id.indexOf("battle-") === 0) { frame.body.innerHTML = battle(page); }
      else { frame.body.querySelector(".vg-source").innerHTML = asOf(page); }
    });
    drawCharts();
    document.getElementById("as-of").textContent = words.asOf + " " + state.data.generated_at +
      (state.data.lights_at ? " · " + words.lightsAsOf + " " + state.data.lights_at : "");
    show(state.index);
  }

  function show(index) {
    state.index = index % state.pages.length;
    state.pages.forEach(function (frame, i) { frame.el.classList.toggle("active", i === state.index); });
    var dots = document.getElementById("page-dots").children;
    for (var i = 0; i < dots.length; i++) { dots[i].className = i === state.index ? "on" : ""; }
    document.getElementById("page-title").textContent = state.pages[state.index].title || "";
  }

  function refresh() {
    return fetch(config.data_url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        var first = !state.data;
        state.data = data;
        if (first) { build(data.pages); }
        render();
        document.getElementById("stale").hidden = true;
        board.refreshes += 1;
      })
      .catch(function () {
        board.failures += 1;
        document.getElementById("stale").hidden = !state.data;
      });
  }

  function tick() {
    document.getElementById("clock").textContent = new Date().toLocaleString("zh-CN", { hour12: false });
  }

  document.getElementById("png").addEventListener("click", function () {
    var frame = state.pages[state.index];
    window.htmlToImage.toPng(document.getElementById("stage"), { pixelRatio: 1920 / document.getElementById("stage").offsetWidth })
      .then(function (url) {
        var a = document.createElement("a");
        a.href = url;
        a.download = "board-" + frame.id + "-" + (state.data ? state.data.today : "") + ".png";
        a.click();
      });
  });
  window.addEventListener("resize", fit);
  fit();
  tick();
  setInterval(tick, 1000);
  // The next refresh is asked for when the last one has answered: a slow server never
  // has requests pile up behind each other.
  (function loop() {
    refresh().then(function () { setTimeout(loop, config.refresh * 1000); });
  })();
  setInterval(function () {
    if (state.pages.length) { show(state.index + 1); board.rotations += 1; }
  }, config.rotate * 1000);
})();
