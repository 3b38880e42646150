// Draws a target's monthly checkpoints (the trajectory) and today's expected value.
(function () {
  var el = document.getElementById("trajectory-chart");
  var source = document.getElementById("trajectory-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(el);
  var series = [{
    type: "line", name: el.getAttribute("aria-label"), data: data.values, smooth: false,
    symbolSize: 7, areaStyle: { opacity: 0.08 }, itemStyle: { color: "#c0272d" },
    label: { show: true, position: "top", formatter: function (p) { return p.value + data.unit; } }
  }];
  if (data.target !== null) {
    series[0].markLine = { symbol: "none", lineStyle: { type: "dashed", color: "#555" },
      data: [{ yAxis: data.target, label: { formatter: data.target + data.unit } }] };
  }
  chart.setOption({
    grid: { left: 48, right: 24, top: 32, bottom: 32 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.labels },
    yAxis: { type: "value", axisLabel: { formatter: "{value}" + data.unit } },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
