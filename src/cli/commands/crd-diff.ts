/**
 * `bluegreen crd-diff <old> <new>`: the semantic, classified CRD diff between two CRD sources.
 * Exit 0 below the --fail-on threshold, 1 at or above it, 2 on bad input or an unreachable source.
 */
import * as fs from "fs";
import { loadYaml, YamlLimitError } from "../../yaml";
import { Command, InvalidArgumentError, Option } from "commander";
import { parseDurationMs } from "../../config/values";
import { crdDiffToJson, diffCrdSets, formatCrdDiffHuman, parseCrdStreams, parseRuleOverrides, RuleOverrides, RuleOverridesError, Verdict, VERDICT_ORDER } from "../../crd";
import { CrdSourceError, CrdSourceOptions, CrdSourceResult } from "../../crd/sources/types";
import { CommandIO, processIO } from "../io";
import { UserInputError } from "../../errors";
import { ADDON_SOURCE_FORM } from "../../addons/registry";

export const FAIL_ON = ["breaking", "compatible", "any"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface CrdDiffCommandOptions {
    old: string;
    new: string;
    json: boolean;
    failOn: FailOn;
    rules?: string;
    kubeconfig?: string;
    timeout?: number;
    cache: boolean;
}

export type SourceLoader = (spec: string, options: CrdSourceOptions) => Promise<CrdSourceResult>;

/** The CRD library with the `addon:` scheme added: the library itself knows nothing of add-ons. */
const defaultLoader: SourceLoader = async (spec, options) => {
    const [{ loadCrdSource }, { addonCrdScheme }] = await Promise.all([import("../../crd/sources"), import("../../addons/crd-source")]);
    return loadCrdSource(spec, { ...options, schemes: [addonCrdScheme()] });
};

export function failsAt(verdict: Verdict, failOn: FailOn): boolean {
    if (verdict === "identical") return false;
    return failOn === "any" || VERDICT_ORDER[verdict] >= VERDICT_ORDER[failOn];
}

function readRules(file: string): RuleOverrides {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new RuleOverridesError(`cannot read the rules file ${file}: ${(err as Error).message}`);
    }
    let document: unknown;
    try {
        document = loadYaml(text, { file });
    } catch (err) {
        if (err instanceof YamlLimitError) throw err;
        throw new RuleOverridesError(`${file} is not valid YAML or JSON: ${(err as Error).message.split("\n")[0]}`);
    }
    return parseRuleOverrides(document, file);
}

/** `--timeout`: whole milliseconds above zero, or a duration like "30s" or "2m". */
export function parseTimeoutMs(value: string): number {
    const trimmed = value.trim();
    const ms = /^\d+$/.test(trimmed) ? Number(trimmed) : parseDurationMs(trimmed);
    if (ms === undefined || ms <= 0) {
        throw new InvalidArgumentError(`"${value}" is not a timeout: give milliseconds like 30000, or a duration like 30s or 2m`);
    }
    return ms;
}

export async function runCrdDiff(options: CrdDiffCommandOptions, io: CommandIO, load: SourceLoader = defaultLoader): Promise<number> {
    try {
        const ruleOverrides = options.rules ? readRules(options.rules) : {};
        const sourceOptions: CrdSourceOptions = { timeoutMs: options.timeout, cacheDir: options.cache ? undefined : null, kubeconfigPath: options.kubeconfig };
        const [oldSource, newSource] = await Promise.all([load(options.old, sourceOptions), load(options.new, sourceOptions)]);
        for (const note of [...(oldSource.notes ?? []), ...(newSource.notes ?? [])]) io.stderr(`bluegreen crd-diff: ${note}\n`);
        const oldSet = parseCrdStreams(oldSource.streams, { live: oldSource.live, label: `the old CRD set (${options.old})` });
        const newSet = parseCrdStreams(newSource.streams, { live: newSource.live, label: `the new CRD set (${options.new})` });
        const result = diffCrdSets(oldSet, newSet, { ruleOverrides });
        io.stdout(options.json ? JSON.stringify(crdDiffToJson(result)) + "\n" : formatCrdDiffHuman(result, { old: options.old, new: options.new }));
        return failsAt(result.verdict, options.failOn) ? 1 : 0;
    } catch (err) {
        if (err instanceof UserInputError || err instanceof CrdSourceError) {
            io.stderr(`bluegreen crd-diff: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
}

export function registerCrdDiffCommand(program: Command): void {
    program
        .command("crd-diff")
        .description("semantic, classified diff of two sets of CustomResourceDefinitions (exit 0 below --fail-on, 1 at or above it, 2 on bad input)")
        .argument("<old>", `old CRDs: a path, URL(s), chart:<repo-url>/<chart>@<version>, ${ADDON_SOURCE_FORM} or kube:<group>`)
        .argument("<new>", "new CRDs, same forms")
        .option("--json", "print JSON", false)
        .addOption(new Option("--fail-on <class>", "lowest verdict that exits 1").choices([...FAIL_ON]).default("breaking"))
        .option("--rules <file>", "YAML/JSON file moving rules to other classes, e.g. { rules: { enum-value-added: breaking } }")
        .option("--kubeconfig <path>", "kubeconfig for kube: sources (default: the usual loading rules)")
        .option("--timeout <ms>", "download timeout per request, in milliseconds (or a duration like 30s)", parseTimeoutMs)
        .option("--no-cache", "do not use the download cache")
        .action(async (oldSpec: string, newSpec: string, opts: Omit<CrdDiffCommandOptions, "old" | "new">) => {
            process.exitCode = await runCrdDiff({ ...opts, old: oldSpec, new: newSpec }, processIO);
        });
}
