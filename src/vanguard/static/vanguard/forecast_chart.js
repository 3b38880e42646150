// Draws each indicator's forecast year-end growth as a bar, with the growth it must
// beat (its target, or the better comparator's forecast) as a marker.
(function () {
  var el = document.getElementById("forecast-chart");
  var source = document.getElementById("forecast-chart-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var labels = JSON.parse(document.getElementById("forecast-chart-labels").textContent);
  var chart = echarts.init(el);
  chart.setOption({
    grid: { left: 140, right: 40, top: 36, bottom: 24 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + data.unit; } },
    legend: { top: 0 },
    yAxis: { type: "category", data: data.names, inverse: true },
    xAxis: { type: "value", axisLabel: { formatter: "{value}" + data.unit } },
    series: [
      {
        type: "bar", name: labels.forecast, data: data.forecasts.map(function (v, i) {
          var t = data.thresholds[i];
          var colour = t == null ? "#6c757d" : (v > t ? "#198754" : "#c0272d");
          return { value: v, itemStyle: { color: colour } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return p.value + data.unit; } }
      },
      {
        type: "scatter", name: labels.threshold, data: data.thresholds, symbol: "diamond",
        symbolSize: 14, itemStyle: { color: "#e0a800" }
      }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
