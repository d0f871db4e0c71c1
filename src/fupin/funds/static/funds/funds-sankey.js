/* The funds page's Sankey diagram: disbursements from fund source to program to county to
   project. Data comes from the page (json_script "fund-flow-data"): nodes have a unique
   key (name) and a label to show; ECharts is vendored. */
(function () {
  "use strict";
  var COLORS = { source: "#9b1c1c", program: "#1d4ed8", county: "#15803d", project: "#c2410c" };
  function draw() {
    var el = document.getElementById("fund-flow-chart");
    var source = document.getElementById("fund-flow-data");
    if (!el || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var labels = {};
    data.nodes.forEach(function (n) { labels[n.name] = n.label; });
    var money = function (v) { return v.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " " + data.yuan; };
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.dataType === "edge") return labels[p.data.source] + " → " + labels[p.data.target] + "<br>" + money(p.data.value);
          return labels[p.name] + "<br>" + money(p.value);
        }
      },
      series: [{
        type: "sankey",
        left: 8, right: 160, top: 8, bottom: 8,
        nodeAlign: "left",
        emphasis: { focus: "adjacency" },
        lineStyle: { color: "gradient", opacity: 0.35 },
        label: { formatter: function (p) { return labels[p.name]; } },
        data: data.nodes.map(function (n) { return { name: n.name, itemStyle: { color: COLORS[n.kind] } }; }),
        links: data.links
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
