/* Draw the chain map of an explorer page with vis-network (served by this server).

   The data is the JSON in #network-data: nodes (with their server-computed level, from
   upstream to downstream), edges and options. The script places the nodes itself, in
   columns by level, left to right, and wraps a column that is taller than the box into
   sub-columns, so the map uses the width it is given; physics is off, so every load draws
   the same picture. Every label must be legible at the first view (font size x scale >=
   12 px). When the whole graph cannot be, its nodes are folded into their plan segment
   (context nodes into their industry; then everything into industries) as labelled group
   boxes that open on click. Marked nodes (the focus, the path, the top gaps) are never
   folded. If even the folded map is too big, it is drawn at the legible scale around the
   marked nodes (or from its upstream corner) and the user pans. */
(function () {
  "use strict";
  var holder = document.getElementById("network");
  var source = document.getElementById("network-data");
  if (!holder || !source || typeof vis === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var tools = document.getElementById("map-tools");
  var stateText = document.getElementById("map-state");
  var MIN_PX = 12, MAX_SCALE = 1.5, COL_GAP = 40, GAP = 14, LINE = 1.25, LANE = 44;
  var FONT = data.options.nodes.font.size;
  var WRAP = data.options.nodes.widthConstraint.maximum;
  var FACE = data.options.nodes.font.face;
  var measure = document.createElement("canvas").getContext("2d");
  var drawnSize = {}, busy = false;
  var COLORS = {};
  (data.legend.status || []).forEach(function (s) { COLORS[s.status] = s.color; });
  var RANK = { operating: 4, project: 3, plan: 2, none: 1 };
  var DARK = { operating: true, project: true };

  function tip(text) {
    var div = document.createElement("div");
    div.className = "tip";
    div.textContent = text;
    return div;
  }
  function say(key, count) {
    return (tools ? tools.getAttribute("data-" + key) || "" : "").replace("{n}", count);
  }
  data.nodes.forEach(function (n) {
    n.plain = n.label;
    if (n.title) { n.title = tip(n.title); }
  });
  data.edges.forEach(function (e) { if (e.title) { e.title = tip(e.title); } });

  var state = { depth: 0, open: {}, auto: true };

  /* The group a node folds into at `depth` (1: context nodes by industry; 2: members by
     segment too; 3: everything by industry), or null when it is drawn as itself. */
  function groupOf(n, depth) {
    if (!depth || n.pinned || !n.clusters || !n.clusters.length) { return null; }
    var context = n.role === "context";
    if (depth === 1 && !context) { return null; }
    var last = n.clusters[n.clusters.length - 1];
    var c = depth === 2 && !context ? n.clusters[0] : last;
    return state.open[c.id] ? null : c;
  }

  function groupNode(c, members) {
    var products = members.filter(function (m) { return m.status !== "enterprise"; });
    var firms = members.length - products.length;
    var best = "none";
    products.forEach(function (m) { if ((RANK[m.status] || 0) > RANK[best]) { best = m.status; } });
    var levels = products.map(function (m) { return m.level; }).sort(function (a, b) { return a - b; });
    var gaps = members.filter(function (m) { return m.gap; }).length;
    var line = say("count", products.length) + (firms ? " · " + say("firms", firms) : "") +
      (gaps ? " · " + say("gaps", gaps) : "");
    var names = members.slice(0, 14).map(function (m) { return "· " + m.plain; });
    if (members.length > 14) { names.push("· …"); }
    return {
      id: "group:" + c.id, group: c.id, label: c.label + "\n" + line, plain: c.label,
      shape: "box", margin: 8, borderWidth: gaps ? 3 : 1, status: best, members: members.length,
      level: levels.length ? levels[Math.floor((levels.length - 1) / 2)] : members[0].level,
      color: { background: COLORS[best], border: gaps ? "#d62828" : "#4b5262",
               hover: { background: COLORS[best], border: "#111" },
               highlight: { background: COLORS[best], border: "#111" } },
      font: { color: DARK[best] ? "#ffffff" : "#1d2330" }, widthConstraint: { maximum: WRAP + 30 },
      title: tip(c.label + "\n" + names.join("\n") + "\n" + say("open", members.length))
    };
  }

  /* The nodes and edges drawn at fold depth `depth` (0: every node). */
  function view(depth) {
    var groups = {}, order = [], to = {}, out = [], links = [], seen = {};
    data.nodes.forEach(function (n) {
      var c = groupOf(n, depth);
      if (!c) { out.push(n); to[n.id] = n.id; return; }
      if (!groups[c.id]) { groups[c.id] = { c: c, members: [] }; order.push(c.id); }
      groups[c.id].members.push(n);
    });
    var largest = 0;
    order.forEach(function (id) {
      var g = groups[id];
      largest = Math.max(largest, g.members.length);
      if (g.members.length === 1) { out.push(g.members[0]); to[g.members[0].id] = g.members[0].id; return; }
      var node = groupNode(g.c, g.members);
      out.push(node);
      g.members.forEach(function (m) { to[m.id] = node.id; });
    });
    data.edges.forEach(function (e) {
      var a = to[e.from], b = to[e.to];
      if (a === b) { return; }
      if (a === e.from && b === e.to) { links.push(e); return; }
      var key = a + ">" + b;
      if (seen[key]) { seen[key].width = Math.min(seen[key].width + 0.5, 5); return; }
      seen[key] = { id: "agg:" + key, from: a, to: b, width: 1.5, dashes: false,
                    color: { color: "#8a8f99", opacity: 0.8 } };
      links.push(seen[key]);
    });
    return { nodes: out, edges: links, largest: largest };
  }

  /* Estimated drawn width and height of a node (its label measured in the map's font and
     wrapped at WRAP px). */
  function size(n) {
    var known = drawnSize[n.id + "|" + n.label];
    if (known) { return known; }
    var px = (n.font && n.font.size) || (n.mark ? FONT + 2 : FONT);
    var most = n.widthConstraint ? n.widthConstraint.maximum : WRAP;
    var wide = 0, lines = 0;
    measure.font = (n.font && n.font.bold || n.mark ? "bold " : "") + px + "px " + FACE;
    String(n.label).split("\n").forEach(function (t) {
      var w = measure.measureText(t).width;  // word wrapping leaves ragged lines: +15 %
      wide = Math.max(wide, Math.min(w, most));
      lines += w <= most ? 1 : Math.ceil((w * 1.15) / most);
    });
    var text = lines * px * LINE;
    if (n.shape === "box") {
      var half = text / 2 + (n.margin || 5) + 2;
      return { w: wide + 2 * (n.margin || 5) + 4, up: half, down: half };
    }
    var r = n.size || data.options.nodes.size;
    return { w: Math.max(wide, 2 * r), up: r, down: r + text + 8 };
  }

  /* Remember the drawn size of every node of the map (its box with the label, around
     its centre), so that the next placement uses real sizes, not estimates. */
  function learn() {
    var changed = false;
    nodes.get().forEach(function (n) {
      var b = network.getBoundingBox(n.id), key = n.id + "|" + n.label, was = drawnSize[key];
      if (!b || !(b.right > b.left)) { return; }
      var now = { w: b.right - b.left, up: n.y - b.top, down: b.bottom - n.y };
      if (!was || Math.abs(was.w - now.w) + Math.abs(was.up - now.up) + Math.abs(was.down - now.down) > 1) {
        changed = true;
      }
      drawnSize[key] = now;
    });
    return changed;
  }

  /* Columns of `v`: longest path over the links that run downstream (from a lower to a
     higher server level), with a node that has no upstream pulled next to its nearest
     downstream one; so a folded map has as many columns as its longest chain of groups. */
  function layer(v) {
    var ups = {}, downs = {}, col = {};
    var byLevel = v.nodes.slice().sort(function (a, b) { return a.level - b.level; });
    var level = {};
    v.nodes.forEach(function (n) { level[n.id] = n.level; });
    v.edges.forEach(function (e) {
      if (!(e.from in level) || !(e.to in level) || level[e.from] >= level[e.to]) { return; }
      (ups[e.to] = ups[e.to] || []).push(e.from);
      (downs[e.from] = downs[e.from] || []).push(e.to);
    });
    byLevel.forEach(function (n) {
      col[n.id] = Math.max.apply(null, [0].concat((ups[n.id] || []).map(function (u) { return col[u] + 1; })));
    });
    byLevel.forEach(function (n) {
      if (!ups[n.id] && downs[n.id]) {
        col[n.id] = Math.max(0, Math.min.apply(null, downs[n.id].map(function (d) { return col[d]; })) - 1);
      }
    });
    v.nodes.forEach(function (n) { n.column = col[n.id]; });
  }

  /* Place `v`'s nodes in columns by level, each as wide as its widest label, wrapping a
     column at `height` canvas px; inside a column, order by the mean row of a node's
     upstream neighbours. Returns the drawing's extent. */
  function place(v, height) {
    var byLevel = {}, row = {}, ups = {};
    var route = v.nodes.some(function (n) { return n.mark === "path"; });
    var sum = function (list) { return list.reduce(function (a, s) { return a + s.h; }, 0); };
    v.edges.forEach(function (e) { (ups[e.to] = ups[e.to] || []).push(e.from); });
    layer(v);
    v.nodes.forEach(function (n, i) { n.order = i; (byLevel[n.column] = byLevel[n.column] || []).push(n); });
    var right = 0, tallest = 0;
    Object.keys(byLevel).map(Number).sort(function (a, b) { return a - b; }).forEach(function (level) {
      var column = byLevel[level];
      column.forEach(function (n) {
        var rows = (ups[n.id] || []).filter(function (u) { return u in row; }).map(function (u) { return row[u]; });
        n.bary = rows.length ? rows.reduce(function (a, b) { return a + b; }, 0) / rows.length : 1e6 + n.order;
      });
      column.sort(function (a, b) { return a.bary - b.bary || a.order - b.order; });
      var stacks = [[]], used = 0;
      column.forEach(function (n) {
        var box = size(n), h = box.up + box.down + GAP;
        if (used + h > height && stacks[stacks.length - 1].length) { stacks.push([]); used = 0; }
        stacks[stacks.length - 1].push({ n: n, h: h, w: box.w, up: box.up });
        used += h;
      });
      stacks.forEach(function (stack) {
        var wide = Math.max.apply(null, stack.map(function (s) { return s.w; }));
        var seq = stack, y;
        if (route && stacks.length === 1) {
          // keep the route's row free: its nodes in the middle, the others above and below
          var mid = stack.filter(function (s) { return s.n.mark === "path"; });
          var rest = stack.filter(function (s) { return s.n.mark !== "path"; });
          var top = rest.slice(0, Math.ceil(rest.length / 2)), low = rest.slice(top.length);
          var midH = mid.length ? sum(mid) : LANE;
          seq = top.concat(mid.length ? mid : [{ lane: true, h: LANE }], low);
          y = -(sum(top) + midH / 2);
          tallest = Math.max(tallest, 2 * Math.max(sum(top), sum(low)) + midH);
        } else {
          y = -sum(stack) / 2;
          tallest = Math.max(tallest, sum(stack));
        }
        seq.forEach(function (s, i) {
          if (!s.lane) {
            s.n.x = right + wide / 2; s.n.y = y + GAP / 2 + s.up;
            row[s.n.id] = s.n.y + i * 1e-3;
          }
          y += s.h;
        });
        right += wide + COL_GAP;
      });
    });
    return { width: right - COL_GAP, height: tallest };
  }

  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var options = data.options;
  options.layout = { hierarchical: { enabled: false }, randomSeed: 7, improvedLayout: false };
  var network = new vis.Network(holder, { nodes: nodes, edges: edges }, options);

  /* Lay out and draw `v` at the largest scale (down to legible) at which it fits the box;
     returns false when it fits at no legible scale. */
  function draw(v, around) {
    var W = holder.clientWidth, H = holder.clientHeight, legible = MIN_PX / FONT;
    var fit = null, box;
    [1, 0.93, legible].some(function (s) {
      box = place(v, H / s - 30);
      var scale = Math.min((W - 20) / box.width, (H - 10) / (box.height + 20), MAX_SCALE);
      if (scale >= legible) { fit = scale; return true; }
      return false;
    });
    var drawn = box.width * (fit || legible);
    if (fit && drawn < 0.8 * W && box.width > 0) {  // use the width: spread the columns
      var stretch = Math.min(3, (0.8 * W) / drawn);
      v.nodes.forEach(function (n) { n.x *= stretch; });
      box.width *= stretch;
      fit = Math.min(fit, (W - 20) / box.width);
    }
    busy = true;  // vis-network may draw while the data sets are being replaced
    nodes.clear(); edges.clear();
    nodes.add(v.nodes.map(function (n) { return Object.assign({}, n, { fixed: true, physics: false }); }));
    edges.add(v.edges);
    busy = false;
    var scale = fit || legible;
    var center = { x: box.width / 2, y: 0 };
    if (!fit) {
      var ids = around && around.length ? around : v.nodes.filter(function (n) { return n.pinned; }).map(function (n) { return n.id; });
      var at = v.nodes.filter(function (n) { return ids.indexOf(n.id) >= 0; });
      if (at.length) {
        center = { x: at.reduce(function (a, n) { return a + n.x; }, 0) / at.length,
                   y: at.reduce(function (a, n) { return a + n.y; }, 0) / at.length };
      } else {
        center = { x: -10 + W / (2 * scale), y: -box.height / 2 + H / (2 * scale) };
      }
    }
    network.moveTo({ position: center, scale: scale });
    return !!fit;
  }

  function report(fits) {
    var folded = nodes.get().filter(function (n) { return n.members; }).length;
    holder.setAttribute("data-depth", String(state.depth));
    holder.setAttribute("data-pan", fits ? "false" : "true");
    if (!tools) { return; }
    var parts = [];
    if (folded) { parts.push(say(["", "folded-context", "folded", "folded-industry"][state.depth], folded)); }
    if (!fits) { parts.push(say("pan", 0)); }
    stateText.textContent = parts.join(" ");
    tools.hidden = !(folded || !fits || !state.auto);
  }

  /* Draw at the finest depth that fits legibly (0; 1: context by industry; 2: members by
     segment; 3: all by industry); folding everything into industries is used only if it
     shrinks the map and no group swallows half of it. */
  function render(around) {
    lastAround = around;
    var v = view(state.depth);
    var fits = draw(v, around);
    for (var depth = state.depth + 1; !fits && state.auto && depth <= 3; depth++) {
      var next = view(depth);
      if (next.nodes.length >= v.nodes.length) { continue; }  // folds nothing more here
      if (depth === 3 && next.largest * 2 > data.nodes.length) { break; }
      state.depth = depth;
      v = next;
      fits = draw(v, around);
    }
    report(fits);
  }

  network.on("click", function (params) {
    if (params.nodes.length !== 1) { return; }
    var node = nodes.get(params.nodes[0]);
    if (!node) { return; }
    if (node.members) {
      state.open[node.group] = true;
      state.auto = false;
      passes = 0; pending = true;
      holder.setAttribute("data-drawn", "false");
      render(data.nodes.filter(function (n) {
        return n.clusters && n.clusters.some(function (c) { return c.id === node.group; });
      }).map(function (n) { return n.id; }));
      return;
    }
    if (node.url) { window.location.href = node.url; }
  });
  network.on("hoverNode", function () { holder.style.cursor = "pointer"; });
  network.on("blurNode", function () { holder.style.cursor = ""; });
  if (tools) {
    document.getElementById("map-all").addEventListener("click", function () {
      state = { depth: 0, open: {}, auto: false };
      passes = 0; pending = true;
      holder.setAttribute("data-drawn", "false");
      render();
    });
    document.getElementById("map-fold").addEventListener("click", function () {
      state = { depth: 0, open: {}, auto: true };
      passes = 0; pending = true;
      holder.setAttribute("data-drawn", "false");
      render();
    });
  }
  /* The first drawings measure the nodes as vis-network draws them; the map is placed
     again with those sizes until nothing changes (at most three times). */
  var passes = 0, lastAround = null;
  network.on("afterDrawing", function () {
    if (busy || !nodes.length || (holder.getAttribute("data-drawn") === "true" && !pending)) { return; }
    if (learn() && passes < 3) {
      passes += 1;
      render(lastAround);
      return;
    }
    pending = false;
    holder.setAttribute("data-drawn", "true");
  });
  var pending = true;
  render();
  window.chainkgNetwork = network;
})();
