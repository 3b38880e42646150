// Draws the month's cumulative growth of every indicator: the district beside the city
// and the province, one group of bars per indicator.
(function () {
  var el = document.getElementById("growth-chart");
  var source = document.getElementById("growth-chart-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var colours = { district: "#c0272d", city: "#1f6fb2", province: "#6c757d" };
  var chart = echarts.init(el);
  chart.setOption({
    grid: { left: 140, right: 48, top: 36, bottom: 24 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + data.unit; } },
    legend: { top: 0 },
    yAxis: { type: "category", data: data.names, inverse: true },
    xAxis: { type: "value", axisLabel: { formatter: "{value}" + data.unit } },
    toolbox: { feature: { saveAsImage: { pixelRatio: 2, title: "PNG" } } },
    series: data.series.map(function (s) {
      return {
        type: "bar", name: s.name, data: s.values, itemStyle: { color: colours[s.level] || "#999" },
        label: { show: s.level === "district", position: "right", formatter: function (p) { return p.value == null ? "" : p.value + data.unit; } }
      };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
