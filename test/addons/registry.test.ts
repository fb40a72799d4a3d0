/**
 * The add-on registry is the one list: every registered add-on has every piece (catalog entry,
 * settings fragment in the config schema, Pulumi definition, IAM policy when it calls AWS, CLI help,
 * docs), and a missing piece fails here by name.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { ADDON_IDS, ADDONS, AddonId } from "../../src/addons/registry";
import { addonDefinition } from "../../components/addons/definitions";
import { loadEnvironmentConfig } from "../../src/config";
import { registerCrdDiffCommand } from "../../src/cli/commands/crd-diff";
import { clusterSpec, rawConfig } from "../helpers/raw-config";

const ROOT = path.join(__dirname, "..", "..");

describe.each(ADDON_IDS)("registered add-on %s", (id: AddonId) => {
    const entry = ADDONS[id];

    test("has its pure part src/addons/<id>.ts with a catalog entry of the same id", () => {
        expect(fs.existsSync(path.join(ROOT, "src", "addons", `${id}.ts`))).toBe(true);
        expect(entry.id).toBe(id);
        expect(entry.chart).toMatch(/\S/);
        expect(entry.repository).toMatch(/^https:\/\//);
        expect(entry.defaultVersion).toMatch(/^\d+\.\d+\.\d+$/);
        expect(entry.namespace).toMatch(/^[a-z0-9-]+$/);
        expect(entry.knownCrds.length).toBeGreaterThan(0);
    });

    test("has its Pulumi part components/addons/<id>/index.ts exporting its definition", () => {
        expect(addonDefinition(id).id).toBe(id);
    });

    test("calls AWS only with an IAM policy in components/addons/<id>/iam-policy.ts", () => {
        const account = (entry as { serviceAccount?: unknown }).serviceAccount;
        const definition = addonDefinition(id);
        expect(Boolean(account)).toBe(Boolean(definition.policy));
        if (account) expect(fs.existsSync(path.join(ROOT, "components", "addons", id, "iam-policy.ts"))).toBe(true);
    });

    test("has its settings under clusters.<color>.addons.<id> in the config schema, unknown keys refused", () => {
        const config = loadEnvironmentConfig(rawConfig({ clusters: { blue: clusterSpec("1.33") } }));
        expect(config.clusters.blue!.addons[id]).toMatchObject({ inPlaceCrdChanges: "cosmetic", values: {} });
        expect(() => loadEnvironmentConfig(rawConfig({ clusters: { blue: clusterSpec("1.33", { addons: { [id]: { verison: "1.0.0" } } }) } }))).toThrow(
            new RegExp(`clusters\\.blue\\.addons\\.${id}`),
        );
    });

    test("is named in the CLI's addon: help and in docs/addons.md", () => {
        const program = new Command();
        registerCrdDiffCommand(program);
        expect(program.commands[0].helpInformation()).toContain(id);
        expect(fs.readFileSync(path.join(ROOT, "docs", "addons.md"), "utf8")).toContain(`\`${id}\``);
    });
});

test("an add-on registered without its Pulumi part fails by name", () => {
    expect(() => addonDefinition("no-such-addon" as AddonId)).toThrow(/add-on no-such-addon is registered in src\/addons\/registry\.ts but components\/addons\/no-such-addon\/index\.ts cannot be loaded/);
});

test("the config schema knows exactly the registered add-ons", () => {
    const config = loadEnvironmentConfig(rawConfig({ clusters: { blue: clusterSpec("1.33") } }));
    expect(Object.keys(config.clusters.blue!.addons).sort()).toEqual([...ADDON_IDS].sort());
    expect(() => loadEnvironmentConfig(rawConfig({ clusters: { blue: clusterSpec("1.33", { addons: { istio: {} } }) } }))).toThrow(/istio/);
});

describe("service accounts the Pod Identity associations name", () => {
    test.each([
        ["aws-load-balancer-controller", { serviceAccount: { name: "alb" } }, /values\.serviceAccount\.name \("alb"\) renames aws-load-balancer-controller's service account.*"aws-load-balancer-controller" in kube-system/],
        ["external-dns", { serviceAccount: { name: "dns" } }, /values\.serviceAccount\.name \("dns"\) renames external-dns's service account/],
        ["external-dns", { serviceAccount: { create: false } }, /values\.serviceAccount\.create is false, but external-dns's chart must create its service account "external-dns"/],
    ])("user values that rename %s's service account are refused", (addon, values, message) => {
        const addons = { [addon]: { values, ...(addon === "external-dns" ? { zoneIdFilters: ["Z0123456789ABC"] } : {}) } };
        expect(() => loadEnvironmentConfig(rawConfig({ clusters: { green: clusterSpec("1.34", { addons }) } }))).toThrow(message);
    });

    test("values that keep the same name are accepted", () => {
        const addons = { "aws-load-balancer-controller": { values: { serviceAccount: { name: "aws-load-balancer-controller", annotations: { a: "b" } } } } };
        expect(() => loadEnvironmentConfig(rawConfig({ clusters: { green: clusterSpec("1.34", { addons }) } }))).not.toThrow();
    });
});
