import fc from "fast-check";
import { loadEnvironmentConfig } from "../../src/config";
import { colorRoles } from "../../src/config";
import { clusterSpec, rawConfig } from "../helpers/raw-config";

function config(blue: string | undefined, green: string | undefined, weights?: { blue: number; green: number }) {
    const clusters: Record<string, unknown> = {};
    if (blue) clusters.blue = clusterSpec(blue);
    if (green) clusters.green = clusterSpec(green);
    const routing = weights ? { weights, verification: { enabled: false } } : undefined;
    return loadEnvironmentConfig(rawConfig({ clusters, ...(routing ? { routing } : {}) }));
}

describe("which color is the candidate", () => {
    test.each([
        ["1.32", "1.33", { blue: 100, green: 0 }, "green", "1.33"],
        ["1.32", "1.33", { blue: 90, green: 10 }, "green", "1.33"],
        ["1.32", "1.34", { blue: 50, green: 50 }, "green", "1.34"],
        ["1.33", "1.32", { blue: 50, green: 50 }, "blue", "1.33"],
        ["1.32", "1.33", { blue: 0, green: 100 }, "blue", "1.33"],
        ["1.32", "1.32", { blue: 100, green: 0 }, "green", "1.32"],
        ["1.32", "1.33", undefined, "green", "1.33"],
    ])("blue %s, green %s, weights %j: %s; manifests must serve %s", (blue, green, weights, candidate, newest) => {
        const roles = colorRoles(config(blue, green, weights));
        expect(roles.candidate?.color).toBe(candidate);
        expect(roles.live?.color).toBe(candidate === "blue" ? "green" : "blue");
        expect(roles.newestVersion).toBe(newest);
    });

    test("none with one color, or two colors of the same version and weight", () => {
        expect(colorRoles(config("1.32", undefined)).candidate).toBeUndefined();
        expect(colorRoles(config(undefined, "1.33")).newestVersion).toBe("1.33");
        expect(colorRoles(config("1.32", "1.32", { blue: 50, green: 50 })).candidate).toBeUndefined();
    });

    test("property: the candidate never has more weight than the live color; on equal weights it is the newer one", () => {
        fc.assert(
            fc.property(fc.integer({ min: 25, max: 34 }), fc.integer({ min: 25, max: 34 }), fc.integer({ min: 0, max: 100 }), (b, g, blueWeight) => {
                const roles = colorRoles(config(`1.${b}`, `1.${g}`, { blue: blueWeight, green: 100 - blueWeight }));
                expect(roles.newestVersion).toBe(`1.${Math.max(b, g)}`);
                if (!roles.candidate) {
                    expect([b === g, blueWeight === 50]).toEqual([true, true]);
                    return;
                }
                expect(roles.candidate.weight!).toBeLessThanOrEqual(roles.live!.weight!);
                if (blueWeight === 50) expect(roles.candidate.version).toBe(`1.${Math.max(b, g)}`);
            }),
        );
    });
});
