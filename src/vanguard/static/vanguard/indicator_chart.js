// Draws an indicator's monthly cumulative growth: the district against the city, the
// province and the growth target (a dashed line over the months it applies to).
(function () {
  var el = document.getElementById("indicator-chart");
  var source = document.getElementById("indicator-chart-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var colours = { district: "#c0272d", city: "#1f6fb2", province: "#6c757d" };
  var series = data.series.map(function (s) {
    var home = s.level === "district";
    return {
      type: "line", name: s.name, data: s.values, connectNulls: false,
      symbolSize: home ? 8 : 5, lineStyle: { width: home ? 3 : 2 },
      itemStyle: { color: colours[s.level] || "#999" },
      label: { show: home, position: "top", formatter: function (p) { return p.value == null ? "" : p.value + data.unit; } }
    };
  });
  if (data.target) {
    series.push({
      type: "line", name: data.target.name, data: data.target.values, step: "middle",
      symbol: "none", lineStyle: { type: "dashed", width: 2 }, itemStyle: { color: "#e0a800" }
    });
  }
  var chart = echarts.init(el);
  chart.setOption({
    grid: { left: 48, right: 24, top: 48, bottom: 32 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + data.unit; } },
    legend: { top: 0 },
    xAxis: { type: "category", data: data.labels },
    yAxis: { type: "value", scale: true, axisLabel: { formatter: "{value}" + data.unit } },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
