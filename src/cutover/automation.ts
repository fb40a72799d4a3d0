/**
 * `StackOperations` on the Pulumi Automation API, for the user's project and stack. The Pulumi CLI
 * runs behind a small shim (pulumi-shim.js) that puts it in its own process group and ignores
 * SIGINT/SIGTERM, so a Ctrl-C in the terminal never cancels an update in flight: the engine stops
 * after it. Targeted previews and updates run the program in weights-only mode
 * (BLUEGREEN_WEIGHTS_ONLY=1: no CRD gate, no live cluster reads, no downloads). Read-only commands
 * leave the operator's selected stack alone.
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { Color, COLORS, Weights } from "../config/colors";
import { parseStructuredValue } from "../config/values";
import { UserInputError } from "../errors";
import { WEIGHTS_ONLY_ENV } from "./program-guard";
import { ClusterView, PreviewSummary, RoutedAppView, RoutingChange, StackOperations, StackView, UpdateSummary } from "./model";


/** Reads weights and the previous color from the stack's config, the rest from its outputs. */
export function stackView(config: Record<string, { value: string }>, outputs: Record<string, { value: unknown }>): StackView {
    const routing = (parseStructuredValue(config["bluegreen:routing"]?.value) ?? {}) as { weights?: Partial<Weights>; mode?: "alb" | "dns"; hostedZoneId?: string };
    const cutover = (parseStructuredValue(config["bluegreen:cutover"]?.value) ?? {}) as { previousColor?: Color };
    const routingOutput = (outputs.routing?.value ?? {}) as { apps?: Record<string, RoutedAppView>; weightedResourceUrns?: string[]; mode?: "alb" | "dns" };
    const weights = Object.fromEntries(COLORS.map((c) => [c, Number(routing.weights?.[c] ?? 0)])) as Weights;
    return {
        weights,
        previousColor: cutover.previousColor,
        clusters: (outputs.clusters?.value ?? {}) as Partial<Record<Color, ClusterView>>,
        apps: routingOutput.apps ?? {},
        mode: routing.mode ?? routingOutput.mode ?? "alb",
        weightedResourceUrns: routingOutput.weightedResourceUrns ?? [],
        ...(routing.hostedZoneId ? { hostedZoneId: routing.hostedZoneId } : {}),
    };
}

export class PulumiMissingError extends UserInputError {}

/** The `pulumi` executable on PATH, or a plain message saying how to install it. */
export function findPulumi(env: NodeJS.ProcessEnv = process.env): string {
    for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(dir, "pulumi");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not here
        }
    }
    throw new PulumiMissingError("the Pulumi CLI (`pulumi`) is not on PATH: install it (https://www.pulumi.com/docs/install/, e.g. `curl -fsSL https://get.pulumi.com | sh`) and log in to your state backend, then run this again");
}

/**
 * The shim the Automation API runs as `pulumi`: starts the real CLI (BLUEGREEN_REAL_PULUMI) in its
 * own process group (detached), passes its output and exit code through, and ignores SIGINT and
 * SIGTERM so the terminal's Ctrl-C reaches only bluegreen, which stops after the update.
 * With BLUEGREEN_KEEP_SELECTED_STACK=1, `stack select --stack X` becomes `stack --stack X`: the stack is
 * checked, the operator's selection is kept (every other call names --stack).
 */
export const PULUMI_SHIM = `#!/usr/bin/env node
const { spawn } = require("child_process");
let args = process.argv.slice(2);
// \`pulumi stack --stack X\` checks the stack exists without selecting it (as remote workspaces do).
if (process.env.BLUEGREEN_KEEP_SELECTED_STACK === "1" && args[0] === "stack" && args[1] === "select") args = ["stack", ...args.slice(2)];
for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, () => {});
const child = spawn(process.env.BLUEGREEN_REAL_PULUMI || "pulumi", args, { detached: true, stdio: ["ignore", "inherit", "inherit"] });
child.on("error", (e) => { process.stderr.write("bluegreen: cannot run pulumi: " + e.message + "\\n"); process.exit(127); });
child.on("exit", (code, signal) => process.exit(code === null ? 1 : code));
`;

