// Timeline of dated events, each real-world event once with its number of reports; item content is built as
// DOM text, never HTML.
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
    // Overlapping items are drawn as one cluster: thousands of boxes would take seconds to lay out.
    cluster: { maxItems: 3, showStipes: true, fitOnDoubleClick: true },
  });
  window.marsadTimeline = timeline;

  function content(ev) {
    const box = m.el("span", null, { class: "tl-item tl-" + ev.type });
    box.appendChild(m.el("strong", ev.type));
    const who = [ev.actor, ev.target].filter(Boolean).join(" ← ");
    if (who) box.appendChild(m.el("span", " " + who));
    if (ev.reports > 1) box.appendChild(m.el("small", " ×" + ev.reports, { class: "tl-reports" }));
    return box;
  }

  async function load() {
    const events = await m.json("/api/timeline?" + m.query(form));
    items.clear();
    items.add(events.map((ev) => ({ id: ev.id, start: ev.start, content: content(ev),
                                    // an element, not a string: vis-timeline would parse a string as HTML
                                    title: m.el("span", [ev.title, ev.outlets.join("، ")].filter(Boolean).join(" · ")) })));
    count.textContent = events.length + " " + count.dataset.items;
    if (events.length) {
      // The window spans the 2nd to 98th percentile of the dates: a few events dated decades back (history
      // recalled in an article) would otherwise squeeze the rest into one column. fit() also cuts the outermost
      // labels off in RTL; pad the window by a fifth on each side.
      const times = events.map((ev) => Date.parse(ev.start)).sort((a, b) => a - b);
      const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
      const [lo, hi] = [at(0.02), at(0.98)];
      const pad = Math.max((hi - lo) / 5, 15 * 86400000);
      timeline.setWindow(lo - pad, hi + pad, { animation: false });
    }
  }

  timeline.on("select", (props) => {
    const item = props.items.length ? items.get(props.items[0]) : null;
    if (item) location.href = "/corpus-events/" + encodeURIComponent(item.id);
  });
  form.addEventListener("submit", (evt) => { evt.preventDefault(); load(); });
  m.fill(form);
  load();
})();
