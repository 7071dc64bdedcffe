import { esc } from "./format.js";

/** The self-contained page shell: inline CSS, no scripts, no external assets (a data: favicon stops the request). */

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.5rem;margin:0 0 4px}h2{font-size:1.15rem;margin:28px 0 8px}
.lead{color:#52606d;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:10px 14px;min-width:140px}
.card b{display:block;font-size:1.25rem}.card span{color:#52606d;font-size:.85rem}
.chart{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:8px;overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.85rem}
th,td{border:1px solid #e4e7eb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef2f7}
.bad{color:#b42318;font-weight:600}.good{color:#1e7a46}
.note{color:#52606d;font-size:.85rem}
`;

/** page wraps sections into one HTML document. */
export function page(title: string, lead: string, sections: readonly string[]): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${esc(title)}</title><style>${STYLE}</style></head>`,
    `<body><main><h1>${esc(title)}</h1><p class="lead">${esc(lead)}</p>`,
    ...sections.filter((s) => s !== ""),
    "</main></body></html>",
    "",
  ].join("\n");
}

/** section: a heading, optional note and content. */
export function section(heading: string, content: string, note = ""): string {
  return `<section><h2>${esc(heading)}</h2>${note ? `<p class="note">${esc(note)}</p>` : ""}${content}</section>`;
}

/** cards: headline numbers, each with a caption. */
export function cards(items: readonly [value: string, caption: string, tone?: "bad" | "good"][]): string {
  const one = ([v, c, tone]: [string, string, ("bad" | "good")?]): string => `<div class="card"><b${tone ? ` class="${tone}"` : ""}>${esc(v)}</b><span>${esc(c)}</span></div>`;
  return `<div class="cards">${items.map(one).join("")}</div>`;
}

/** table: escaped cells; a cell given as {html} is inserted as is (already escaped by the caller). */
export function table(head: readonly string[], rows: readonly (readonly (string | { html: string })[])[]): string {
  const cell = (c: string | { html: string }): string => `<td>${typeof c === "string" ? esc(c) : c.html}</td>`;
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("")}</tbody></table>`;
}

export function chart(svgMarkup: string): string {
  return `<div class="chart">${svgMarkup}</div>`;
}
