// A self-hosted reading of /openapi.json: every operation with its parameters.
"use strict";
(async function () {
  const m = window.marsad;
  const root = document.getElementById("api");
  const spec = await m.json("/openapi.json");
  root.appendChild(m.el("p", spec.info.title + " " + spec.info.version + " — " + (spec.info.description || "")));
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const section = m.el("section", null, { class: "op" });
      const head = m.el("h2");
      head.append(m.el("span", method.toUpperCase(), { class: "method method-" + method }), m.el("code", " " + path));
      section.append(head, m.el("p", op.summary || ""));
      if (op.description) section.appendChild(m.el("p", op.description));
      if (op.parameters && op.parameters.length) {
        const table = m.el("table");
        const tr = m.el("tr");
        for (const h of ["name", "in", "type", "required", "description"]) tr.appendChild(m.el("th", h));
        table.appendChild(tr);
        for (const p of op.parameters) {
          const row = m.el("tr");
          for (const v of [p.name, p.in, (p.schema && (p.schema.type || "")) || "", p.required ? "yes" : "",
                           p.description || ""]) row.appendChild(m.el("td", v));
          table.appendChild(row);
        }
        section.appendChild(table);
      }
      root.appendChild(section);
    }
  }
})();
