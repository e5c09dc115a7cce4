// Shared helpers of the page scripts: form values as a query string, JSON fetch, DOM building.
"use strict";
window.marsad = {
  query(form) {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) params.set(k, v);
    return params.toString();
  },
  async json(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response.json();
  },
  el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  },
  entityUrl(key) {
    return "/entities/" + encodeURIComponent(key);
  },
  // Initial form values from the page's query string, so links like /timeline?entity=... pre-filter.
  fill(form) {
    const params = new URLSearchParams(location.search);
    for (const [k, v] of params) if (form.elements[k]) form.elements[k].value = v;
  },
};
