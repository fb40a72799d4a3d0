import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { Command } from "commander";
import { registerReportCommand, runReportCommand } from "../../src/cli/commands/report";
import { fileEventSource } from "../../src/report/events";
import { toNdjson } from "../../src/report/synthetic";
import { FELL_BACK } from "./fixtures";
import { tempDir } from "../helpers/temp-dir";

function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe("bluegreen report", () => {
    it("writes the page and says what it holds", async () => {
        const { io, out, err } = capture();
        const written: Record<string, string> = {};
        const code = await runReportCommand({ out: "r.html" }, io, {
            source: fileEventSource("run.ndjson", async () => toNdjson(FELL_BACK)),
            write: async (path, text) => void (written[path] = text),
        });
        expect(err.join("")).toBe("");
        expect(code).toBe(0);
        expect(written["r.html"]).toMatch(/^<!DOCTYPE html>/);
        expect(out.join("")).toBe("Report of run r1 (done: fell back; 8 gate checks, 3 apps) written to r.html\n");
    });

    it("exits 2 naming the bad line, and writes nothing", async () => {
        const dir = tempDir("report-");
        const file = join(dir, "events.ndjson");
        writeFileSync(file, `${JSON.stringify(FELL_BACK[0])}\nnot json\n`);
        const { io, err } = capture();
        let wrote = false;
        const code = await runReportCommand({ out: join(dir, "r.html") }, io, { source: fileEventSource(file), write: async () => void (wrote = true) });
        expect(code).toBe(2);
        expect(wrote).toBe(false);
        expect(err.join("")).toMatch(new RegExp(`^bluegreen report: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} line 2 is not JSON`));
        expect(err.join("")).not.toMatch(/at .*\.ts:\d+/);
    });

    it("takes the events file and --out on the command line, and writes the file it is told to", async () => {
        const dir = tempDir("report-");
        const events = join(dir, "events.ndjson");
        const out = join(dir, "report.html");
        writeFileSync(events, toNdjson(FELL_BACK));
        const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
        try {
            const program = new Command("bluegreen").exitOverride();
            registerReportCommand(program);
            await program.parseAsync(["node", "bluegreen", "report", events, "--out", out]);
        } finally {
            stdout.mockRestore();
        }
        expect(process.exitCode).toBe(0);
        expect(readFileSync(out, "utf8")).toContain("Cutover report: run r1");
        process.exitCode = undefined;
    });
});
