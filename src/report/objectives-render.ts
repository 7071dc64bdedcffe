import { mdTable } from "./format.js";
import { section, table } from "./html-page.js";
import type { TableView } from "./objectives-view.js";

/** viewsMarkdown: table views as Markdown sections (## title, note, table). */
export function viewsMarkdown(views: readonly (TableView | undefined)[]): string {
  return views
    .filter((v): v is TableView => v !== undefined && v.rows.length > 0)
    .map((v) => [`## ${v.title}`, ...(v.note ? [v.note] : []), mdTable(v.head, v.rows)].join("\n\n"))
    .join("\n\n");
}

/** viewsHtml: table views as HTML sections. */
export function viewsHtml(views: readonly (TableView | undefined)[]): string[] {
  return views.filter((v): v is TableView => v !== undefined && v.rows.length > 0).map((v) => section(v.title, table(v.head, v.rows), v.note));
}