let shim: string | undefined;

/**
 * Writes the shim into a private directory laid out as a Pulumi install root (root/bin/pulumi): one
 * per process (a cutover selects its stack more than once), removed when the process exits.
 */
export function shimRoot(): string {
    if (shim && fs.existsSync(path.join(shim, "bin", "pulumi"))) return shim;
    const root = fs.mkdtempSync(path.join(require("os").tmpdir(), "bluegreen-pulumi-"));
    fs.mkdirSync(path.join(root, "bin"));
    fs.writeFileSync(path.join(root, "bin", "pulumi"), PULUMI_SHIM, { mode: 0o755 });
    if (!shim) process.once("exit", removeShimRoot);
    shim = root;
    return root;
}

/** Removes the shim's directory (run at exit; a later `shimRoot()` writes a new one). */
export function removeShimRoot(): void {
    if (shim) fs.rmSync(shim, { recursive: true, force: true });
    shim = undefined;
}

export interface SelectOptions {
    /** Leave the operator's selected stack as it is (read-only commands). */
    readOnly?: boolean;
    env?: NodeJS.ProcessEnv;
}

export class PulumiStackOperations implements StackOperations {
    private constructor(private readonly stack: Stack) {}

    /** Accepts `stack` or `org/project/stack`; checks the CLI is installed before anything else. */
    static async select(stackName: string, workDir: string, options: SelectOptions = {}): Promise<PulumiStackOperations> {
        const env = options.env ?? process.env;
        const real = findPulumi(env);
        const pulumiCommand = await PulumiCommand.get({ root: shimRoot(), skipVersionCheck: true });
        const envVars: Record<string, string> = { BLUEGREEN_REAL_PULUMI: real, [WEIGHTS_ONLY_ENV]: "1" };
        if (options.readOnly) envVars.BLUEGREEN_KEEP_SELECTED_STACK = "1";
        return new PulumiStackOperations(await LocalWorkspace.selectStack({ stackName, workDir }, { pulumiCommand, envVars }));
    }

    /** The region the stack deploys to (aws:region, else bluegreen:region). */
    async region(): Promise<string | undefined> {
        const config = await this.stack.getAllConfig();
        return config["aws:region"]?.value ?? config["bluegreen:region"]?.value;
    }

    /** The environment's cutover table (output cutoverState.tableName), once `pulumi up` created it. */
    async cutoverTableName(): Promise<string | undefined> {
        const outputs = await this.stack.outputs();
        return (outputs.cutoverState?.value as { tableName?: string } | undefined)?.tableName;
    }

    async read(): Promise<StackView> {
        const [config, outputs] = await Promise.all([this.stack.getAllConfig(), this.stack.outputs()]);
        return stackView(config, outputs);
    }

    /** Both weights and previousColor in one config call (a second one only to clear previousColor). */
    async setRouting(change: RoutingChange): Promise<void> {
        const values: Record<string, { value: string }> = {};
        for (const color of COLORS) values[`bluegreen:routing.weights.${color}`] = { value: String(change.weights[color]) };
        if (change.previousColor) values["bluegreen:cutover.previousColor"] = { value: change.previousColor };
        await this.stack.setAllConfig(values, true);
        if (change.previousColor === null) await this.stack.removeAllConfig(["bluegreen:cutover.previousColor"], true);
    }

    async previewRouting(urns: string[]): Promise<PreviewSummary> {
        const result = await this.stack.preview({ target: urns, targetDependents: false });
        return { ...(result.changeSummary ?? {}) } as PreviewSummary;
    }

    async updateRouting(urns: string[], onOutput?: (line: string) => void): Promise<UpdateSummary> {
        const result = await this.stack.up({ target: urns, targetDependents: false, onOutput });
        const changes = result.summary.resourceChanges ?? {};
        return { updated: changes.update ?? 0, created: changes.create ?? 0, deleted: changes.delete ?? 0, replaced: changes.replace ?? 0, version: result.summary.version };
    }
}
