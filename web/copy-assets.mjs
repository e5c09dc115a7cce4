// Copies the front-end files the web application uses from node_modules into
// src/marsad/web/static/vendor (committed, so installing marsad needs no npm).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "src", "marsad", "web", "static", "vendor");
const files = {
  "cytoscape/dist/cytoscape.min.js": "cytoscape.min.js",
  "cytoscape/LICENSE": "cytoscape.LICENSE",
  "vis-timeline/standalone/umd/vis-timeline-graph2d.min.js": "vis-timeline-graph2d.min.js",
  "vis-timeline/styles/vis-timeline-graph2d.min.css": "vis-timeline-graph2d.min.css",
  "vis-timeline/LICENSE.MIT.txt": "vis-timeline.LICENSE",
  "topojson-client/dist/topojson-client.min.js": "topojson-client.min.js",
  "topojson-client/LICENSE": "topojson-client.LICENSE",
  "world-atlas/countries-110m.json": "countries-110m.json",
  "world-atlas/LICENSE": "world-atlas.LICENSE",
};
mkdirSync(vendor, { recursive: true });
for (const [from, to] of Object.entries(files)) {
  copyFileSync(join(here, "node_modules", from), join(vendor, to));
}
console.log(`copied ${Object.keys(files).length} files to ${vendor}`);
