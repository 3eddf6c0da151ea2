/* The SPARQL page: examples fill the editor, Run shows the results in a table, the
   download links follow the text. Plain JavaScript, no library, no other server. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sparql-config").textContent);
  var editor = document.getElementById("sparql-query");
  var table = document.getElementById("sparql-results");
  var status = document.getElementById("sparql-status");
  var SHOWN = 500;

  function form(text) {
    var body = text.split("\n").filter(function (l) { return l.trim().charAt(0) !== "#"; })
      .join("\n").replace(/<[^<>\s]*>/g, " ");
    var m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(body);
    var word = m ? m[1].toUpperCase() : "SELECT";
    return word === "SELECT" || word === "ASK" ? "select" : "graph";
  }

  function links() {
    var text = editor.value, kind = form(text);
    document.querySelectorAll("a.download").forEach(function (a) {
      var params = new URLSearchParams({ query: text, format: a.dataset.format });
      a.href = config.root + "/sparql?" + params.toString();
      a.hidden = a.dataset.forms.split(" ").indexOf(kind) < 0;
    });
  }

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function render(columns, rows) {
    table.innerHTML = "";
    var head = document.createElement("thead"), tr = document.createElement("tr");
    columns.forEach(function (c) { tr.appendChild(cell("th", c)); });
    head.appendChild(tr);
    var body = document.createElement("tbody");
    rows.slice(0, SHOWN).forEach(function (row) {
      var r = document.createElement("tr");
      row.forEach(function (v) { r.appendChild(cell("td", v)); });
      body.appendChild(r);
    });
    table.appendChild(head);
    table.appendChild(body);
    var text = config.rows.replace("%d", rows.length);
    if (rows.length > SHOWN) { text += config.cut.replace("%d", SHOWN); }
    status.textContent = text;
  }

  function term(t) {
    if (t.charAt(0) === "<") { return t.slice(1, -1); }
    var m = /^"(.*)"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?$/.exec(t);
    if (!m) { return t; }
    try { return JSON.parse('"' + m[1] + '"'); } catch (e) { return m[1]; }
  }

  function triples(text) {
    var rows = [];
    text.split("\n").forEach(function (line) {
      var m = /^(\S+)\s+(\S+)\s+(.*?)\s*\.\s*$/.exec(line);
      if (m) { rows.push([term(m[1]), term(m[2]), term(m[3])]); }
    });
    return rows;
  }

  function run(ev) {
    ev.preventDefault();
    var text = editor.value, kind = form(text);
    var params = new URLSearchParams({ query: text, format: kind === "graph" ? "nt" : "json" });
    status.textContent = config.running;
    fetch(config.root + "/sparql?" + params.toString())
      .then(function (r) {
        return r.text().then(function (body) { return { ok: r.ok, body: body }; });
      })
      .then(function (res) {
        if (!res.ok) { table.innerHTML = ""; status.textContent = res.body; return; }
        if (kind === "graph") { render(["subject", "predicate", "object"], triples(res.body)); return; }
        var data = JSON.parse(res.body);
        if (typeof data.boolean === "boolean") { render(["boolean"], [[String(data.boolean)]]); return; }
        var vars = data.head.vars;
        render(vars, data.results.bindings.map(function (b) {
          return vars.map(function (v) { return b[v] ? b[v].value : ""; });
        }));
      })
      .catch(function (err) { status.textContent = String(err); });
  }

  document.querySelectorAll("button.example").forEach(function (b) {
    b.addEventListener("click", function () {
      editor.value = b.dataset.query;
      document.querySelectorAll("button.example").forEach(function (o) { o.classList.remove("active"); });
      b.classList.add("active");
      links();
    });
  });
  editor.addEventListener("input", links);
  document.getElementById("sparql-form").addEventListener("submit", run);
  links();
})();
