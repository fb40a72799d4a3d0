/**
 * Shared by the single-mistake tests. Bad configuration, tried as a user would: single-mistake variants of the three example stacks,
 * each run through `bluegreen plan` (runPlanCommand, what `npm run plan` runs). Every one must be
 * refused before any resource with exit 2, no stack trace, and a message naming the config path.
 * The generated variants cover every key (a typo, with a did-you-mean), every value (a wrong type,
 * an out-of-range number, a malformed ARN, CIDR or name) and YAML-level slips (tabs, duplicate
 * keys); the named cases are the ones a review found accepted.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { runPlanCommand } from "../../../src/cli/commands/plan";
import { environmentInputsOf, readStackFile } from "../../../src/config/stack-file";
import type { EnvironmentProgram } from "../../../src/plan/stack-plan";
import { tempDir } from "../../helpers/temp-dir";

const projectDir = path.join(__dirname, "..", "..", "..");
export const STACKS = ["dev", "staging", "prod"] as const;
const dir = tempDir("bluegreen-mistakes-");

/** A refused config never reaches the program; if one is accepted, the test says so without building anything. */
const neverRun: EnvironmentProgram = async () => {
    throw new Error("PROGRAM RAN: the config was accepted");
};

type Doc = { config: Record<string, unknown> };

export function stackText(stack: string): string {
    return fs.readFileSync(path.join(projectDir, "stacks", `Pulumi.${stack}.yaml`), "utf8");
}

export function stackDoc(stack: string): Doc {
    return yaml.load(stackText(stack)) as Doc;
}

let counter = 0;
export async function planText(text: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const file = path.join(dir, `Pulumi.variant-${counter++}.yaml`);
    fs.writeFileSync(file, text);
    let stdout = "";
    let stderr = "";
    const code = await runPlanCommand({ stack: file, set: [], json: false, cwd: projectDir }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, neverRun);
    return { code, stdout, stderr };
}

/** Refused the right way: exit 2, nothing on stdout, no stack trace, and every expected fragment in the message. */
export async function expectRefused(text: string, ...fragments: string[]): Promise<void> {
    const { code, stdout, stderr } = await planText(text);
    const report = `${stderr}\n(variant:\n${text})`;
    expect({ code, report }).toEqual({ code: 2, report: expect.any(String) });
    expect(stdout).toBe("");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain("PROGRAM RAN");
    for (const fragment of fragments) expect({ fragment, stderr }).toEqual({ fragment, stderr: expect.stringContaining(fragment) });
}

export function mutate(stack: string, change: (config: Record<string, any>) => void): string {
    const doc = stackDoc(stack);
    change(doc.config as Record<string, any>);
    return yaml.dump(doc);
}

/** Validates a stack file's text the way `bluegreen plan` does before it loads the program; throws the ConfigError. */
export function validateText(text: string): void {
    const file = path.join(dir, `Pulumi.valid-${counter++}.yaml`);
    fs.writeFileSync(file, text);
    environmentInputsOf(readStackFile(projectDir, file));
}

/** Every key path of a stack's bluegreen values, skipping free-form maps (labels, Helm values). */
function* leaves(value: unknown, at: Array<string | number>): Generator<{ at: Array<string | number>; value: unknown }> {
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) yield* leaves(value[i], [...at, i]);
        return;
    }
    if (value !== null && typeof value === "object") {
        for (const [key, child] of Object.entries(value)) {
            if (key === "labels" || key === "values") continue;
            yield { at: [...at, key], value: child };
            yield* leaves(child, [...at, key]);
        }
    }
}

function configPath(at: Array<string | number>): string {
    const [top, ...rest] = at as [string, ...Array<string | number>];
    let out = String(top).startsWith("bluegreen:") ? String(top).slice("bluegreen:".length) : String(top);
    for (const segment of rest) out += typeof segment === "number" ? `[${segment}]` : `.${segment}`;
    return out;
}

function setAt(config: Record<string, any>, at: Array<string | number>, value: unknown): void {
    let node = config;
    for (const segment of at.slice(0, -1)) node = node[segment];
    node[at[at.length - 1]] = value;
}

function renameAt(config: Record<string, any>, at: Array<string | number>, to: string): void {
    let node = config;
    for (const segment of at.slice(0, -1)) node = node[segment];
    const key = at[at.length - 1] as string;
    node[to] = node[key];
    delete node[key];
}

/** A typo: the middle character left out ("version" → "verion"). */
function typo(key: string): string {
    const middle = Math.floor(key.length / 2);
    return key.slice(0, middle) + key.slice(middle + 1);
}

const ARN = /^arn:/;
const CIDR = /^\d+\.\d+\.\d+\.\d+\/\d+$/;

