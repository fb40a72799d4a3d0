/**
 * What a new user met on a first try of the CLI (issue 10, "Tried as a new user would"): each case
 * is run through the command as the user ran it, and asserts what they should see instead.
 */
import * as path from "path";
import { EventEmitter } from "events";
import * as yaml from "js-yaml";
import { runCheckApisCommand, targetProblem } from "../../src/cli/commands/check-apis";
import { parseTimeoutMs, runCrdDiff } from "../../src/cli/commands/crd-diff";
import { runPreflightCommand } from "../../src/cli/commands/preflight";
import { buildProgram } from "../../src/cli/main";
import { pipeSafeWriter } from "../../src/cli/io";
import { defaultKubeconfigProblem } from "../../src/crd/sources/kube";
import { crdObject } from "../crd/builders";
import { tempDir as emptyTempDir, writeTree } from "../helpers/temp-dir";

const projectDir = path.join(__dirname, "..", "..");

function capture() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

const tempDir = (files: Record<string, string>): string => writeTree(emptyTempDir("bluegreen-newuser-"), files);

describe("check-apis", () => {
    test.each([
        ["1.3", 'did you mean "1.30"?'],
        ["1.40", "newer than any Kubernetes version this check knows"],
        ["1.12", "older than the removals this check knows"],
        ["1.33x", 'is not a Kubernetes minor version like "1.33"'],
    ])("--target %s is refused with exit 2: %s", async (target, message) => {
        const { out, io } = capture();
        const code = await runCheckApisCommand({ target, json: false, paths: ["-"] }, { ...io, readStdin: async () => "" });
        expect(code).toBe(2);
        expect(out.stderr).toContain(message);
        expect(out.stdout).toBe("");
    });

    test.each(["1.16", "1.30", "1.34", "1.36"])("--target %s is accepted", (target) => {
        expect(targetProblem(target)).toBeUndefined();
    });

    test("an empty folder is not a pass: exit 2, saying nothing was checked", async () => {
        const dir = tempDir({ "README.md": "# no manifests here\n" });
        const { out, io } = capture();
        const code = await runCheckApisCommand({ target: "1.33", json: false, paths: [dir] }, { ...io, readStdin: async () => "" });
        expect(code).toBe(2);
        expect(out.stderr).toContain(`no .yaml, .yml or .json file under ${dir}: nothing was checked`);
        expect(out.stdout).toBe("");
    });
});

