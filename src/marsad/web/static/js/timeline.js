// Timeline of dated events; item content is built as DOM text, never HTML.
"use strict";
(function () {
  const m = window.marsad;
  const form = document.getElementById("timeline-form");
  const count = document.getElementById("timeline-count");
  const items = new window.vis.DataSet();
  const timeline = new window.vis.Timeline(document.getElementById("timeline"), items, {
    rtl: document.documentElement.dir === "rtl",
    stack: true,
    maxHeight: 600,
    zoomMin: 86400000,
  });
  window.marsadTimeline = timeline;

  function content(ev) {
    const box = m.el("span", null, { class: "tl-item tl-" + ev.type });
    box.appendChild(m.el("strong", ev.type));
    const who = [ev.actor, ev.target].filter(Boolean).join(" ← ");
    if (who) box.appendChild(m.el("span", " " + who));
    return box;
  }

  async function load() {
    const events = await m.json("/api/timeline?" + m.query(form));
    items.clear();
    items.add(events.map((ev) => ({ id: ev.id, start: ev.start, content: content(ev), document: ev.document })));
    count.textContent = events.length + " " + count.dataset.items;
    if (events.length) {
      // fit() leaves the outermost labels cut off in RTL; pad the window by a fifth on each side
      const times = events.map((ev) => Date.parse(ev.start));
      const [lo, hi] = [Math.min(...times), Math.max(...times)];
      const pad = Math.max((hi - lo) / 5, 15 * 86400000);
      timeline.setWindow(lo - pad, hi + pad, { animation: false });
    }
  }

  timeline.on("select", (props) => {
    const item = props.items.length ? items.get(props.items[0]) : null;
    if (item) location.href = "/documents/" + encodeURIComponent(item.document);
  });
  form.addEventListener("submit", (evt) => { evt.preventDefault(); load(); });
  m.fill(form);
  load();
})();
