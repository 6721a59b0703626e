// The query page: YASGUI on /sparql, with the README's example queries in a menu.
// the example queries come as JSON in a data block (not run as a script: the CSP allows no inline script)
const EXAMPLES = JSON.parse(document.getElementById("example-queries").textContent);
localStorage.clear();
// termgraph's prefixes are predeclared at /sparql: the editor knows them too (no "Prefix 'tg' is not
// defined" on a query that runs), and the results table writes IRIs with them
const PREDECLARED = JSON.parse(document.getElementById("predeclared").textContent);
const sparqlMode = Yasgui.Yasqe.modes && Yasgui.Yasqe.modes.sparql11;
if (sparqlMode) {
  Yasgui.Yasqe.modes.sparql11 = function (...args) {
    const mode = sparqlMode.apply(this, args);
    const start = mode.startState;
    mode.startState = function (...more) {
      const state = start.apply(this, more);
      Object.assign(state.prefixes, PREDECLARED);
      return state;
    };
    return mode;
  };
}
// An error comes back as termgraph's JSON ({"error": {"status", "type", "message"}}): show its
// message as a sentence, not the raw JSON.
function errorMessage(error) {
  const body = (error && (error.response && error.response.text || error.text || error.responseText)) || "";
  try {
    const parsed = JSON.parse(body).error;
    if (parsed && parsed.message) return parsed;
  } catch (e) { /* not termgraph's JSON: YASGUI's own rendering follows */ }
  return undefined;
}
Yasgui.Yasr.defaults.errorRenderers = [async error => {
  const parsed = errorMessage(error);
  if (!parsed) return undefined;
  const box = document.createElement("div");
  box.className = "query-error";
  box.setAttribute("role", "alert");
  const head = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = `The query was not run (${parsed.status} ${parsed.type})`;
  head.appendChild(strong);
  const message = document.createElement("p");
  message.textContent = parsed.message;
  box.append(head, message);
  return box;
}];
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: {endpoint: window.location.origin + "/sparql", method: "POST"},
  copyEndpointOnNewTab: true,
  endpointCatalogueOptions: {getData: () => []},
  persistenceId: null,
  yasqe: {autocompleters: [], editorHeight: "260px"},
  yasr: {prefixes: PREDECLARED},
});
const select = document.getElementById("examples");
EXAMPLES.forEach((ex, i) => { const o = document.createElement("option"); o.value = i; o.textContent = ex.name; select.appendChild(o); });
function load(i) { yasgui.getTab().setQuery(EXAMPLES[i].query); }
// whole cells, not cut off with an ellipsis: a quote is the answer, not a preview of it
function wholeCells() {
  const yasr = yasgui.getTab().getYasr();
  const table = yasr && yasr.config.plugins.table;
  if (table && (!table.dynamicConfig || table.dynamicConfig.isEllipsed !== false)) {
    table.dynamicConfig = Object.assign({}, table.dynamicConfig, {isEllipsed: false});
  }
}
wholeCells();
yasgui.on("tabChange", wholeCells);
select.addEventListener("change", () => load(select.value));
load(0);
window.yasgui = yasgui;
// YASGUI leaves some controls without names: give them one, and make the editor's scroll box focusable
function label() {
  document.querySelectorAll(".autocomplete").forEach(i => i.setAttribute("aria-label", "SPARQL endpoint URL"));
  document.querySelectorAll(".CodeMirror textarea").forEach(t => t.setAttribute("aria-label", "SPARQL query"));
  document.querySelectorAll(".CodeMirror-scroll").forEach(d => d.setAttribute("tabindex", "0"));
  // a tab list may hold only tabs: the "+" (add a tab) button goes; the examples menu replaces it
  document.querySelectorAll(".tabsList .addTab").forEach(b => b.parentElement.remove());
}
label();
new MutationObserver(label).observe(document.getElementById("yasgui"), {childList: true, subtree: true});
