import { compile } from "vega-lite";
import type { CutoverEvent } from "../../src/cutover/contract";
import { buildReport } from "../../src/report/report";
import { COLOR_RANGE, figuresSpec, gridRows, MARKER_COLORS, timeAxis } from "../../src/report/charts";
import { buildReportModel, chartOfGate } from "../../src/report/model";
import { ev, FELL_BACK, w } from "./fixtures";

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

/** What one cell of the grid shows, read back from the SVG in chart units (% for rates, ms for latency). */
interface CellReading {
    /** Per solid line (a color's measured values): [x px, value] of each point. */
    values: [number, number][][];
    /** Per dashed line (a color's threshold): the values it is drawn at. */
    thresholds: number[][];
}

/** The y pixel → value mapping of a cell, from its y axis' tick lines and their labels. */
function yScaleOf(cell: string): (y: number) => number {
    const axis = cell.slice(cell.indexOf('aria-label="Y-axis'));
    const ticks = [...axis.slice(0, axis.indexOf("role-axis-label")).matchAll(/<line transform="translate\(0,([\d.]+)\)" x2="-5"/g)].map((m) => Number(m[1]));
    const labelGroup = axis.slice(axis.indexOf("role-axis-label"));
    const labels = [...labelGroup.slice(0, labelGroup.indexOf("</g>")).matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => Number(m[1].replace(/,/g, "")));
    if (ticks.length < 2 || ticks.length !== labels.length) throw new Error(`cannot read the y axis: ticks ${ticks} labels ${labels}`);
    const [y0, y1, v0, v1] = [ticks[0], ticks[ticks.length - 1], labels[0], labels[labels.length - 1]];
    return (y) => v0 + ((y - y0) * (v1 - v0)) / (y1 - y0);
}

const pathPoints = (d: string) => [...d.matchAll(/[ML]([\d.-]+),([\d.-]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);

/** The grid's cells in facet order (app, then gate column), each read back to values. */
function readCells(figures: string): CellReading[] {
    const chunks = figures.split('d="M0.5,0.5h300v90h-300Z"').slice(1);
    return chunks.map((cell) => {
        const toValue = yScaleOf(cell);
        const lines = (cls: string) => [...cell.matchAll(new RegExp(`class="mark-line role-mark ${cls}"[^>]*>((?:<path [^>]*/>)+)`, "g"))]
            .flatMap((m) => [...m[1].matchAll(/<path d="([^"]+)"/g)].map((p) => pathPoints(p[1])));
        return {
            values: lines("child_layer_0_marks").map((pts) => pts.map(([x, y]) => [x, toValue(y)] as [number, number])),
            thresholds: lines("child_layer_1_marks").map((pts) => pts.map(([, y]) => toValue(y))),
        };
    });
}

describe("each cell of the grid shows its own app's figures and thresholds", () => {
    /** Two apps with their own figures: checks at minutes 1, 2 and 3 of a 4-minute run. */
    function twoApps(figures: Record<string, { rate: number; rateThreshold: number; p99: number; p99Threshold: number }>): CutoverEvent[] {
        const events: CutoverEvent[] = [ev(0, { type: "start", weights: w(100, 0) })];
        for (const minute of [1, 2, 3]) {
            for (const [app, f] of Object.entries(figures)) {
                events.push(ev(minute, { type: "gate", gate: "target-5xx-rate", app, color: "green", result: "pass", value: f.rate, threshold: f.rateThreshold }));
                events.push(ev(minute, { type: "gate", gate: "p99-latency", app, color: "green", result: "pass", value: f.p99, threshold: f.p99Threshold }));
            }
        }
        events.push(ev(4, { type: "done", weights: w(0, 100) }));
        return events;
    }

    async function cells(events: CutoverEvent[]): Promise<CellReading[]> {
        const { html } = await buildReport(events, "two-apps.ndjson");
        return readCells(figure(html, "figures"));
    }

    const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * 0.03);

    it("draws every app's values and thresholds where they are, at the checks' times, also in a second report built in the same process", async () => {
        const quiet = { rate: 0.002, rateThreshold: 0.01, p99: 200, p99Threshold: 800 };
        const noisy = { rate: 0.03, rateThreshold: 0.05, p99: 900, p99Threshold: 2000 };
        // The second report swaps the apps' figures: nothing of the first may be drawn in it.
        for (const [a, b] of [[quiet, noisy], [noisy, quiet]]) {
            const grid = await cells(twoApps({ a, b }));
            // facet order: a's 5xx rate, a's p99, b's 5xx rate, b's p99 (rates charted in %)
            const expected = [[a.rate * 100, a.rateThreshold * 100], [a.p99, a.p99Threshold], [b.rate * 100, b.rateThreshold * 100], [b.p99, b.p99Threshold]];
            expect(grid).toHaveLength(4);
            for (const [i, [value, threshold]] of expected.entries()) {
                const { values, thresholds } = grid[i];
                expect(values).toHaveLength(1);
                expect(thresholds).toHaveLength(1);
                // a 4-minute axis 300 px wide: the checks of minutes 1, 2, 3 at 75, 150, 225 px
                expect(values[0].map(([x]) => x)).toEqual([75, 150, 225]);
                for (const [, v] of values[0]) close(v, value);
                for (const t of thresholds[0]) close(t, threshold);
            }
        }
    });
});

describe("the grid's per-point work (what keeps a 3-hour, 50-app report fast)", () => {
    const model = buildReportModel(FELL_BACK, "run.ndjson");
    const vg = compile(figuresSpec(model.apps, timeAxis(model))).spec;
    const json = JSON.stringify(vg);

    it("binds the rows by name instead of writing them into the spec, and turns no row's time into a Date", () => {
        expect(json).not.toContain('"values"');
        expect(json).not.toMatch(/toDate\(datum/);
    });

    it("computes no ARIA description per point of the lines (their paths are one element each)", () => {
        const lines: { type: string; encode?: { update?: Record<string, unknown> } }[] = [];
        const visit = (marks: unknown[] = []) => {
            for (const m of marks as { type: string; marks?: unknown[]; encode?: { update?: Record<string, unknown> } }[]) {
                if (m.type === "line") lines.push(m);
                visit(m.marks);
            }
        };
        visit(vg.marks);
        expect(lines.length).toBeGreaterThanOrEqual(2);
        for (const line of lines) expect(line.encode?.update?.description).toBeUndefined();
    });
});
