// The graph viewer: asks the server for neighbourhoods (never the whole graph), lays them out
// with the dagre layered layout (broader terms above narrower ones; deterministic), and shows who
// says what about a line in the side panel. Every term shown is also a button under the graph.
(function () {
  "use strict";
  const KIND = {concept: ["#dbe7f3", "#457b9d", "term"], system: ["#fde2d8", "#c4502f", "AI system"],
                org: ["#d6efec", "#21867a", "organisation"]};
  const $ = id => document.getElementById(id);
  const cyEl = $("cy"), panel = $("panel"), statusEl = $("status");
  const CAP = Number(cyEl.dataset.cap);  // the page says how many nodes to ask for
  // Terms are labelled at 15 px and lines at 13 px, never zoomed below MIN_ZOOM: on screen at least
  // ~10.5 and 9 px (the start view, at START_ZOOM or more, ~12.75 and 11 px)
  const START_ZOOM = 0.85, MIN_ZOOM = 0.7;
  const lines = label => Math.max(1, Math.ceil(label.length * 8.4 / 130));
  const cy = cytoscape({
    container: cyEl, minZoom: MIN_ZOOM, maxZoom: 3, boxSelectionEnabled: false,
    style: [
      {selector: "node", style: {
        "shape": "round-rectangle", "label": "data(label)", "text-valign": "center", "text-halign": "center",
        "text-wrap": "wrap", "text-max-width": 130, "font-size": 15, "color": "#1d2330",
        "width": n => Math.min(146, 16 + n.data("label").length * 8.4), "height": n => 12 + 19 * lines(n.data("label")),
        "background-color": n => (KIND[n.data("kind")] || KIND.concept)[0],
        "border-color": n => (KIND[n.data("kind")] || KIND.concept)[1], "border-width": 1.5}},
      {selector: "node[?core]", style: {"font-weight": "bold", "border-width": 3}},
      {selector: "edge", style: {"width": e => 1 + Math.min(4, e.data("count") || 1), "curve-style": "bezier",
        "control-point-step-size": 28, "target-arrow-shape": "triangle",
        "arrow-scale": 0.8, "line-color": "#6b7385", "target-arrow-color": "#6b7385", "font-size": 13, "color": "#1d2330",
        "text-background-color": "#fff", "text-background-opacity": 0.9, "text-background-padding": 2,
        "text-rotation": "autorotate", "text-wrap": "wrap"}},
      {selector: "edge[?symmetric]", style: {"target-arrow-shape": "none"}},
      {selector: "edge.noyes", style: {"line-style": "dotted"}},
      {selector: "edge.denial", style: {"target-arrow-shape": "tee", "label": "data(said)"}},
      {selector: "edge[?disputed]", style: {"line-color": "#b3261e", "target-arrow-color": "#b3261e", "line-style": "dashed", "width": 2}},
      {selector: "edge.near, edge.hover, edge:selected", style: {"label": "data(said)", "z-index": 10}},
      {selector: "node:selected, node.found", style: {"border-color": "#e09f00", "border-width": 4}},
      {selector: ".hidden", style: {"display": "none"}},
    ],
  });
  window.cy = cy;
  let centres = new Set(), note = "", mode = "neighbourhood";

  const checked = cls => new Set([...document.querySelectorAll("input." + cls + ":checked")].map(i => i.value));
  async function getJSON(url) {
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
    return body;
  }
  function add(data) {
    cy.batch(() => {
      data.elements.nodes.forEach(n => { if (cy.getElementById(n.data.id).empty()) cy.add({group: "nodes", data: n.data}); });
      data.elements.edges.forEach(e => { if (cy.getElementById(e.data.id).empty()) cy.add({group: "edges", data: e.data}); });
    });
    note = data.shown < data.total ? `Showing ${data.shown} of the ${data.total} terms around these. ` : "";
  }
  function layout() {
    const shown = cy.elements().not(".hidden");
    const eles = shown;
    // layered, left to right: arrows run from narrower to broader terms
    const few = eles.nodes().length <= 12;  // room for the lines' labels when there is room at all
    eles.layout({name: "dagre", rankDir: "LR", nodeSep: 12, rankSep: few ? 170 : 70, edgeSep: 8, ranker: "network-simplex",
                 animate: false, fit: true, padding: 24}).run();
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(shown); }
    if (cy.zoom() < START_ZOOM) {  // too many to fit readably: the core terms in view, the rest by panning
      const core = cy.nodes("[?core]").not(".hidden");
      cy.fit(core.length ? core : shown, 30);  // (no closer than MIN_ZOOM)
      if (cy.zoom() > START_ZOOM) { cy.zoom(START_ZOOM); cy.center(core.length ? core : shown); }
    }
  }
  // Show these nodes with the core terms: all of them when they fit at a readable zoom, else the
  // core terms nearest to them, as many as fit (the term found never pushes every core term off screen).
  function keepInView(eles) {
    const pad = 40, w = cy.width() - 2 * pad, h = cy.height() - 2 * pad;
    const at = eles.boundingBox();
    const middle = {x: (at.x1 + at.x2) / 2, y: (at.y1 + at.y2) / 2};
    const far = n => Math.hypot(n.position("x") - middle.x, n.position("y") - middle.y);
    const core = cy.nodes("[?core]").not(".hidden").sort((a, b) => far(a) - far(b));
    let shown = eles;
    core.forEach(n => {
      const box = shown.union(n).boundingBox();
      if (box.w * MIN_ZOOM <= w && box.h * MIN_ZOOM <= h) shown = shown.union(n);
    });
    cy.fit(shown, pad);  // (the viewer's minZoom, MIN_ZOOM, bounds it: labels stay readable)
    if (cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(shown); }
  }
  function apply() {
    const sources = checked("source"), stances = checked("stance"), kinds = checked("kind");
    cy.batch(() => {
      cy.edges().forEach(e => {
        const claims = e.data("claims").filter(c => sources.has(c.source) && stances.has(c.stance));
        const ends = kinds.has(e.source().data("kind")) && kinds.has(e.target().data("kind"));
        e.toggleClass("hidden", !(claims.length && ends));
        e.toggleClass("noyes", !claims.some(c => c.stance === "asserts"));
        // one edge per pair of terms and relation: how many sources say yes, no, or with reservations
        const count = st => new Set(claims.filter(c => c.stance === st).map(c => c.source)).size;
        const yes = count("asserts"), no = count("denies"), other = count("qualifies");
        const denial = no > 0 && yes === 0 && other === 0;
        e.toggleClass("denial", denial);
        const tally = [yes && `${yes} yes`, no && `${no} no`, other && `${other} with reservations`].filter(Boolean).join(" · ");
        e.data({count: new Set(claims.map(c => c.source)).size, tally: tally,
                said: `${denial ? e.data("denied") : e.data("relation")}\n${tally}`});
      });
      cy.nodes().forEach(n => n.toggleClass("hidden", !(kinds.has(n.data("kind")) &&
        (centres.has(n.id()) || n.connectedEdges().not(".hidden").length > 0))));
    });
    layout();
    const nodes = cy.nodes().not(".hidden"), edges = cy.edges().not(".hidden");
    statusEl.textContent = note + `${nodes.length} terms and ${edges.length} links shown.`;
    cyEl.dataset.nodes = nodes.length;
    cyEl.dataset.edges = edges.length;
    listNodes(nodes);
  }
  function button(text, onclick) {
    const b = document.createElement("button");
    b.type = "button"; b.textContent = text; b.addEventListener("click", onclick);
    return b;
  }
  function listNodes(nodes) {
    const ul = $("nodelist");
    ul.replaceChildren(...nodes.sort((a, b) => a.data("label").localeCompare(b.data("label"))).map(n => {
      const li = document.createElement("li");
      li.appendChild(button(n.data("label"), () => focusNode(n.id())));
      return li;
    }));
  }
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function link(href, text) { const a = el("a", text); a.href = href; return a; }
  function showEdge(e) {
    const d = e.data();
    const parts = [el("h3", `${e.source().data("label")} ${d.relation} ${e.target().data("label")}`)];
    if (d.tally) parts.push(el("p", `Sources: ${d.tally}.`, "tally"));
    if (d.disputed) {
      const p = el("p", "Sources disagree: ", "dispute");
      d.kinds.forEach((k, i) => { p.appendChild(link(d.disagreements[i] || "/disagreements", k)); if (i < d.kinds.length - 1) p.append(", "); });
      parts.push(p);
    }
    d.claims.forEach(c => {
      const box = el("div", "", "claim");
      const who = el("p");
      who.append(link("/" + c.source, c.name), " ", el("span", c.answer, "badge " + c.stance), " ", el("span", c.firmness, "muted"));
      box.append(who, el("blockquote", c.quote), link("/" + c.claim, "the claim"));
      parts.push(box);
    });
    panel.replaceChildren(...parts);
  }
  function showNode(n) {
    const parts = [el("h3", n.data("label")), el("p", (KIND[n.data("kind")] || KIND.concept)[2], "muted")];
    if (n.data("alt").length) parts.push(el("p", "Also called: " + n.data("alt").join(", ")));
    const open = el("p"); open.appendChild(link("/" + n.id(), "Open its page: every source's claims and quotes")); parts.push(open);
    const ul = el("ul");
    n.connectedEdges().not(".hidden").forEach(e => {
      const li = el("li");
      li.appendChild(button(`${e.source().data("label")} ${e.data("relation")} ${e.target().data("label")}`, () => showEdge(e)));
      ul.appendChild(li);
    });
    if (ul.children.length) parts.push(el("p", "Links (choose one to read who says so):"), ul);
    panel.replaceChildren(...parts);
  }
  async function focusNode(id) {
    if (mode === "neighbourhood" && !centres.has(id)) {
      centres.add(id);
      add(await getJSON(`/viewer/neighbourhood.json?node=${encodeURIComponent(id)}&cap=${CAP}`));
    }
    const n = cy.getElementById(id);
    if (n.empty()) return;
    const box = document.querySelector(`input.kind[value="${n.data("kind")}"]`);
    if (box && !box.checked) box.checked = true;
    apply();
    cy.elements().unselect(); cy.edges().removeClass("near");
    n.select(); n.connectedEdges().addClass("near");
    keepInView(n);  // the core terms stay on screen beside the term (not pushed off by centring on it)
    showNode(n);
  }
  async function start() {
    mode = "neighbourhood"; centres = new Set(); cy.elements().remove();
    const data = await getJSON(`/viewer/neighbourhood.json?cap=${CAP}`);
    data.centres.forEach(c => centres.add(c));
    add(data); apply();
  }
  async function sourceView(id) {
    mode = "view"; centres = new Set(); cy.elements().remove();
    const data = await getJSON(`/viewer/source-view.json?source=${encodeURIComponent(id)}&cap=${CAP}`);
    add(data); apply();
    statusEl.textContent = `The taxonomy according to ${data.name}: ` + statusEl.textContent;
  }
  cy.on("tap", "node", ev => focusNode(ev.target.id()));
  cy.on("tap", "edge", ev => { cy.edges().removeClass("hover"); ev.target.addClass("hover"); showEdge(ev.target); });
  cy.on("mouseover", "edge", ev => { ev.target.addClass("hover"); showEdge(ev.target); });
  cy.on("mouseout", "edge", ev => ev.target.removeClass("hover"));
  document.querySelectorAll(".controls input[type=checkbox]").forEach(i => i.addEventListener("change", apply));
  $("view").addEventListener("change", ev => (ev.target.value ? sourceView(ev.target.value) : start()).then(ready));
  $("reset").addEventListener("click", () => { $("view").value = ""; start().then(ready); });
  $("find").addEventListener("submit", async ev => {
    ev.preventDefault();
    const q = $("search").value.trim();
    if (!q) return;
    cy.nodes().removeClass("found");
    const hits = (await getJSON("/search.json?q=" + encodeURIComponent(q))).filter(h => h.kind in KIND);
    if (!hits.length) { statusEl.textContent = `Nothing is called “${q}”.`; return; }
    const h = hits[0];
    if (mode !== "neighbourhood") { $("view").value = ""; await start(); }
    await focusNode(h.id);
    cy.getElementById(h.id).addClass("found");
    statusEl.textContent = `Found ${h.label}` + (h.matched !== h.label ? ` (${h.how} “${h.matched}”). ` : ". ") + statusEl.textContent;
  });
  function ready() { cyEl.dataset.ready = "yes"; }
  start().then(ready).catch(err => { statusEl.textContent = "Could not load the graph: " + err.message; });
})();
