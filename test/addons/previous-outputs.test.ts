import * as pulumi from "@pulumi/pulumi";
import { pulumiAddonCrdDeps } from "../../components/addons/crd-deps";

/** The stack's last outputs, as the backend answers a StackReference to the stack itself. */
let lastOutputs: Record<string, unknown> | undefined;
let secretOutputNames: string[] = [];
const references: string[] = [];

beforeAll(() => {
    pulumi.runtime.setMocks({
        newResource: (args) => {
            if (args.type !== "pulumi:pulumi:StackReference") return { id: undefined, state: args.inputs };
            references.push(String(args.inputs.name));
            return { id: String(args.inputs.name), state: { ...args.inputs, outputs: lastOutputs ?? {}, secretOutputNames } };
        },
        call: () => ({}),
    }, "bluegreen", "prod", true, "acme");
});

describe("the previous deployment, read from the stack's own last outputs", () => {
    test("reads clusters.<color>.kubeconfig and clusters.<color>.addons.<name>.version, secret or not, from this very stack", async () => {
        lastOutputs = { clusters: { blue: { kubeconfig: "{\"apiVersion\":\"v1\"}", addons: { argocd: { version: "8.5.0" } } } } };
        secretOutputNames = ["clusters"];
        const previous = await pulumiAddonCrdDeps().previousDeployment();
        expect(previous).toEqual({ clusters: lastOutputs.clusters });
        expect(references).toEqual(["acme/bluegreen/prod"]);

        secretOutputNames = [];
        expect(await pulumiAddonCrdDeps().previousDeployment()).toEqual({ clusters: lastOutputs.clusters });
    });

    test("a stack never deployed has no previous deployment", async () => {
        lastOutputs = undefined;
        expect(await pulumiAddonCrdDeps().previousDeployment()).toBeUndefined();
    });
});
