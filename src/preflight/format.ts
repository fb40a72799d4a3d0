/** The preflight report as a checklist for people, or as JSON. */
import { CheckStatus, PreflightReport } from "./model";
import { formatPlanHuman } from "./cutover-plan";

const MARKS: Record<CheckStatus, string> = { pass: "✓", warn: "!", fail: "✗" };

export function formatPreflightHuman(report: PreflightReport, today: string): string {
    const lines = report.items.map((i) => `${MARKS[i.status]} ${i.title}: ${i.detail}`);
    const { pass, warn, fail } = report.summary;
    const verdict = fail > 0 ? "not ready: fix the failures first" : warn > 0 ? "ready, with warnings to read" : "ready";
    const summary = `${pass} passed, ${warn} warning${warn === 1 ? "" : "s"}, ${fail} failed: ${verdict}`;
    const plan = report.plan ? `\n${formatPlanHuman(report.plan)}` : "";
    return `Preflight of stack "${report.stack}" on ${today}\n${lines.join("\n")}\n${plan}\n${summary}\n`;
}

export function preflightToJson(report: PreflightReport): PreflightReport {
    return {
        stack: report.stack,
        items: report.items.map(({ id, title, status, detail }) => ({ id, title, status, detail })),
        summary: { pass: report.summary.pass, warn: report.summary.warn, fail: report.summary.fail },
        ...(report.plan ? { plan: report.plan } : {}),
    };
}
