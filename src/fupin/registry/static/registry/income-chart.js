/* The household page's chart: per capita net income by year against the poverty line.
   Data comes from the page (json_script "income-data"); ECharts is vendored. */
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("income-chart");
    var source = document.getElementById("income-data");
    if (!el || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var bars = data.per_capita.map(function (value, i) {
      var line = data.line[i];
      var below = line !== null && value < line;
      return { value: value, itemStyle: { color: below ? "#c2410c" : "#15803d" } };
    });
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 16, top: 36, bottom: 28 },
      legend: { top: 0, data: [data.labels.per_capita, data.labels.line] },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v.toLocaleString() + " " + data.labels.yuan; } },
      xAxis: { type: "category", data: data.years.map(String) },
      yAxis: { type: "value", name: data.labels.yuan, nameGap: 12 },
      series: [
        { name: data.labels.per_capita, type: "bar", data: bars, barMaxWidth: 36, itemStyle: { color: "#15803d" } },
        {
          name: data.labels.line, type: "line", data: data.line, connectNulls: true, symbol: "circle", symbolSize: 6,
          lineStyle: { type: "dashed", width: 2, color: "#1e3a8a" }, itemStyle: { color: "#1e3a8a" }
        }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
