/**
 * The Pulumi program and the offline plan read secrets and JSON-text values the same way: what
 * `pulumi up` accepts (values decrypted, every value as text, secret keys listed by the CLI) the
 * plan accepts from the stack file (`secure:` values, YAML objects), and what one refuses the other
 * refuses.
 */
import * as yaml from "js-yaml";
import { ConfigError, readEnvironmentInputs, secretKeysFromEnvironment } from "../../src/config";
import { environmentInputsOf, parseStackFile } from "../../src/config/stack-file";
import { rawConfig } from "../helpers/raw-config";

const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
const routing = { weights: { blue: 100, green: 0 }, verification: { enabled: false }, certificateArn, hostedZoneId: "Z0123456789ABC", apps: [{ name: "shop", hostnames: ["shop.example.com"], namespace: "shop", service: { name: "web", port: 80 } }] };

/** As `pulumi.runtime.allConfig()` hands it over: every value text, secrets decrypted. */
function pulumiConfig(values: Record<string, unknown>): Record<string, string> {
    const all: Record<string, string> = { "aws:region": "eu-west-1" };
    for (const [key, value] of Object.entries(values)) all[`bluegreen:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    return all;
}

/** A stack file with `bluegreen:` values; `text` values are written as they are (e.g. JSON strings). */
function stackFile(values: Record<string, unknown>) {
    const config: Record<string, unknown> = { "aws:region": "eu-west-1" };
    for (const [key, value] of Object.entries(values)) config[`bluegreen:${key}`] = value;
    return parseStackFile(yaml.dump({ config }), "Pulumi.dev.yaml", "dev");
}

const { region: _region, ...base } = rawConfig({ routing });

describe("secrets: the same rules for pulumi up and the plan", () => {
    test("a secret certificate ARN and password: pulumi up (decrypted) and the plan (stand-ins) both accept them", () => {
        const up = readEnvironmentInputs(pulumiConfig({ ...base, argocdAdminPassword: "correct horse battery" }), { stack: "dev", secretKeys: ["bluegreen:routing", "bluegreen:argocdAdminPassword"] });
        expect(up.config.routing?.certificateArn).toBe(certificateArn);
        const file = stackFile({ ...base, routing: { ...routing, certificateArn: { secure: "v1:abc" } }, argocdAdminPassword: { secure: "v1:def" } });
        const plan = environmentInputsOf(file);
        expect(plan.config.routing?.certificateArn).toMatch(/^arn:aws:acm:eu-west-1:000000000000:certificate\//);
        expect(plan.config.routing?.apps).toEqual(up.config.routing?.apps);
    });

    test("the admin password in plain text is refused by both", () => {
        const plain = { ...base, argocdAdminPassword: "correct horse battery" };
        expect(() => readEnvironmentInputs(pulumiConfig(plain), { stack: "dev", secretKeys: [] })).toThrow(/argocdAdminPassword is stored in plain text/);
        expect(() => environmentInputsOf(stackFile(plain))).toThrow(/argocdAdminPassword is stored in plain text/);
    });

    test("a secret where the value must be known is refused by the plan, saying how to store it", () => {
        const file = stackFile({ ...base, routing: { ...routing, weights: { blue: { secure: "v1:a" }, green: 0 } } });
        try {
            environmentInputsOf(file);
            throw new Error("accepted");
        } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
            expect((err as ConfigError).problems).toEqual([expect.objectContaining({ path: "routing.weights.blue", message: expect.stringContaining("store it as plain config") })]);
        }
    });

    test("PULUMI_CONFIG_SECRET_KEYS is read as the CLI writes it; absent or malformed, no password check is made", () => {
        expect(secretKeysFromEnvironment('["bluegreen:argocdAdminPassword"]')).toEqual(["bluegreen:argocdAdminPassword"]);
        expect(secretKeysFromEnvironment(undefined)).toBeUndefined();
        expect(secretKeysFromEnvironment("not json")).toBeUndefined();
        const plain = pulumiConfig({ ...base, argocdAdminPassword: "correct horse battery" });
        expect(readEnvironmentInputs(plain, { stack: "dev" }).config.argocdAdminPassword).toBe("correct horse battery");
    });
});

describe("values stored as JSON text (pulumi config set bluegreen:cutover '{…}')", () => {
    test("a stack file holding JSON text reads like pulumi up reads it", () => {
        const cutover = { steps: [20, 100], bake: "5m" };
        const file = stackFile({ ...base, cutover: JSON.stringify(cutover) });
        const plan = environmentInputsOf(file);
        const up = readEnvironmentInputs(pulumiConfig({ ...base, cutover }), { stack: "dev", secretKeys: [] });
        expect(plan.config.cutover).toEqual(up.config.cutover);
        expect(plan.config.cutover.steps).toEqual([20, 100]);
    });

    test("invalid JSON-text values are refused by both with the same problems", () => {
        const cutover = { steps: [50, 20], bake: "5m" };
        const problemsOf = (run: () => unknown) => {
            try {
                run();
                return [];
            } catch (err) {
                return (err as ConfigError).problems;
            }
        };
        const plan = problemsOf(() => environmentInputsOf(stackFile({ ...base, cutover: JSON.stringify(cutover) })));
        const up = problemsOf(() => readEnvironmentInputs(pulumiConfig({ ...base, cutover }), { stack: "dev", secretKeys: [] }));
        expect(plan.length).toBeGreaterThan(0);
        expect(plan).toEqual(up);
    });
});
