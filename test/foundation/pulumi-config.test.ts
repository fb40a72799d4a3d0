import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../stacks/config";
import { readStackConfig } from "../../stacks/pulumi-config";
import { rawConfig } from "../helpers/raw-config";

function setConfig(values: Record<string, unknown>, extra: Record<string, string> = {}): void {
    const all: Record<string, string> = { ...extra };
    for (const [key, value] of Object.entries(values)) all[`bluegreen:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    pulumi.runtime.setAllConfig(all);
}

describe("reading the stack's config inside Pulumi", () => {
    beforeAll(() => pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "bluegreen", "staging"));

    test("structured values are parsed and validated; the environment defaults to the stack name", () => {
        const { region: _region, ...raw } = rawConfig();
        setConfig(raw, { "aws:region": "ap-northeast-1" });
        const inputs = readStackConfig();
        expect(inputs.environment).toBe("staging");
        expect(inputs.region).toBe("ap-northeast-1");
        expect(inputs.config.clusters.green?.version).toBe("1.33");
    });

    test("an unknown bluegreen: key is an error before anything is registered", () => {
        setConfig({ ...rawConfig(), clustr: { blue: {} } });
        expect(() => readStackConfig()).toThrow(ConfigError);
        expect(() => readStackConfig()).toThrow(/clustr is not a known setting/);
    });

    test("a missing region says how to set it", () => {
        const { region: _region, ...raw } = rawConfig();
        setConfig(raw);
        const saved = [process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION];
        delete process.env.AWS_REGION;
        delete process.env.AWS_DEFAULT_REGION;
        try {
            expect(() => readStackConfig()).toThrow(/pulumi config set aws:region/);
        } finally {
            if (saved[0] !== undefined) process.env.AWS_REGION = saved[0];
            if (saved[1] !== undefined) process.env.AWS_DEFAULT_REGION = saved[1];
        }
    });
});
