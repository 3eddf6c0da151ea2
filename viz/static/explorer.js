/* Draw the chain map of an explorer page with vis-network (served by this server).
   The data is the JSON in #network-data: nodes, edges and options built on the server,
   with a hierarchical layout and physics off, so every load draws the same picture. */
(function () {
  "use strict";
  var holder = document.getElementById("network");
  var source = document.getElementById("network-data");
  if (!holder || !source || typeof vis === "undefined") { return; }
  var data = JSON.parse(source.textContent);

  function tip(text) {
    var div = document.createElement("div");
    div.className = "tip";
    div.textContent = text;
    return div;
  }
  data.nodes.forEach(function (n) { if (n.title) { n.title = tip(n.title); } });
  data.edges.forEach(function (e) { if (e.title) { e.title = tip(e.title); } });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(holder, { nodes: nodes, edges: edges }, data.options);

  network.on("click", function (params) {
    if (params.nodes.length !== 1) { return; }
    var node = nodes.get(params.nodes[0]);
    if (node && node.url) { window.location.href = node.url; }
  });
  network.on("hoverNode", function () { holder.style.cursor = "pointer"; });
  network.on("blurNode", function () { holder.style.cursor = ""; });
  network.once("afterDrawing", function () {
    // leave room for the labels at the edges, which fit() does not count
    network.moveTo({ position: network.getViewPosition(), scale: network.getScale() * 0.92 });
    holder.setAttribute("data-drawn", "true");
  });
  window.chainkgNetwork = network;
})();
