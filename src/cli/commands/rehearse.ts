/**
 * `bluegreen rehearse <scenario.yaml>`: the real cutover or rollback engine and the real gates on a
 * simulated stack, load balancer, metrics, target health and workloads, on a simulated clock; the
 * active gates are printed first, as `cutover` prints them. Prints what would
 * happen (or `--json`: {status, exitCode, finalWeights, events}); exits with the run's own exit code,
 * 2 for a bad scenario (with the path of the mistake).
 */
import * as fs from "fs";
import { Command } from "commander";
import { rehearse } from "../../cutover/rehearsal/rehearse";
import { readScenario } from "../../cutover/rehearsal/scenario";
import { reportFailure } from "../failure";
import { CommandIO, processIO } from "../io";

export interface RehearseOptions {
    json: boolean;
    events?: string;
    allowUngated?: boolean;
}

export async function runRehearseCommand(file: string, options: RehearseOptions, io: CommandIO): Promise<number> {
    let fd: number | undefined;
    try {
        const scenario = readScenario(file);
        if (options.events && options.events !== "-") fd = fs.openSync(options.events, "w");
        const ndjson = options.events === "-" ? (l: string) => io.stdout(l) : fd !== undefined ? (l: string) => fs.writeSync(fd!, l) : undefined;
        const human = options.json || options.events === "-" ? undefined : (l: string) => io.stdout(`${l}\n`);
        const result = await rehearse(scenario, { human, ndjson, allowUngated: options.allowUngated === true });
        if (options.json) io.stdout(JSON.stringify({ status: result.status, exitCode: result.exitCode, finalWeights: result.finalWeights, events: result.events }, null, 2) + "\n");
        else if (!human) void 0;
        else io.stdout(`rehearsal: ${result.status} (exit ${result.exitCode}), the load balancer ends at blue ${result.finalWeights.blue}% / green ${result.finalWeights.green}%\n`);
        return result.exitCode;
    } catch (err) {
        return reportFailure(err, io, "rehearse");
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
    }
}

export function registerRehearseCommand(program: Command): void {
    program
        .command("rehearse <scenario>")
        .description("run the cutover or rollback engine on a simulated world from a scenario file; exits with the run's exit code (2: bad scenario)")
        .option("--json", "print {status, exitCode, finalWeights, events}", false)
        .option("--events <file|->", "write every event as NDJSON to a file, or - for stdout")
        .option("--allow-ungated", "rehearse although no traffic gate can run (as cutover --allow-ungated; or allowUngated: true in the scenario)", false)
        .action(async (file: string, opts: RehearseOptions) => {
            process.exitCode = await runRehearseCommand(file, opts, processIO);
        });
}
