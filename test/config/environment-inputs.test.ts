import { ConfigError, readEnvironmentInputs } from "../../src/config";
import { rawConfig } from "../helpers/raw-config";

/** A stack's config as `pulumi.runtime.allConfig()` hands it to the program: every value JSON text. */
function pulumiConfig(values: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, string> {
    const all: Record<string, string> = { ...extra };
    for (const [key, value] of Object.entries(values)) all[`bluegreen:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    return all;
}

describe("reading a stack's config (the Pulumi program and the offline plan)", () => {
    test("structured values are parsed and validated; the environment defaults to the stack name", () => {
        const { region: _region, ...raw } = rawConfig();
        const inputs = readEnvironmentInputs(pulumiConfig(raw, { "aws:region": "ap-northeast-1" }), { stack: "staging" });
        expect(inputs.environment).toBe("staging");
        expect(inputs.region).toBe("ap-northeast-1");
        expect(inputs.config.clusters.green?.version).toBe("1.33");
    });

    test("aws:profile is read with the config (the providers and kubeconfigs need it); absent or empty means none", () => {
        expect(readEnvironmentInputs(pulumiConfig(rawConfig(), { "aws:profile": "platform-dev" }), { stack: "dev" }).awsProfile).toBe("platform-dev");
        expect(readEnvironmentInputs(pulumiConfig(rawConfig()), { stack: "dev" }).awsProfile).toBeUndefined();
        expect(readEnvironmentInputs(pulumiConfig(rawConfig(), { "aws:profile": "" }), { stack: "dev" }).awsProfile).toBeUndefined();
    });

    test("objects (a stack file) and JSON text (Pulumi, or `pulumi config set k '{…}'`) are read the same way", () => {
        const raw = rawConfig({ cutover: { steps: [20, 100], bake: "5m" } });
        const asObjects: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(raw)) asObjects[`bluegreen:${key}`] = value;
        const fromObjects = readEnvironmentInputs(asObjects, { stack: "dev" });
        const fromText = readEnvironmentInputs(pulumiConfig(raw), { stack: "dev" });
        expect(fromText).toEqual(fromObjects);
        expect(fromText.config.cutover.steps).toEqual([20, 100]);
    });

    test("an unknown bluegreen: key is an error before anything is registered, together with the other problems", () => {
        const all = pulumiConfig({ ...rawConfig(), clustr: { blue: {} }, network: {} });
        expect(() => readEnvironmentInputs(all, { stack: "dev" })).toThrow(ConfigError);
        try {
            readEnvironmentInputs(all, { stack: "dev" });
        } catch (err) {
            const paths = (err as ConfigError).problems.map((p) => p.path);
            expect(paths).toEqual(expect.arrayContaining(["clustr", "network"]));
        }
    });

    test("a missing region says how to set it; the AWS provider's fallback is used when given", () => {
        const { region: _region, ...raw } = rawConfig();
        expect(() => readEnvironmentInputs(pulumiConfig(raw), { stack: "dev" })).toThrow(/pulumi config set aws:region/);
        expect(readEnvironmentInputs(pulumiConfig(raw), { stack: "dev", fallbackRegion: "us-east-2" }).region).toBe("us-east-2");
    });

    test("bluegreen:region wins over aws:region", () => {
        const inputs = readEnvironmentInputs(pulumiConfig(rawConfig({ region: "eu-central-1" }), { "aws:region": "us-east-1" }), { stack: "dev" });
        expect(inputs.region).toBe("eu-central-1");
    });
});
