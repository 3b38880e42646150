// The monthly progress charts (进度图): cumulative certified counts against the
// checkpoints, units ranked, and size classes. Each chart saves itself as a PNG.
(function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("progress-data").textContent);
  var L = JSON.parse(document.getElementById("progress-labels").textContent);
  var toolbox = { feature: { saveAsImage: { pixelRatio: 2, title: "PNG" } } };
  var charts = [];
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
  }
  function line(id, title, series, colour) {
    var s = [
      { name: L.actual, type: "bar", data: series.actual, itemStyle: { color: colour },
        label: { show: true, position: "top" } },
      { name: L.checkpoint, type: "line", data: series.checkpoint, connectNulls: true,
        lineStyle: { type: "dashed", color: "#555" }, itemStyle: { color: "#555" } }
    ];
    if (series.target !== null) {
      s[1].markLine = { symbol: "none", data: [{ yAxis: series.target, name: L.target }],
        label: { formatter: L.target + " {c}" }, lineStyle: { color: "#c0272d" } };
    }
    draw(id, {
      title: { text: title + " · " + d.month_display, left: "center", textStyle: { fontSize: 14 } },
      toolbox: toolbox, tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 40, right: 20, top: 50, bottom: 40 },
      xAxis: { type: "category", data: d.months }, yAxis: { type: "value" }, series: s
    });
  }
  line("chart-introduced", L.introduced, d.introduced, "#1f6feb");
  line("chart-started", L.started, d.started, "#fd7e14");
  draw("chart-units", {
    title: { text: L.units, left: "center", textStyle: { fontSize: 14 } },
    toolbox: toolbox, tooltip: { trigger: "axis" }, legend: { bottom: 0 },
    grid: { left: 150, right: 30, top: 40, bottom: 40 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: d.units.slice().reverse(), axisLabel: { fontSize: 11 } },
    series: [
      { name: L.started, type: "bar", data: d.unit_started.slice().reverse(), itemStyle: { color: "#fd7e14" } },
      { name: L.introduced, type: "bar", data: d.unit_introduced.slice().reverse(), itemStyle: { color: "#1f6feb" } }
    ]
  });
  draw("chart-sizes", {
    title: { text: L.sizes, left: "center", textStyle: { fontSize: 14 } },
    toolbox: toolbox, tooltip: { trigger: "axis" }, legend: { bottom: 0 },
    grid: { left: 40, right: 20, top: 40, bottom: 60 },
    xAxis: { type: "category", data: d.sizes, axisLabel: { interval: 0, fontSize: 11 } }, yAxis: { type: "value" },
    series: [
      { name: L.introduced_all, type: "bar", data: d.size_introduced, itemStyle: { color: "#1f6feb" } },
      { name: L.started, type: "bar", data: d.size_started, itemStyle: { color: "#fd7e14" } }
    ]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
