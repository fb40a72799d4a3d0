/**
 * Runs the commands a documentation file shows, in-process through the real CLI (buildProgram, as
 * `bluegreen` and `npm run plan` run it), and compares the output it shows with the real output.
 * A ```text block starting with `$ <command>` is run and its other lines must appear in the output
 * in that order (`…` stands for lines left out); a command line in a ```sh block must exit 0.
 */
import * as fs from "fs";
import * as path from "path";
import { buildProgram } from "../../src/cli/main";
import { processIO } from "../../src/cli/io";

export const projectDir = path.join(__dirname, "..", "..");

export interface ShownCommand {
    command: string;
    /** The output the document shows (text blocks); undefined for a bare command in a sh block. */
    shown?: string[];
}

export function shownCommands(file: string): ShownCommand[] {
    const text = fs.readFileSync(path.join(projectDir, file), "utf8");
    const commands: ShownCommand[] = [];
    for (const match of text.matchAll(/```(sh|text)\n([\s\S]*?)```/g)) {
        const lines = match[2].replace(/\n$/, "").split("\n");
        if (match[1] === "text" && lines[0].startsWith("$ ")) {
            commands.push({ command: lines[0].slice(2), shown: lines.slice(1) });
        } else if (match[1] === "sh") {
            for (const line of lines) {
                const command = line.replace(/\s+#.*$/, "").trim();
                if (/^(npm run plan --|npx bluegreen) /.test(command)) commands.push({ command });
            }
        }
    }
    return commands;
}

/** Splits a shell command line: single and double quotes group, nothing else is special. */
export function shellWords(line: string): string[] {
    const words: string[] = [];
    for (const match of line.matchAll(/'([^']*)'|"([^"]*)"|([^\s'"]+)/g)) {
        // Adjacent quoted and unquoted parts form one word (--set 'a="b"' is one argument).
        const part = match[1] ?? match[2] ?? match[3];
        const joined = match.index! > 0 && line[match.index! - 1] !== " " && words.length > 0;
        if (joined) words[words.length - 1] += part;
        else words.push(part);
    }
    return words;
}

export function cliArguments(command: string): string[] {
    const words = shellWords(command);
    if (words[0] === "npm" && words[1] === "run" && words[2] === "plan" && words[3] === "--") return ["plan", ...words.slice(4)];
    if (words[0] === "npx" && words[1] === "bluegreen") return words.slice(2);
    throw new Error(`not a bluegreen command: ${command}`);
}

export interface ShownRun {
    code: number;
    output: string;
    stdout: string;
}

// The README and docs/cli.md show several of the same commands (each plan costs seconds): each
// command line runs once per test file, and every test that shows it compares against that run.
const runs = new Map<string, Promise<ShownRun>>();

/** Runs a command line the documents show (once per test file; commands are read-only). */
export function runShown(command: string): Promise<ShownRun> {
    if (!runs.has(command)) runs.set(command, runCommandLine(command));
    return runs.get(command)!;
}

async function runCommandLine(command: string): Promise<ShownRun> {
    let stdout = "";
    let stderr = "";
    const out = jestSpy(processIO, "stdout", (t) => (stdout += t));
    const err = jestSpy(processIO, "stderr", (t) => (stderr += t));
    const saved = process.exitCode;
    process.exitCode = undefined;
    try {
        const program = buildProgram({ loadProgram: async () => (await import("../../components/environment")).deployEnvironment });
        await program.parseAsync(["node", "bluegreen", ...cliArguments(command)]);
        return { code: Number(process.exitCode ?? 0), output: stdout + stderr, stdout };
    } finally {
        process.exitCode = saved;
        out.mockRestore();
        err.mockRestore();
    }
}

function jestSpy(io: typeof processIO, key: "stdout" | "stderr", write: (t: string) => void) {
    return jest.spyOn(io, key).mockImplementation(write);
}

/** The lines shown, as runs between `…` markers, each found in order in the real output; returns what is missing. */
export function missingShownLines(shown: string[], output: string): string[] {
    const actual = output.replace(/\n$/, "").split("\n");
    const runs: string[][] = [[]];
    for (const line of shown) {
        if (line.trim() === "…") runs.push([]);
        else runs[runs.length - 1].push(line);
    }
    let from = 0;
    const missing: string[] = [];
    for (const run of runs.filter((r) => r.length > 0)) {
        let found = -1;
        for (let i = from; i + run.length <= actual.length && found < 0; i++) {
            if (run.every((line, j) => actual[i + j] === line)) found = i;
        }
        if (found < 0) missing.push(run.join("\n"));
        else from = found + run.length;
    }
    return missing;
}
