/* The measures page's chart: headcount ratio and poverty gap index by area (percent).
   Data comes from the page (json_script "measures-data"); ECharts is vendored. */
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("measures-chart");
    var source = document.getElementById("measures-data");
    if (!el || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 36, bottom: 72 },
      legend: { top: 0, data: [data.labels.fgt0, data.labels.fgt1] },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v.toFixed(2) + " %"; } },
      xAxis: { type: "category", data: data.names, axisLabel: { rotate: 45, interval: 0 } },
      yAxis: { type: "value", name: "%" },
      series: [
        { name: data.labels.fgt0, type: "bar", data: data.fgt0, itemStyle: { color: "#c2410c" } },
        { name: data.labels.fgt1, type: "bar", data: data.fgt1, itemStyle: { color: "#1e3a8a" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
