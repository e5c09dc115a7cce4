// Actor graph: entities as nodes, actor -> target edges per PLOVER type, width by distinct events (not reports);
// tapping an edge lists its events, each with its report count, in the side panel.
"use strict";
(function () {
  const m = window.marsad;
  const form = document.getElementById("graph-form");
  const count = document.getElementById("graph-count");
  const panel = document.getElementById("edge-events");
  const palette = ["#1b7f79", "#c0392b", "#8e44ad", "#d35400", "#2c3e50", "#27ae60", "#2980b9", "#b7950b"];
  let cy = null;

  async function load() {
    const data = await m.json("/api/graph?" + m.query(form));
    const types = [...new Set(data.edges.map((e) => e.type))].sort();
    const elements = [
      ...data.nodes.map((n) => ({ data: { id: n.id, label: n.name, degree: n.degree } })),
      ...data.edges.map((e) => ({
        data: { id: e.id, source: e.source, target: e.target, label: e.type + " ×" + e.weight, weight: e.weight,
                color: palette[types.indexOf(e.type) % palette.length], events: e.events },
      })),
    ];
    if (cy) cy.destroy();
    cy = window.cytoscape({
      container: document.getElementById("graph"),
      elements,
      style: [
        { selector: "node", style: { label: "data(label)", "background-color": "#1b4f72", color: "#222",
          "font-size": 13, width: "mapData(degree, 1, 20, 18, 48)", height: "mapData(degree, 1, 20, 18, 48)",
          "text-valign": "bottom", "text-margin-y": 4 } },
        { selector: "edge", style: { label: "data(label)", "font-size": 10, "curve-style": "bezier",
          "target-arrow-shape": "triangle", "line-color": "data(color)", "target-arrow-color": "data(color)",
          width: "mapData(weight, 1, 10, 1.5, 8)", "text-rotation": "autorotate", color: "#555" } },
      ],
      layout: { name: data.nodes.length > 1 ? "cose" : "grid", animate: false, padding: 30 },
      wheelSensitivity: 0.3,
    });
    cy.on("tap", "node", (evt) => { location.href = m.entityUrl(evt.target.id()); });
    cy.on("tap", "edge", (evt) => showEdge(evt.target));
    window.marsadGraph = cy;
    count.textContent = data.nodes.length + " " + count.dataset.nodes + " · " + data.edges.length + " " + count.dataset.edges +
      (data.total > data.edges.length ? " " + count.dataset.of + " " + data.total : "");
  }

  function showEdge(edge) {
    panel.replaceChildren();
    const head = m.el("li", null, { class: "edge-head" });
    head.append(m.el("strong", edge.source().data("label")), m.el("span", " → " + edge.data("label") + " → "),
                m.el("strong", edge.target().data("label")));
    panel.appendChild(head);
    for (const ev of edge.data("events")) {
      const li = m.el("li");
      li.appendChild(m.el("a", (ev.first || "—") + " · " + (ev.title || ev.id), { href: "/corpus-events/" + encodeURIComponent(ev.id) }));
      li.appendChild(m.el("small", " " + ev.reports + " · " + ev.outlets.join("، ")));
      panel.appendChild(li);
    }
  }

  form.addEventListener("submit", (evt) => { evt.preventDefault(); load(); });
  m.fill(form);
  load();
})();
