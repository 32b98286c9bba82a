// Prints a view (the supervisors' pending list, the statistics) through the system print
// dialog: a title, tables and chart images rendered into the print-only container (see
// styles.css, `.yc-print-root`), then window.print().

export interface PrintTable {
  caption?: string;
  headers: string[];
  rows: (string | number)[][];
}

export interface PrintView {
  title: string;
  subtitle?: string;
  images?: string[];
  tables: PrintTable[];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** Builds the printable DOM of `view` (exported for tests). */
export function renderPrintView(view: PrintView): HTMLDivElement {
  const root = el("div", undefined, "yc-print-root yc-print-view");
  root.dataset.testid = "print-view";
  root.appendChild(el("h1", view.title));
  if (view.subtitle) root.appendChild(el("p", view.subtitle, "yc-print-sub"));
  for (const src of view.images ?? []) {
    const img = el("img");
    img.src = src;
    root.appendChild(img);
  }
  for (const t of view.tables) {
    const table = el("table");
    if (t.caption) table.appendChild(el("caption", t.caption));
    const head = el("tr");
    for (const h of t.headers) head.appendChild(el("th", h));
    table.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    for (const r of t.rows) {
      const tr = el("tr");
      for (const c of r) tr.appendChild(el("td", String(c)));
      body.appendChild(tr);
    }
    table.appendChild(body);
    root.appendChild(table);
  }
  return root;
}

/** Opens the system print dialog with `view`; the container is removed after printing. */
export function printView(view: PrintView): void {
  const root = renderPrintView(view);
  document.body.appendChild(root);
  const cleanup = () => root.remove();
  window.addEventListener("afterprint", cleanup, { once: true });
  window.print();
  setTimeout(cleanup, 60_000);
}
