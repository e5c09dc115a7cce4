// World map: country shapes from world-atlas (TopoJSON) in an equirectangular projection, event places as markers.
"use strict";
(function () {
  const m = window.marsad;
  const NS = "http://www.w3.org/2000/svg";
  const W = 960, H = 480;
  const svg = document.getElementById("map");
  const form = document.getElementById("map-form");
  const count = document.getElementById("map-count");
  const list = document.getElementById("map-list");
  const project = ([lon, lat]) => [((lon + 180) / 360) * W, ((90 - lat) / 180) * H];

  function ringPath(ring) {
    return ring.map((p, i) => (i ? "L" : "M") + project(p).map((v) => v.toFixed(1)).join(",")).join("") + "Z";
  }
  function geometryPath(g) {
    if (!g) return "";
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    return polygons.map((poly) => poly.map(ringPath).join("")).join("");
  }
  function svgEl(tag, attrs) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  }

  const layers = { land: svgEl("g", { class: "land" }), markers: svgEl("g", { class: "markers" }) };
  svg.append(layers.land, layers.markers);

  async function drawLand() {
    const topo = await m.json("/static/vendor/countries-110m.json");
    for (const f of window.topojson.feature(topo, topo.objects.countries).features) {
      const path = svgEl("path", { d: geometryPath(f.geometry), class: "country" });
      path.appendChild(svgEl("title", {})).textContent = (f.properties && f.properties.name) || "";
      layers.land.appendChild(path);
    }
  }

  function fit(points) {
    if (!points.length) return svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    const xs = points.map((p) => project([p.lon, p.lat])[0]), ys = points.map((p) => project([p.lon, p.lat])[1]);
    let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    let w = Math.max(x1 - x0 + 120, 160), h = Math.max(y1 - y0 + 60, 80);
    if (w / h > 2) h = w / 2; else w = h * 2;
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    svg.setAttribute("viewBox", [cx - w / 2, cy - h / 2, w, h].map((v) => v.toFixed(1)).join(" "));
    return w / W;
  }

  async function load() {
    const points = await m.json("/api/map?" + m.query(form));
    layers.markers.replaceChildren();
    list.replaceChildren();
    const scale = fit(points) || 1;
    for (const p of points) {
      const [x, y] = project([p.lon, p.lat]);
      const n = p.events || p.documents || 1;
      const link = svgEl("a", { href: m.entityUrl(p.entity) });
      const dot = svgEl("circle", { cx: x.toFixed(2), cy: y.toFixed(2), r: ((3 + 2 * Math.sqrt(n)) * scale).toFixed(2),
        class: "marker marker-" + p.kind, "stroke-width": (0.8 * scale).toFixed(2) });
      dot.appendChild(svgEl("title", {})).textContent = p.name + (p.name_en ? " · " + p.name_en : "") + " · " + n +
        (p.reports ? " (" + p.reports + ")" : "");
      link.appendChild(dot);
      layers.markers.appendChild(link);
      const li = m.el("li");
      li.appendChild(m.el("a", p.name, { href: m.entityUrl(p.entity) }));
      li.appendChild(m.el("small", " " + Object.entries(p.types).map(([k, v]) => k + " " + v).join(", ") + " (" + n + ")"));
      list.appendChild(li);
    }
    count.textContent = points.length + " " + count.dataset.markers;
  }

  form.addEventListener("submit", (evt) => { evt.preventDefault(); load(); });
  m.fill(form);
  drawLand().then(load);
})();
