/**
 * The report's charts: vega-lite specifications built from the report model, rendered to SVG at
 * build time by vega's own SVG renderer in Node (no browser, no canvas, nothing fetched when the
 * page is viewed). Two figures: the weights as a step function, and a grid with a row per app and a
 * column per gate (each cell the figure per color, its threshold, failed checks). Every cell shares
 * the run's time axis and its markers, so a step, a fallback or an interrupt lines up everywhere.
 *
 * One faceted view for the grid, not a view per chart: a 50-app report has 150 cells, and a view
 * per cell (or one view re-fed per cell) measured not clearly faster, with removal of the previous
 * cell's tuples costing about what the facet saves. What costs is work per data point (a 3-hour run
 * of 50 apps with 30-s checks has about 55,000 even at the model's one point per minute, see
 * `chartPoints`), so the grid's points avoid the per-point work vega-lite would add by default: the
 * rows are bound to the view by name (not written into the spec and parsed again), their times stay
 * numbers (no Date per row), and the line marks compute no ARIA description per point (see
 * docs/report.md, "How long it takes").
 *
 * vega 5 rather than 6: vega 6 is ESM-only with top-level await, which this CommonJS program (and
 * jest) cannot `require`; vega 5.33 is the maintained line with CommonJS builds.
 */
import * as vega from "vega";
import { compile, TopLevelSpec } from "vega-lite";
import { COLORS } from "../config/colors";
import { COLOR_HEX } from "./palette";
import type { AppFigures, Marker, MarkerKind, ReportModel, WeightPoint } from "./model";

export const COLOR_RANGE = COLORS.map((c) => COLOR_HEX[c]);
export const MARKER_COLORS: Record<MarkerKind, string> = {
    step: "#6e7781",
    fallback: "#d1242f",
    pause: "#bf8700",
    interrupted: "#8250df",
    error: "#a40e26",
    done: "#24292f",
};
/** Color of the crosses that mark failed checks. */
export const FAILED_CHECK_COLOR = MARKER_COLORS.fallback;

export interface TimeAxis {
    start: number;
    end: number;
}

export function timeAxis(model: Pick<ReportModel, "start" | "end">): TimeAxis {
    const start = Date.parse(model.start);
    return { start, end: Math.max(Date.parse(model.end), start + 60_000) };
}

function xEncoding(axis: TimeAxis, title: string | null = null) {
    return {
        field: "t",
        type: "temporal" as const,
        title,
        // utc: the axis reads the same wherever the report is built or viewed.
        scale: { type: "utc" as const, domain: [axis.start, axis.end] },
        axis: { format: "%H:%M", labelFlush: true },
    };
}

const colorEncoding = { field: "color", type: "nominal" as const, title: "color", scale: { domain: [...COLORS], range: COLOR_RANGE } };

function markerStroke() {
    const kinds = Object.keys(MARKER_COLORS) as MarkerKind[];
    return { field: "kind", type: "nominal" as const, title: "marker", scale: { domain: kinds, range: kinds.map((k) => MARKER_COLORS[k]) } };
}

export function weightsSpec(weights: WeightPoint[], markers: Marker[], axis: TimeAxis): TopLevelSpec {
    const markerData = { values: markers.map((m) => ({ t: Date.parse(m.ts), kind: m.kind, label: m.label })) };
    return {
        width: 960,
        height: 180,
        title: "Traffic weights (% of user traffic per color)",
        layer: [
            {
                data: { values: weights.map((w) => ({ t: Date.parse(w.ts), color: w.color, weight: w.weight })) },
                mark: { type: "line", interpolate: "step-after", strokeWidth: 2.5 },
                encoding: {
                    x: xEncoding(axis, "time (UTC)"),
                    y: { field: "weight", type: "quantitative", title: "weight %", scale: { domain: [0, 100] } },
                    color: colorEncoding,
                },
            },
            { data: markerData, mark: { type: "rule", strokeDash: [3, 3] }, encoding: { x: xEncoding(axis), stroke: markerStroke() } },
            {
                data: markerData,
                mark: { type: "text", angle: 270, align: "left", baseline: "bottom", dx: -4, dy: -2, fontSize: 9, color: "#57606a" },
                encoding: { x: xEncoding(axis), y: { value: 0 }, text: { field: "label" } },
            },
        ],
    } as TopLevelSpec;
}

/** Rows of the grid's one data set: measured points, and the markers repeated in every cell. */
export function gridRows(apps: AppFigures[], markers: Marker[]): Record<string, unknown>[] {
    const rows: Record<string, unknown>[] = [];
    for (const { app, gates } of apps) {
        for (const { chart, points } of gates) {
            const column = `${chart.order.toString().padStart(3, "0")} ${chart.title} (${chart.unit})`;
            // Thresholds are drawn as steps: a row where a color's threshold changes, and its last one.
            const lastThreshold = new Map<string, { t: number; threshold: number; written: boolean }>();
            for (const p of points) {
                const t = Date.parse(p.ts);
                if (p.value !== undefined) rows.push({ app, column, t, color: p.color, value: p.value * chart.scale, failed: p.result === "fail" });
                if (p.threshold === undefined) continue;
                const threshold = p.threshold * chart.scale;
                const last = lastThreshold.get(p.color);
                const changed = !last || last.threshold !== threshold;
                if (changed) rows.push({ app, column, t, color: p.color, threshold });
                lastThreshold.set(p.color, { t, threshold, written: changed });
            }
            for (const [color, last] of lastThreshold) if (!last.written) rows.push({ app, column, t: last.t, color, threshold: last.threshold });
            for (const m of markers) rows.push({ app, column, t: Date.parse(m.ts), kind: m.kind });
        }
    }
    return rows;
}

