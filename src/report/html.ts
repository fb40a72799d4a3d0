/**
 * The report page: one self-contained HTML file (inline SVG charts and CSS, no script, nothing
 * fetched), so it can be attached to a change ticket or opened offline. Every piece of text that
 * came from the event stream is escaped here.
 */
import * as vega from "vega";
import type { RenderedCharts } from "./charts";
import { MARKER_COLORS } from "./charts";
import type { CheckFigure, Decision, ReportModel } from "./model";

const numberFormat = (vega as unknown as { locale(): { format(spec: string): (n: number) => string } }).locale().format;

export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** "2026-11-27T23:10:05.123Z" → "23:10:05" (the report's times are UTC, as its axes). */
export function clock(ts: string): string {
    return new Date(ts).toISOString().slice(11, 19);
}

export function formatFigure(value: number | undefined, format: string): string {
    return value === undefined ? "–" : numberFormat(format)(value);
}

export function formatDurationMs(ms: number): string {
    const s = Math.round(ms / 1000);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return h ? `${h}h${String(m).padStart(2, "0")}m` : m ? `${m}m${String(sec).padStart(2, "0")}s` : `${sec}s`;
}

function checkLine(c: CheckFigure): string {
    const where = [c.app, c.color].filter(Boolean).join(" ");
    const figures = c.value === undefined ? "" : ` ${formatFigure(c.value, c.format)} vs ${formatFigure(c.threshold, c.format)}`;
    return `<li class="${c.result}">${clock(c.ts)} ${escapeHtml(c.gate)}${where ? ` (${escapeHtml(where)})` : ""}: <b>${c.result}</b>${escapeHtml(figures)}${c.message ? ` — ${escapeHtml(c.message)}` : ""}</li>`;
}

function decisionRow(d: Decision): string {
    const more = d.moreChecks ? `<li>and ${d.moreChecks} more not passed</li>` : "";
    const checks = d.checks.length ? `<ul class="checks">${d.checks.map(checkLine).join("")}${more}</ul>` : "";
    return `<tr class="t-${escapeHtml(d.type)}"><td>${clock(d.ts)}</td><td>${escapeHtml(d.type)}</td><td>${d.step ?? ""}</td><td>${escapeHtml(d.weights ?? "")}</td><td>${d.durationMs === undefined ? "" : formatDurationMs(d.durationMs)}</td><td>${escapeHtml(d.message ?? "")}${checks}</td></tr>`;
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#24292f}
h1{font-size:20px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de}
h3{font-size:15px;margin:18px 0 6px}
.summary td{padding:1px 12px 1px 0} .charts{display:flex;flex-wrap:wrap;gap:8px}
figure{margin:0} table.decisions{border-collapse:collapse;width:100%}
table.decisions td,table.decisions th{border-bottom:1px solid #d8dee4;padding:3px 8px;text-align:left;vertical-align:top}
tr.t-fallback td,tr.t-error td{background:#ffebe9} tr.t-interrupted td,tr.t-pause td{background:#fff8c5}
ul.checks{margin:2px 0 0;padding-left:18px;font-size:12px} li.fail b,li.error b{color:#d1242f} li.inconclusive b{color:#9a6700}
.legend span{display:inline-block;margin-right:12px} .legend i{display:inline-block;width:14px;border-top:2px dashed;margin-right:4px;vertical-align:middle}
`;

function legend(): string {
    return `<p class="legend">Markers: ${Object.entries(MARKER_COLORS).map(([k, c]) => `<span><i style="border-color:${c}"></i>${k}</span>`).join("")} · dashed colored lines are thresholds; red crosses are failed checks.</p>`;
}

export function renderHtml(model: ReportModel, charts: RenderedCharts): string {
    const durationMs = Date.parse(model.end) - Date.parse(model.start);
    const t = model.tally;
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>bluegreen cutover report: ${escapeHtml(model.run)}</title><style>${CSS}</style></head>
<body>
<h1>Cutover report: run ${escapeHtml(model.run)}</h1>
<table class="summary">
<tr><td>Events</td><td>${escapeHtml(model.source)}</td></tr>
<tr><td>From – to (UTC)</td><td>${escapeHtml(model.start)} – ${escapeHtml(model.end)} (${formatDurationMs(durationMs)})</td></tr>
<tr><td>Outcome</td><td><b>${escapeHtml(model.outcome)}</b></td></tr>
<tr><td>Gate checks</td><td>${t.pass} pass, ${t.fail} fail, ${t.inconclusive} inconclusive, ${t.error} error</td></tr>
</table>
<h2>Traffic</h2>
<figure id="weights">${charts.weights}</figure>
${legend()}
<h2>Figures per app and color</h2>
${charts.figures ? `<figure id="figures">${charts.figures}</figure>` : "<p>No gate reported a figure in this run.</p>"}
<h2>Decisions</h2>
<table class="decisions"><thead><tr><th>time</th><th>event</th><th>step</th><th>weights</th><th>took</th><th>what and why</th></tr></thead>
<tbody>${model.decisions.map(decisionRow).join("\n")}</tbody></table>
</body></html>
`;
}
