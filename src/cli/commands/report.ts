/**
 * `bluegreen report <events.ndjson> --out report.html`: turns a cutover's, rollback's or
 * rehearsal's event stream into one self-contained HTML page (see docs/report.md). Exit 0, or 2
 * for bad input (not NDJSON, not cutover events, several runs without --run) naming the line.
 * The events come through an `EventSource`, so the record in the environment's table can feed it too.
 */
import { writeFile } from "fs/promises";
import { Command } from "commander";
import { EventSource, fileEventSource } from "../../report/events";
import { reportFailure } from "../failure";
import { CommandIO, processIO } from "../io";

export interface ReportCommandOptions {
    out: string;
    run?: string;
}

export interface ReportDeps {
    source: EventSource;
    write: (path: string, text: string) => Promise<void>;
}

export async function runReportCommand(options: ReportCommandOptions, io: CommandIO, deps: ReportDeps): Promise<number> {
    try {
        const events = await deps.source.read();
        // Loaded on use: the chart libraries take a moment, and other commands never need them.
        const { buildReport } = await import("../../report/report");
        const { html, model, warnings } = await buildReport(events, deps.source.description, options.run);
        for (const w of warnings) io.stderr(`bluegreen report: chart warning: ${w}\n`);
        await deps.write(options.out, html);
        const t = model.tally;
        io.stdout(`Report of run ${model.run} (${model.outcome}; ${t.pass + t.fail + t.inconclusive + t.error} gate checks, ${model.apps.length} apps) written to ${options.out}\n`);
        return 0;
    } catch (err) {
        return reportFailure(err, io, "report");
    }
}

export function registerReportCommand(program: Command): void {
    program
        .command("report")
        .description("turn a cutover's event stream (--events NDJSON) into one self-contained HTML page: weights, gate figures per app and color, decisions")
        .argument("<events>", "the NDJSON event file a cutover, rollback or rehearsal wrote with --events")
        .requiredOption("--out <file>", "where to write the HTML page")
        .option("--run <id>", "the run to show when the file holds several")
        .action(async (events: string, opts: ReportCommandOptions) => {
            process.exitCode = await runReportCommand(opts, processIO, { source: fileEventSource(events), write: (path, text) => writeFile(path, text, "utf8") });
        });
}
