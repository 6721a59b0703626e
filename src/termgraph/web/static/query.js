// The query page: YASGUI on /sparql, with the README's example queries in a menu.
// the example queries come as JSON in a data block (not run as a script: the CSP allows no inline script)
const EXAMPLES = JSON.parse(document.getElementById("example-queries").textContent);
localStorage.clear();
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: {endpoint: window.location.origin + "/sparql", method: "POST"},
  copyEndpointOnNewTab: true,
  endpointCatalogueOptions: {getData: () => []},
  persistenceId: null,
  yasqe: {autocompleters: [], editorHeight: "260px"},
});
const select = document.getElementById("examples");
EXAMPLES.forEach((ex, i) => { const o = document.createElement("option"); o.value = i; o.textContent = ex.name; select.appendChild(o); });
function load(i) { yasgui.getTab().setQuery(EXAMPLES[i].query); }
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
