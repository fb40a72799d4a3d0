import { buildReport } from "../../src/report/report";
import { COLOR_RANGE, gridRows, MARKER_COLORS } from "../../src/report/charts";
import { chartOfGate } from "../../src/report/model";
import { ev, FELL_BACK } from "./fixtures";

/** The <figure> with this id, as the page has it. */
function figure(html: string, id: string): string {
    const start = html.indexOf(`<figure id="${id}">`);
    if (start < 0) throw new Error(`no figure ${id}`);
    return html.slice(start, html.indexOf("</figure>", start));
}

describe("the report page (rendered in Node with vega's SVG renderer)", () => {
    let html: string;
    let warnings: string[];
    beforeAll(async () => {
        const hostile = ev(13, { type: "gate", step: 2, gate: "p99-latency", app: "shop", color: "green", result: "pass", value: 300, threshold: 800, message: "<img src=x onerror=alert(1)>" });
        const built = await buildReport([...FELL_BACK.slice(0, 13), hostile, ...FELL_BACK.slice(13)], "run <1>.ndjson");
        html = built.html;
        warnings = built.warnings;
    });

    it("draws the weights of both colors as lines, with the markers", () => {
        const weights = figure(html, "weights");
        expect(weights).toContain("<svg");
        for (const color of COLOR_RANGE) expect(weights).toMatch(new RegExp(`<path[^>]*stroke="${color}"`));
        for (const kind of ["step", "pause", "fallback", "done"] as const) expect(weights).toContain(`stroke="${MARKER_COLORS[kind]}"`);
        expect(weights).toContain("step 2: 50/50");
    });

    it("draws a cell per app and gate: figures per color, dashed thresholds, failed checks", () => {
        const figures = figure(html, "figures");
        for (const label of ["shop", "api", "(environment)", "Target 5xx rate (%)", "p99 latency (ms)", "queue-depth (value)", "node-pressure (value)"]) {
            expect(figures).toContain(`>${label.replace("&", "&amp;")}<`);
        }
        expect(figures).toMatch(/<path[^>]*stroke-dasharray="6,4"/);
        // shop's failed 5xx check is a red cross
        expect(figures).toMatch(new RegExp(`<path[^>]*fill="${MARKER_COLORS.fallback}"`));
        expect(warnings).toEqual([]);
    });

    it("lists the decisions with their figures, formatted for people", () => {
        const table = html.slice(html.indexOf('<table class="decisions">'));
        expect(table).toMatch(/<tr class="t-fallback"><td>01:15:00<\/td><td>fallback<\/td><td>2<\/td><td>blue 100% \/ green 0%<\/td>/);
        expect(table).toContain("target-5xx-rate (shop green): <b>fail</b> 3.40% vs 1.00%");
        expect(table).toContain("requests (shop blue): <b>error</b>");
    });

    it("is self-contained and escapes what came from the events", () => {
        expect(html).not.toMatch(/<script|<link|<img|src=|href="http|@import|url\(/i);
        expect(html).toContain("run &lt;1&gt;.ndjson");
        expect(html).toContain("done: fell back");
    });
});

describe("the grid's rows", () => {
    it("draws a threshold as steps: where it changes per color, held to its last check; values scaled to the chart's unit", () => {
        const points = [0.01, 0.01, 0.02, 0.02].map((threshold, i) => ({ ts: `2026-11-27T01:0${i}:00.000Z`, color: "green" as const, value: 0.005 * i, threshold, result: "pass" as const }));
        const rows = gridRows([{ app: "shop", gates: [{ gate: "target-5xx-rate", chart: chartOfGate("target-5xx-rate"), points }] }], []);
        const minute = (r: Record<string, unknown>) => new Date(r.t as number).getUTCMinutes();
        expect(rows.filter((r) => r.threshold !== undefined).map((r) => [minute(r), r.threshold])).toEqual([[0, 1], [2, 2], [3, 2]]);
        expect(rows.filter((r) => r.value !== undefined).map((r) => r.value)).toEqual([0, 0.5, 1, 1.5]);
    });
});