export interface Variant {
    stack: string;
    what: string;
    text: string;
    fragments: string[];
}

function generatedVariants(stacks: readonly string[]): Variant[] {
    const variants: Variant[] = [];
    for (const stack of stacks) {
        const config = stackDoc(stack).config;
        for (const { at, value } of leaves(Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("bluegreen:"))), [])) {
            const where = configPath(at);
            const key = at[at.length - 1];
            const add = (what: string, change: (c: Record<string, any>) => void, fragments: string[]) => variants.push({ stack, what: `${what} at ${where}`, text: mutate(stack, change), fragments });
            if (typeof key === "string") {
                const misspelt = key.startsWith("bluegreen:") ? `bluegreen:${typo(key.slice("bluegreen:".length))}` : typo(key);
                const misspeltPath = at.length === 1 ? configPath([misspelt]) : configPath([...at.slice(0, -1), misspelt]);
                const expectedKey = key.startsWith("bluegreen:") ? key.slice("bluegreen:".length) : key;
                add("a typo", (c) => renameAt(c, at, misspelt), [`${misspeltPath} is not a known setting (did you mean "${expectedKey}"?)`]);
            }
            if (typeof value === "number") {
                add("a negative number", (c) => setAt(c, at, -1), [where]);
                add("a word for a number", (c) => setAt(c, at, "many"), [`${where} must be`]);
            } else if (typeof value === "boolean") {
                add("a word for a boolean", (c) => setAt(c, at, "maybe"), [`${where} must be a boolean`]);
            } else if (typeof value === "string") {
                add("a list for a string", (c) => setAt(c, at, [value]), [where]);
                if (ARN.test(value)) add("an ARN with a short account id", (c) => setAt(c, at, value.replace(/:\d{12}:/, ":12345:")), [where]);
                if (CIDR.test(value)) add("a CIDR with a /33 mask", (c) => setAt(c, at, value.replace(/\/\d+$/, "/33")), [where]);
                if (key === "name" || key === "namespace") add("a name with capitals and _", (c) => setAt(c, at, "Bad_Name"), [where]);
            } else if (Array.isArray(value) && value.length > 0 && typeof value[0] !== "object") {
                add("a string for a list", (c) => setAt(c, at, "one,two"), [`${where} must be a list`]);
            }
        }
        variants.push({ stack, what: "a misspelt namespace (blugreen:)", text: mutate(stack, (c) => renameAt(c, ["bluegreen:clusters"], "blugreen:clusters")), fragments: ["blugreen:clusters is in the namespace"] });
    }
    return variants;
}

function yamlVariants(stacks: readonly string[]): Variant[] {
    const variants: Variant[] = [];
    for (const stack of stacks) {
        const text = stackText(stack);
        const file = "Pulumi.variant-";
        const lines = text.split("\n");
        const indented = lines.findIndex((l) => /^ {4}\S/.test(l));
        const withTab = [...lines];
        withTab[indented] = withTab[indented].replace(/^ {4}/, "\t");
        variants.push({ stack, what: "a tab for indentation", text: withTab.join("\n"), fragments: [file, "is not valid YAML", "tab"] });
        const duplicateAt = lines.findIndex((l) => l.startsWith("  bluegreen:routing:"));
        variants.push({ stack, what: "a duplicated key", text: [...lines.slice(0, duplicateAt), "  bluegreen:routing: {}", ...lines.slice(duplicateAt)].join("\n"), fragments: [file, "duplicated mapping key"] });
        variants.push({ stack, what: "an unclosed flow list", text: text.replace(/\](\s*\n)/, "$1"), fragments: [file, "is not valid YAML"] });
        variants.push({ stack, what: "config as a list", text: "config:\n  - bluegreen:routing\n", fragments: [file, '"config" must be a map'] });
    }
    return variants;
}

/** Every generated variant of one example stack. */
export function variantsOf(stack: string): Variant[] {
    return [...generatedVariants([stack]), ...yamlVariants([stack])];
}

/** Runs every variant; returns the accepted ones and those refused without the expected message. */
export async function tryVariants(variants: Variant[]): Promise<{ accepted: string[]; unclear: string[] }> {
    const accepted: string[] = [];
    const unclear: string[] = [];
    for (const variant of variants) {
        const { code, stdout, stderr } = await planText(variant.text);
        if (code !== 2 || stderr.includes("PROGRAM RAN")) {
            accepted.push(`${variant.stack}: ${variant.what}`);
            continue;
        }
        const missing = variant.fragments.filter((f) => !stderr.includes(f));
        if (missing.length || stdout !== "" || /\n\s+at /.test(stderr)) unclear.push(`${variant.stack}: ${variant.what}: missing ${JSON.stringify(missing)} in ${stderr}`);
    }
    return { accepted, unclear };
}