describe("crd-diff", () => {
    test("kube: without any kubeconfig says so (not a TLS or connection error), exit 2", async () => {
        const home = tempDir({});
        const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME, KUBERNETES_SERVICE_HOST: process.env.KUBERNETES_SERVICE_HOST };
        process.env.HOME = home;
        delete process.env.KUBECONFIG;
        delete process.env.KUBERNETES_SERVICE_HOST;
        try {
            const good = path.join(tempDir({ "crd.yaml": yaml.dump(crdObject()) }), "crd.yaml");
            const { out, io } = capture();
            const code = await runCrdDiff({ old: "kube:argoproj.io", new: good, json: false, failOn: "breaking", cache: false }, io);
            expect(code).toBe(2);
            expect(out.stderr).toContain(`no kubeconfig found: KUBECONFIG is not set and ${path.join(home, ".kube", "config")} does not exist; pass --kubeconfig <file>`);
            expect(out.stderr).not.toMatch(/TLS|ECONNREFUSED|localhost:8080/);
        } finally {
            for (const [key, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[key];
                else process.env[key] = value;
            }
        }
    });

    test("the kubeconfig lookup follows the usual rules: $KUBECONFIG files, then ~/.kube/config", () => {
        const exists = (files: string[]) => (f: string) => files.includes(f);
        expect(defaultKubeconfigProblem({ KUBECONFIG: "/a:/b" }, "/home/u", exists(["/b"]))).toBeUndefined();
        expect(defaultKubeconfigProblem({}, "/home/u", exists(["/home/u/.kube/config"]))).toBeUndefined();
        expect(defaultKubeconfigProblem({ KUBECONFIG: "/a" }, "/home/u", exists(["/home/u/.kube/config"]))).toContain("$KUBECONFIG (/a) names no existing file");
        expect(defaultKubeconfigProblem({}, "/home/u", exists([]))).toContain("KUBECONFIG is not set and /home/u/.kube/config does not exist");
    });

    test.each(["abc", "0", "-5", "10x", ""])("--timeout %p is refused", (value) => {
        expect(() => parseTimeoutMs(value)).toThrow(/is not a timeout: give milliseconds like 30000, or a duration like 30s/);
    });

    test("--timeout takes milliseconds or a duration", () => {
        expect(parseTimeoutMs("30000")).toBe(30000);
        expect(parseTimeoutMs("45s")).toBe(45000);
        expect(parseTimeoutMs("2m")).toBe(120000);
    });

    test("--timeout abc on the command line: a usage error, exit 2, before anything is read", async () => {
        const program = buildProgram({ loadProgram: async () => { throw new Error("not used"); } });
        let errors = "";
        for (const command of [program, ...program.commands]) command.configureOutput({ writeErr: (t) => (errors += t), writeOut: () => undefined });
        const saved = process.exitCode;
        try {
            await expect(program.parseAsync(["node", "bluegreen", "crd-diff", "/nonexistent-a", "/nonexistent-b", "--timeout", "abc"])).rejects.toMatchObject({ code: "commander.invalidArgument" });
            expect(process.exitCode).toBe(2);
            expect(errors).toContain('"abc" is not a timeout');
        } finally {
            process.exitCode = saved;
        }
    });

    test("a directory with a kustomization.yaml names the CRD files it does not list", async () => {
        const crd = yaml.dump(crdObject());
        const gateway = yaml.dump(crdObject({ name: "gateways.example.com" }));
        const dir = tempDir({ "kustomization.yaml": "resources: [crds.yaml]\n", "crds.yaml": crd, "gateway-crds.yaml": gateway, "notes.yaml": "a: 1\n" });
        const { out, io } = capture();
        const code = await runCrdDiff({ old: dir, new: dir, json: false, failOn: "breaking", cache: false }, io);
        expect(code).toBe(0);
        expect(out.stderr).toContain(`skipped ${path.join(dir, "gateway-crds.yaml")}: it holds a CRD but ${path.join(dir, "kustomization.yaml")} does not list it`);
        expect(out.stderr).not.toContain("notes.yaml");
        expect(out.stderr).not.toContain("skipped " + path.join(dir, "crds.yaml"));
    });
});

describe("plan --json | head", () => {
    test("a reader that closes the pipe ends the output quietly (no EPIPE crash), further writes are dropped", () => {
        const written: string[] = [];
        const stream = Object.assign(new EventEmitter(), { write: (t: string) => written.push(t) });
        const write = pipeSafeWriter(stream);
        write("{\n");
        const epipe = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
        expect(() => stream.emit("error", epipe)).not.toThrow();
        write('  "stack": "dev"\n');
        expect(written).toEqual(["{\n"]);
    });

    test("other stream errors are not swallowed", () => {
        const stream = Object.assign(new EventEmitter(), { write: () => true });
        pipeSafeWriter(stream);
        expect(() => stream.emit("error", Object.assign(new Error("disk full"), { code: "ENOSPC" }))).toThrow("disk full");
    });
});

describe("the dev example stack", () => {
    test("passes its own first preflight: its manifests path exists and is scanned", async () => {
        const { out, io } = capture();
        const code = await runPreflightCommand({ stack: "dev", json: true, today: "2026-11-27", cwd: projectDir }, io);
        const report = JSON.parse(out.stdout) as { items: Array<{ id: string; status: string; detail: string }> };
        const scan = report.items.find((i) => i.id === "api-scan");
        expect(scan).toMatchObject({ status: "pass" });
        expect(scan!.detail).toMatch(/in \d+ documents? of \d+ files? under .*examples\/gitops\/environments\/dev/);
        expect(report.items.filter((i) => i.status === "fail")).toEqual([]);
        expect(code).toBe(0);
    });
});
