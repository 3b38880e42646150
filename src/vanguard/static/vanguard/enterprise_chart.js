// Draws a key enterprise's monthly figures: this year's bars against last year's line.
(function () {
  var el = document.getElementById("enterprise-chart");
  var source = document.getElementById("enterprise-chart-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    grid: { left: 64, right: 24, top: 40, bottom: 32 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + data.unit; } },
    legend: { top: 0 },
    xAxis: { type: "category", data: data.labels },
    yAxis: { type: "value", axisLabel: { formatter: "{value}" } },
    series: [
      { type: "bar", name: data.this_year.name, data: data.this_year.values, itemStyle: { color: "#c0272d" }, barMaxWidth: 28 },
      { type: "line", name: data.last_year.name, data: data.last_year.values, connectNulls: false,
        symbolSize: 5, lineStyle: { width: 2, type: "dashed" }, itemStyle: { color: "#6c757d" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
