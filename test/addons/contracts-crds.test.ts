/**
 * Proven against the upstream contracts, not only our reading of them (the Helm values and
 * service accounts are in contracts-values.test.ts):
 * - every custom resource the program creates validates against the openAPIV3Schema of the pinned
 *   CRD version (the real files under ../shared/crds, read there), with unknown fields refused as
 *   the API server's strict field validation would (a misspelt field is otherwise pruned silently);
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import Ajv, { ValidateFunction } from "ajv";
import { Plan, PlannedResource } from "../../src/plan/model";
import { ADDON_CATALOG } from "../../src/addons/registry";
import { inClusterSecret } from "../../components/addons/argocd";
import { albRouting } from "../routing/fixtures";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { planFor, resourceNamed, resourcesOfType } from "../helpers/plan";

const SHARED = path.join(__dirname, "..", "..", "..", "shared", "crds");
/** The pinned CRDs: the controller's at chart 1.14.0 (v2.14.0). Argo CD's newest CRDs at hand are v2.12.0 (chart 8.5.0 ships v3.1.5). */
const CRD_FILES = {
    "elbv2.k8s.aws/TargetGroupBinding": path.join(SHARED, "aws-load-balancer-controller", "v2.14.0", "crds.yaml"),
    "argoproj.io/Application": path.join(SHARED, "argo-cd", "v2.12.0", "application-crd.yaml"),
};

type Schema = Record<string, unknown>;

/** Strict field validation: an object schema with properties and no preserve-unknown-fields takes no other key. */
function strict(schema: Schema): Schema {
    const out: Schema = { ...schema };
    if (out.properties && typeof out.properties === "object") {
        out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, Schema>).map(([k, v]) => [k, strict(v)]));
        if (out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) out.additionalProperties = false;
    }
    if (out.items && typeof out.items === "object") out.items = strict(out.items as Schema);
    if (out.additionalProperties && typeof out.additionalProperties === "object") out.additionalProperties = strict(out.additionalProperties as Schema);
    return out;
}

const validators = new Map<string, ValidateFunction>();

/** Compiled once per CRD version (Argo CD's Application schema is large). */
function validatorFor(file: string, kind: string, version: string): ValidateFunction {
    const key = `${file}#${kind}/${version}`;
    if (!validators.has(key)) validators.set(key, compileValidator(file, kind, version));
    return validators.get(key)!;
}

function compileValidator(file: string, kind: string, version: string): ValidateFunction {
    const docs = yaml.loadAll(fs.readFileSync(file, "utf8")) as Array<{ kind?: string; spec?: { names: { kind: string }; versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> } }>;
    const crd = docs.find((d) => d?.kind === "CustomResourceDefinition" && d.spec!.names.kind === kind);
    if (!crd) throw new Error(`${file} has no CRD of kind ${kind}`);
    const served = crd.spec!.versions.find((v) => v.name === version);
    if (!served) throw new Error(`${file}: ${kind} has no version ${version}`);
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    // `status` is the controller's (the API server ignores it on create through the status subresource),
    // and it is most of Argo CD's schema: left out, the same check compiles in a fraction of the time.
    const { status: _status, ...properties } = served.schema.openAPIV3Schema.properties as Record<string, Schema>;
    return ajv.compile(strict({ ...served.schema.openAPIV3Schema, properties }));
}

function validate(resource: PlannedResource): string[] {
    const { apiVersion, kind } = resource.inputs as { apiVersion: string; kind: string };
    const [group, version] = apiVersion.split("/");
    const file = CRD_FILES[`${group}/${kind}` as keyof typeof CRD_FILES];
    const check = validatorFor(file, kind, version);
    const { apiVersion: _a, kind: _k, ...object } = resource.inputs as Record<string, unknown>;
    // The API server sets apiVersion/kind from the request; `metadata` is an object in every CRD schema.
    return check({ apiVersion, kind, ...object }) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

describe("custom resources against their pinned CRD schemas", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await planFor(rawConfig({
            clusters: {
                blue: clusterSpec("1.33", { addons: { argocd: { bootstrap: { repoURL: "https://git.example.com/platform.git", path: "envs/prod", helmValues: true } } } }),
                green: clusterSpec("1.34", { addons: { argocd: { bootstrap: { repoURL: "https://git.example.com/platform.git", path: "envs/prod" } } } }),
            },
            routing: albRouting({ weights: { blue: 90, green: 10 } }),
        }), "prod");
    });

    test("every TargetGroupBinding of the routing validates against elbv2.k8s.aws/v1beta1 (controller v2.14.0)", () => {
        const bindings = resourcesOfType(plan, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding");
        expect(bindings).toHaveLength(2);
        for (const binding of bindings) expect(validate(binding)).toEqual([]);
    });

    test("ArgoCD's root Application (plain directory and Helm chart) validates against argoproj.io/v1alpha1", () => {
        const apps = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:Application");
        expect(apps).toHaveLength(2);
        for (const app of apps) expect(validate(app)).toEqual([]);
    });

    test("the validation catches a misspelt field and a wrong type (strict field validation)", () => {
        const binding = resourcesOfType(plan, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")[0];
        const spec = binding.inputs.spec as Record<string, unknown>;
        const { targetGroupARN, ...rest } = spec;
        const misspelt = { ...binding, inputs: { ...binding.inputs, spec: { ...rest, targetGroupArn: targetGroupARN } } };
        expect(validate(misspelt).join("\n")).toMatch(/must NOT have additional properties.*targetGroupArn|must have required property 'targetGroupARN'/);
        const wrongType = { ...binding, inputs: { ...binding.inputs, spec: { ...spec, targetType: "pod" } } };
        expect(validate(wrongType).join("\n")).toMatch(/\/spec\/targetType must be equal to one of the allowed values/);
    });

    test("ArgoCD's in-cluster Secret has the declarative cluster shape: its label, name, server, and a config Argo CD can parse", () => {
        const secret = resourceNamed(plan, "kubernetes:core/v1:Secret", "prod-green-argocd-in-cluster");
        const metadata = secret.inputs.metadata as { name: string; namespace: string; labels: Record<string, string> };
        expect(metadata.namespace).toBe(ADDON_CATALOG.argocd.namespace);
        expect(metadata.labels["argocd.argoproj.io/secret-type"]).toBe("cluster");
        // The plan shows stringData as a secret; its content is the component's inClusterSecret().
        expect(secret.inputs.stringData).toBe("<secret>");
        expect(inClusterSecret({ color: "green", environment: "prod" }).metadata).toEqual(metadata);
        const data = inClusterSecret({ color: "green", environment: "prod" }).stringData;
        // The keys Argo CD reads from a cluster secret (docs: declarative setup, clusters).
        expect(Object.keys(data).every((k) => ["name", "server", "config", "namespaces", "clusterResources", "project", "shard"].includes(k))).toBe(true);
        expect(data.server).toBe("https://kubernetes.default.svc");
        const config = JSON.parse(data.config) as Record<string, unknown>;
        const configKeys = ["username", "password", "bearerToken", "tlsClientConfig", "awsAuthConfig", "execProviderConfig", "proxyUrl", "disableCompression"];
        expect(Object.keys(config).every((k) => configKeys.includes(k))).toBe(true);
        expect(Object.keys(config.tlsClientConfig as object).every((k) => ["insecure", "serverName", "caData", "certData", "keyData"].includes(k))).toBe(true);
    });
});

