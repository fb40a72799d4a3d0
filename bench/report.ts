/**
 * Times `bluegreen report` for a 3-hour cutover of 50 apps with gate checks every 30 s (3 traffic
 * gates per app and color: about 108,000 events, 22 MB of NDJSON) against a baseline measured in the
 * same run: reading the file and `JSON.parse` of every line, nothing else. Prints the ratios: the
 * validation's, and the whole report's (charts rendered to SVG by vega in Node, page written).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runReportCommand } from "../src/cli/commands/report";
import { fileEventSource, parseEvents } from "../src/report/events";
import { syntheticCutover, THREE_HOURS_FIFTY_APPS, toNdjson } from "../src/report/synthetic";
import { measure } from "./measure";

const REPORT_REPETITIONS = 3;

export async function benchReport(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-report-"));
    try {
        const events = syntheticCutover(THREE_HOURS_FIFTY_APPS);
        const file = path.join(dir, "events.ndjson");
        fs.writeFileSync(file, toNdjson(events));
        const mb = fs.statSync(file).size / 1e6;
        console.log(`report benchmark: 3-hour cutover, 50 apps, gate checks every 30 s: ${events.length} events, ${mb.toFixed(1)} MB of NDJSON\n`);

        const baseline = await measure("baseline: read + JSON.parse every line", () => {
            for (const line of fs.readFileSync(file, "utf8").split("\n")) if (line) JSON.parse(line);
        }, REPORT_REPETITIONS);
        const validated = await measure("read + parse + validate (parseEvents)", () => parseEvents(fs.readFileSync(file, "utf8"), file), REPORT_REPETITIONS);
        const sink = { stdout: () => undefined, stderr: (t: string) => process.stderr.write(t) };
        const out = path.join(dir, "report.html");
        const report = await measure("bluegreen report (read, validate, model, SVG, HTML)", async () => {
            const code = await runReportCommand({ out }, sink, { source: fileEventSource(file), write: (p, text) => fs.promises.writeFile(p, text) });
            if (code !== 0) throw new Error("report failed on the benchmark input");
        }, REPORT_REPETITIONS);
        console.log(`\n  page: ${(fs.statSync(out).size / 1e6).toFixed(1)} MB`);
        console.log(`  validation      ${(validated / baseline).toFixed(2)}× the baseline`);
        console.log(`  whole report    ${(report / baseline).toFixed(2)}× the baseline (${(report / 1000).toFixed(1)} s)`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
