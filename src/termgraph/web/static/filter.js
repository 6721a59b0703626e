// Filters a table by the data-* attributes of its rows (source, relation, stance): the selects in
// a .filters box name the attribute in data-col. Rows that do not match are hidden, and the count
// of rows shown is announced.
document.querySelectorAll(".filters").forEach(box => {
  const table = box.nextElementSibling.querySelector("table");
  const selects = [...box.querySelectorAll("select[data-col]")];
  const count = box.querySelector("[data-count]");
  function apply() {
    let shown = 0;
    table.querySelectorAll("tr[data-" + selects[0].dataset.col + "]").forEach(row => {
      const ok = selects.every(s => !s.value || row.dataset[s.dataset.col] === s.value);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    if (count) count.textContent = shown + " shown";
  }
  selects.forEach(s => s.addEventListener("change", apply));
  apply();
});
// A link to a part folded away in a <details> (the table of contents' "Every claim") opens it.
function openTarget() {
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  const folded = target && target.closest("details:not([open])");
  if (folded) { folded.open = true; target.scrollIntoView(); }
}
window.addEventListener("hashchange", openTarget);
openTarget();
