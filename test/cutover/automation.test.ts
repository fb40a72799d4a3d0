import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findPulumi, PulumiMissingError, PulumiStackOperations, PULUMI_SHIM, removeShimRoot, shimRoot } from "../../src/cutover/automation";
import { tempDir } from "../helpers/temp-dir";

const fakeDir = path.join(__dirname, "fake-pulumi");
const projectDir = path.join(__dirname, "..", "..");
let log: string;
const saved = { ...process.env };

beforeEach(() => {
    log = path.join(tempDir("fake-pulumi-"), "calls.ndjson");
    process.env.BLUEGREEN_FAKE_LOG = log;
    process.env.PATH = `${fakeDir}${path.delimiter}${saved.PATH}`;
});
afterEach(() => {
    process.env = { ...saved };
});

const calls = () => fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { args: string[]; env: Record<string, string> });

describe("the Automation API adapter against a fake pulumi", () => {
    afterAll(removeShimRoot);

    test("one shim directory per process, shared by every stack selected, removed when the process exits", async () => {
        // A temp directory of this test's own: another test, or another suite on the machine, may make
        // shims in the shared one. The adapter asks the os module itself (jest's sandboxed process.env
        // would not reach os.tmpdir()).
        removeShimRoot();
        const ownTmp = tempDir("shim-tmp-");
        const tmpdir = jest.spyOn(require("os") as typeof os, "tmpdir").mockReturnValue(ownTmp);
        const shims = () => fs.readdirSync(ownTmp).filter((name) => name.startsWith("bluegreen-pulumi-"));
        try {
            await PulumiStackOperations.select("acme/bluegreen/prod", projectDir, { readOnly: true });
            await PulumiStackOperations.select("prod", projectDir);
        } finally {
            tmpdir.mockRestore();
        }
        expect(shims()).toHaveLength(1);
        const root = path.join(ownTmp, shims()[0]);
        expect(shimRoot()).toBe(root);
        expect(fs.readFileSync(path.join(root, "bin", "pulumi"), "utf8")).toBe(PULUMI_SHIM);
        expect(process.listeners("exit")).toContain(removeShimRoot);
        removeShimRoot();
        expect(fs.existsSync(root)).toBe(false);
        const again = shimRoot();
        expect(again).not.toBe(root);
        expect(fs.existsSync(path.join(again, "bin", "pulumi"))).toBe(true);
    });

    test("without pulumi on PATH: a plain message saying how to install it", () => {
        expect(() => findPulumi({ PATH: "/nonexistent" })).toThrow(PulumiMissingError);
        expect(() => findPulumi({ PATH: "/nonexistent" })).toThrow(/not on PATH: install it \(https:\/\/www\.pulumi\.com\/docs\/install\//);
        expect(findPulumi(process.env)).toBe(path.join(fakeDir, "pulumi"));
    });

    test("read-only use keeps the operator's selected stack; the region and table come from the stack", async () => {
        const ops = await PulumiStackOperations.select("acme/bluegreen/prod", projectDir, { readOnly: true });
        expect(await ops.region()).toBe("eu-central-1");
        expect(await ops.cutoverTableName()).toBe("prod-cutover");
        const all = calls().map((c) => c.args.join(" "));
        expect(all.some((a) => a.startsWith("stack select"))).toBe(false);
        expect(all).toContain("stack --stack acme/bluegreen/prod --non-interactive");
    });

    test("weights and previousColor are written in one config call; the program is told weights-only mode", async () => {
        const ops = await PulumiStackOperations.select("prod", projectDir);
        fs.writeFileSync(log, "");
        await ops.setRouting({ weights: { blue: 50, green: 50 }, previousColor: "blue" });
        const sets = calls().filter((c) => c.args[0] === "config");
        expect(sets).toHaveLength(1);
        expect(sets[0].args).toEqual(expect.arrayContaining(["set-all", "--path", "--plaintext", "bluegreen:routing.weights.blue=50", "--plaintext", "bluegreen:routing.weights.green=50", "--plaintext", "bluegreen:cutover.previousColor=blue"]));
        expect(sets[0].env).toMatchObject({ BLUEGREEN_WEIGHTS_ONLY: "1" });
        fs.writeFileSync(log, "");
        await ops.setRouting({ weights: { blue: 100, green: 0 }, previousColor: null });
        expect(calls().map((c) => c.args.slice(0, 2).join(" "))).toEqual(["config set-all", "config rm-all"]);
    });

    test("the shim ignores Ctrl-C: the update it runs finishes and its exit code comes through", async () => {
        const dir = tempDir("shim-");
        const shim = path.join(dir, "pulumi");
        fs.writeFileSync(shim, PULUMI_SHIM, { mode: 0o755 });
        const marker = path.join(dir, "go");
        const child = spawn(shim, ["wait-for-file", marker], { env: { ...process.env, BLUEGREEN_REAL_PULUMI: path.join(fakeDir, "pulumi") }, stdio: ["ignore", "pipe", "inherit"] });
        let output = "";
        await new Promise<void>((resolve) => child.stdout.on("data", (d) => { output += d; if (output.includes("started")) resolve(); }));
        child.kill("SIGINT");
        child.kill("SIGTERM");
        fs.writeFileSync(marker, "");
        const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
        expect({ code, output }).toEqual({ code: 0, output: "started\nfinished\n" });
    });
});
