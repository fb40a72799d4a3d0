/**
 * `bluegreen status`: per color the cluster, version, node groups, add-on versions, weight and live
 * target health. Exit 0, or 2 when the stack cannot be read.
 */
import { Command } from "commander";
import { COLORS, formatWeights } from "../../config/colors";
import { LiveRouting, StackOperations } from "../../cutover/model";
import type { CutoverRecord } from "../../cutover/record";
import { uniformWeights, sameWeights } from "../../cutover/run";
import { reportFailure } from "../failure";
import { CommandIO, processIO } from "../io";

export type TargetHealthReader = (targetGroupArn: string) => Promise<Record<string, number>>;

export async function runStatusCommand(options: { stack: string; json: boolean }, io: CommandIO, deps: { stack: StackOperations; targetHealth: TargetHealthReader; live?: LiveRouting; record?: () => Promise<CutoverRecord | undefined> }): Promise<number> {
    try {
        const view = await deps.stack.read();
        let live: Record<string, { blue: number; green: number }> | undefined;
        let liveProblem: string | undefined;
        try {
            live = deps.live ? await deps.live.read(view) : undefined;
        } catch (err) {
            liveProblem = (err as Error).message.split("\n")[0];
        }
        const record = deps.record ? await deps.record().catch(() => undefined) : undefined;
        const liveUniform = live ? uniformWeights(live) : undefined;
        const drift: string[] = [];
        if (live && !sameWeights(liveUniform, view.weights)) drift.push(`the load balancer applies ${liveUniform ? formatWeights(liveUniform) : Object.entries(live).map(([a, w]) => `${a} ${formatWeights(w)}`).join("; ")} but the stack config says ${formatWeights(view.weights)}`);
        if (record && liveUniform && !sameWeights(liveUniform, record.verifiedWeights)) drift.push(`the cutover record (${record.command} ${record.runId}, ${record.phase}) last verified ${formatWeights(record.verifiedWeights)}`);
        const colors = COLORS.filter((c) => view.clusters[c] || view.weights[c] > 0);
        const report = [];
        for (const color of colors) {
            const cluster = view.clusters[color] ?? {};
            const apps: Record<string, string> = {};
            for (const [name, app] of Object.entries(view.apps)) {
                const arn = app.targetGroupArns[color];
                if (!arn) continue;
                try {
                    const counts = await deps.targetHealth(arn);
                    apps[name] = Object.entries(counts).map(([state, n]) => `${n} ${state}`).join(", ") || "no targets";
                } catch (err) {
                    apps[name] = `unknown (${(err as Error).message.split("\n")[0]})`;
                }
            }
            report.push({
                color,
                weight: view.weights[color],
                cluster: cluster.name ?? null,
                version: cluster.version ?? null,
                nodeGroups: cluster.nodeGroups ?? [],
                addons: Object.fromEntries(Object.entries(cluster.addons ?? {}).map(([k, v]) => [k, v.version ?? null])),
                targetHealth: apps,
            });
        }
        if (options.json) {
            io.stdout(JSON.stringify({ stack: options.stack, mode: view.mode, weights: view.weights, live: live ?? null, liveProblem: liveProblem ?? null, record: record ?? null, drift, previousColor: view.previousColor ?? null, colors: report }, null, 2) + "\n");
            return 0;
        }
        io.stdout(`Stack ${options.stack} (${view.mode} mode): ${formatWeights(view.weights)}${view.previousColor ? `; rollback goes to ${view.previousColor}` : ""}\n`);
        if (live) io.stdout(`live: ${liveUniform ? formatWeights(liveUniform) : "apps differ"}${record ? `; record: ${record.command} ${record.runId} ${record.phase}, step ${record.stepIndex}, verified ${formatWeights(record.verifiedWeights)}` : ""}\n`);
        if (liveProblem) io.stdout(`live weights unknown: ${liveProblem}\n`);
        for (const d of drift) io.stdout(`DRIFT: ${d}\n`);
        for (const r of report) {
            io.stdout(`\n${r.color}  ${r.weight}%  cluster ${r.cluster ?? "(none)"} on ${r.version ?? "?"}\n`);
            io.stdout(`  node groups: ${r.nodeGroups.join(", ") || "-"}\n`);
            io.stdout(`  add-ons:     ${Object.entries(r.addons).map(([k, v]) => `${k} ${v ?? "?"}`).join(", ") || "-"}\n`);
            for (const [app, health] of Object.entries(r.targetHealth)) io.stdout(`  ${app}: ${health}\n`);
        }
        return 0;
    } catch (err) {
        return reportFailure(err, io, "status");
    }
}

export function registerStatusCommand(program: Command): void {
    program
        .command("status")
        .description("per color: cluster, version, node groups, add-on versions, weight and live target health")
        .requiredOption("--stack <name>", "Pulumi stack")
        .option("--cwd <dir>", "Pulumi project directory", process.cwd())
        .option("--json", "print JSON", false)
        .action(async (opts: { stack: string; cwd: string; json: boolean }) => {
            const { realDeps } = await import("./operator");
            const { elbTargetHealthReader } = await import("../../cutover/aws-gates");
            try {
                const deps = await realDeps({ ...opts, readOnly: true });
                process.exitCode = await runStatusCommand(opts, processIO, { stack: deps.stack, live: deps.live, record: () => deps.store.readRecord(), targetHealth: elbTargetHealthReader() });
            } catch (err) {
                const { reportFailure: report } = await import("../failure");
                process.exitCode = report(err, processIO, "status");
            }
        });
}
