// The project map (一项目一图谱): one row per key node, planned and actual dates as
// points on a time axis, overdue nodes in red, and a line for today.
(function () {
  var el = document.getElementById("project-map");
  var source = document.getElementById("project-map-data");
  if (!el || !source || !window.echarts) return;
  var d = JSON.parse(source.textContent);
  var colours = { done: "#198754", overdue: "#c0272d", planned: "#6c757d", unplanned: "#adb5bd", not_needed: "#ced4da" };
  function points(dates) {
    var out = [];
    dates.forEach(function (date, i) { if (date) out.push({ value: [date, d.nodes[i]], itemStyle: { color: colours[d.status[i]] } }); });
    return out;
  }
  var links = [];
  d.nodes.forEach(function (name, i) {
    if (d.planned[i] && d.actual[i]) links.push([{ coord: [d.planned[i], name] }, { coord: [d.actual[i], name] }]);
  });
  var chart = echarts.init(el);
  chart.setOption({
    grid: { left: 110, right: 24, top: 36, bottom: 30 },
    legend: { top: 0 },
    tooltip: { trigger: "item", formatter: function (p) { return vgEscape(p.seriesName) + "<br>" + vgEscape(p.value[1]) + "：" + vgEscape(p.value[0]); } },
    xAxis: {
      type: "time",
      // Keep today's line in view even when every date lies before or after it.
      min: function (v) { return Math.min(v.min, Date.parse(d.today)) - 3 * 86400000; },
      max: function (v) { return Math.max(v.max, Date.parse(d.today)) + 3 * 86400000; }
    },
    yAxis: { type: "category", data: d.nodes, inverse: true },
    series: [
      { name: d.labels.planned, type: "scatter", symbol: "emptyCircle", symbolSize: 13, data: points(d.planned),
        markLine: { symbol: "none", label: { formatter: d.labels.today }, lineStyle: { color: "#c0272d", type: "dashed" }, data: [{ xAxis: d.today }] } },
      { name: d.labels.actual, type: "scatter", symbol: "circle", symbolSize: 11, data: points(d.actual),
        markLine: { symbol: ["none", "arrow"], lineStyle: { color: "#999" }, data: links } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
