// Review page: accept / reject / edit drafted claims; select a passage to add a claim.
(function () {
  const root = document.querySelector(".curate");
  if (!root) return;
  const number = root.dataset.number;
  const article = document.getElementById("article");

  async function post(url, body) {
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const data = await res.json();
    if (!res.ok) throw new Error(data.error ? data.error.message : JSON.stringify(data.detail || data));
    return data;
  }

  function fields(container) {
    const out = {};
    container.querySelectorAll("input[name], select[name]").forEach((el) => { out[el.name] = el.value; });
    return out;
  }

  function highlight(id) {
    document.querySelectorAll(".active").forEach((el) => el.classList.remove("active"));
    const marks = [...article.querySelectorAll("mark")].filter((m) => m.dataset.rows.split(" ").includes(id));
    marks.forEach((m) => m.classList.add("active"));
    const row = document.querySelector(`tr[data-id="${id}"]`);
    if (row) row.classList.add("active");
    if (marks[0]) marks[0].scrollIntoView({ block: "center" });
  }

  document.querySelectorAll("#rows tbody tr").forEach((tr) => {
    const id = tr.dataset.id, status = tr.querySelector(".status");
    tr.querySelector(".show").addEventListener("click", (e) => { e.preventDefault(); highlight(id); });
    tr.querySelectorAll("button").forEach((button) => button.addEventListener("click", async () => {
      const body = fields(tr);
      if (button.dataset.accept) body.accept = button.dataset.accept;
      try {
        const row = await post(`/curate/${number}/rows/${encodeURIComponent(id)}`, body);
        tr.querySelector(".accept").textContent = row.accept;
        tr.className = row.accept === "y" ? "accepted" : row.accept === "n" ? "rejected" : "";
        status.textContent = "saved";
      } catch (err) { status.textContent = err.message; }
    }));
  });

  document.querySelectorAll("#entities tbody tr").forEach((tr) => {
    const id = tr.dataset.entity, status = tr.querySelector(".status");
    tr.querySelectorAll("button").forEach((button) => button.addEventListener("click", async () => {
      const body = Object.assign(fields(tr), { accept: button.dataset.accept });
      try {
        const row = await post(`/curate/${number}/entities/${encodeURIComponent(id)}`, body);
        tr.querySelector(".accept").textContent = row.accept;
        tr.className = row.accept === "y" ? "accepted" : "rejected";
        status.textContent = "saved";
      } catch (err) { status.textContent = err.message; }
    }));
  });

  article.addEventListener("click", (e) => {
    if (e.target.tagName === "MARK" && window.getSelection().isCollapsed) highlight(e.target.dataset.rows.split(" ")[0]);
  });

  // A selection inside the article: its text and where it starts (a hint; the server finds the passage).
  const form = document.getElementById("new-claim");
  let selected = null;
  document.addEventListener("selectionchange", () => {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed || !article.contains(sel.anchorNode)) return;
    const range = sel.getRangeAt(0), before = document.createRange();
    before.setStart(article, 0);
    before.setEnd(range.startContainer, range.startOffset);
    selected = { quote: sel.toString(), start: before.toString().length };
    document.getElementById("selection").textContent = selected.quote;
    form.hidden = false;
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const status = form.querySelector(".status");
    try {
      const row = await post(`/curate/${number}/rows`, Object.assign(fields(form), selected));
      status.textContent = `added ${row.id}; reload to see it highlighted`;
    } catch (err) { status.textContent = err.message; }
  });
})();
