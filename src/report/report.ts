/**
 * The report as one function: events in, a self-contained HTML page out. The CLI command and the
 * bench call this; the reading of the events (file, table) stays outside, behind `EventSource`.
 */
import type { CutoverEvent } from "../cutover/contract";
import { renderCharts } from "./charts";
import { selectRun } from "./events";
import { renderHtml } from "./html";
import { buildReportModel, ReportModel } from "./model";

export interface BuiltReport {
    html: string;
    model: ReportModel;
    /** What the chart libraries warned about while drawing. */
    warnings: string[];
}

export async function buildReport(events: CutoverEvent[], source: string, run?: string): Promise<BuiltReport> {
    const model = buildReportModel(selectRun(events, source, run), source);
    const charts = await renderCharts(model);
    return { html: renderHtml(model, charts), model, warnings: charts.warnings };
}