/** The name of the grid's data set: `gridRows` are bound to the view under it (see `renderSvg`). */
export const GRID_DATA = "grid";

/** The grid's specification; its rows are `gridRows(apps, markers)`, bound by name as `GRID_DATA`. */
export function figuresSpec(apps: AppFigures[], axis: TimeAxis): TopLevelSpec {
    const y = { type: "quantitative" as const, title: null, axis: { format: ",.4~g", tickCount: 4 } };
    const anyFailed = apps.some((a) => a.gates.some((g) => g.points.some((p) => p.result === "fail" && p.value !== undefined)));
    return {
        // `t` is epoch milliseconds, which the utc scale reads as is: `parse: null` keeps vega-lite
        // from adding a toDate() per row.
        data: { name: GRID_DATA, format: { parse: { t: null } } },
        facet: {
            row: { field: "app", type: "nominal", title: null, header: { labelAngle: 0, labelAlign: "left", labelFontWeight: "bold", labelFontSize: 12 } },
            column: {
                field: "column",
                type: "nominal",
                title: null,
                // The sort prefix keeps GATE_CHARTS' order; the header shows the title alone.
                header: { labelExpr: "slice(datum.value, 4)", labelFontSize: 12, labelFontWeight: "bold" },
            },
        },
        spec: {
            width: 300,
            height: 90,
            layer: [
                {
                    transform: [{ filter: "isValid(datum.value)" }],
                    // aria: false on the lines: otherwise vega formats an (unused) description for every point.
                    mark: { type: "line", strokeWidth: 1.5, aria: false },
                    encoding: { x: xEncoding(axis), y: { ...y, field: "value" }, color: colorEncoding },
                },
                {
                    transform: [{ filter: "isValid(datum.threshold)" }],
                    mark: { type: "line", strokeDash: [6, 4], strokeWidth: 1, interpolate: "step-after", aria: false },
                    encoding: { x: xEncoding(axis), y: { ...y, field: "threshold" }, color: colorEncoding },
                },
                ...(anyFailed
                    ? [{
                          transform: [{ filter: "datum.failed && isValid(datum.value)" }],
                          mark: { type: "point" as const, shape: "cross", size: 36, filled: true, color: FAILED_CHECK_COLOR },
                          encoding: { x: xEncoding(axis), y: { ...y, field: "value" } },
                      }]
                    : []),
                {
                    transform: [{ filter: "isValid(datum.kind)" }],
                    mark: { type: "rule", strokeDash: [3, 3], strokeWidth: 1 },
                    encoding: { x: xEncoding(axis), stroke: markerStroke() },
                },
            ],
        },
        resolve: { scale: { y: "independent" }, axis: { x: "independent" } },
    } as TopLevelSpec;
}

/**
 * An empty cell (an app without failed checks, or without one of the gates) has an empty extent:
 * expected in a grid, not worth a warning.
 */
const EXPECTED_WARNINGS = [/^Infinite extent for field/];

/** Collects what vega-lite and vega would print, so the CLI decides where it goes. */
function collectingLogger(into: string[]) {
    let level = vega.Warn;
    const keep = (args: unknown[]) => {
        const text = args.map(String).join(" ");
        if (!EXPECTED_WARNINGS.some((re) => re.test(text))) into.push(text);
    };
    const logger = {
        level(l?: number) {
            if (l === undefined) return level;
            level = l;
            return logger;
        },
        error: (...args: unknown[]) => (keep(args), logger),
        warn: (...args: unknown[]) => (keep(args), logger),
        info: () => logger,
        debug: () => logger,
    };
    return logger as unknown as vega.LoggerInterface;
}

/**
 * Renders one vega-lite spec to an SVG string with vega's SVG renderer (headless, no canvas).
 * `data` holds the rows of the spec's named data sets.
 */
export async function renderSvg(spec: TopLevelSpec, warnings: string[] = [], data: Record<string, object[]> = {}): Promise<string> {
    const logger = collectingLogger(warnings);
    const view = new vega.View(vega.parse(compile(spec, { logger }).spec), { renderer: "none", logger });
    try {
        for (const [name, rows] of Object.entries(data)) view.data(name, rows);
        return await view.toSVG();
    } finally {
        view.finalize();
    }
}

export interface RenderedCharts {
    weights: string;
    /** The grid of figures per app and gate; undefined when no gate reported a figure. */
    figures?: string;
    /** What vega-lite or vega warned about while drawing. */
    warnings: string[];
}

export async function renderCharts(model: ReportModel): Promise<RenderedCharts> {
    const axis = timeAxis(model);
    const warnings: string[] = [];
    const weights = await renderSvg(weightsSpec(model.weights, model.markers, axis), warnings);
    const figures = model.apps.length
        ? await renderSvg(figuresSpec(model.apps, axis), warnings, { [GRID_DATA]: gridRows(model.apps, model.markers) })
        : undefined;
    return { weights, figures, warnings };
}
