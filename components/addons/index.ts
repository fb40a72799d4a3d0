/**
 * The add-ons of one color's cluster, each from its own folder through the one shared mechanism
 * (`ClusterAddon`), in registry order. Adding an add-on: `src/addons/<id>.ts` (catalog entry and
 * settings), `components/addons/<id>/` (its `definition`, and `iam-policy.ts` when it calls AWS),
 * and one line in src/addons/registry.ts. Add-ons whose webhooks cover other add-ons' objects are
 * installed first and removed last: every other release depends on theirs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { AddonsConfig, Color } from "../../src/config";
import { ADDON_IDS, AddonId, AddonSettings, webhookProviders } from "../../src/addons/registry";
import { AddonCrdsOfColor } from "../../src/addons/crd-gate";
import { AddonContext, ClusterAddon } from "./addon";
import { addonDefinition } from "./definitions";

export interface ClusterAddonsArgs {
    environment: string;
    color: Color;
    clusterName: string;
    region: string;
    vpcId: pulumi.Input<string>;
    config: AddonsConfig;
    /** The CRDs (and gate result) per enabled add-on, decided before any resource was registered. */
    crds: Partial<Record<AddonId, AddonCrdsOfColor>>;
    clusterReady: pulumi.Input<pulumi.Resource>[];
    argocdAdminPassword?: pulumi.Input<string>;
    /** The cluster's kubeconfig: for the provider that adopts retained CRDs when an add-on is enabled again. */
    kubeconfig?: pulumi.Input<string>;
    /** The hostnames the routing publishes in Route 53 (routing.apps[].hostnames). */
    routedHostnames?: readonly string[];
}

export class ClusterAddons extends pulumi.ComponentResource {
    readonly addons: Partial<Record<AddonId, ClusterAddon<unknown>>> = {};

    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:index:ClusterAddons", name, {}, opts);
        const context: AddonContext = {
            environment: args.environment, color: args.color, clusterName: args.clusterName, region: args.region, vpcId: args.vpcId, argocdAdminPassword: args.argocdAdminPassword,
            routedHostnames: args.routedHostnames ?? [],
        };
        const providers = webhookProviders();
        const crdProvider = args.kubeconfig === undefined ? undefined : new k8s.Provider(`${name}-crd-adopt`, {
            kubeconfig: args.kubeconfig,
            enableServerSideApply: true,
            clusterIdentifier: args.clusterName,
            // Only the add-ons' CRDs use this provider (see ClusterAddonArgs.crdProvider).
            upsertExistingObjects: true,
        }, { parent: this });
        const install = <K extends AddonId>(id: K): ClusterAddon<unknown> => {
            const crds = args.crds[id];
            if (!crds) throw new pulumi.ResourceError(`${id} is enabled on ${args.color} but the CRD gate has no entry for it: prepareAddonCrds must run on the same config`, this);
            const after = providers.filter((p) => p !== id).flatMap((p) => (this.addons[p] ? [this.addons[p]!.release] : []));
            const definition = addonDefinition(id);
            return new ClusterAddon(`${name}-${id}`, { definition, settings: args.config[id] as AddonSettings<K>, context, crds, clusterReady: args.clusterReady, after, crdProvider }, { parent: this }) as ClusterAddon<unknown>;
        };
        // Webhook providers first, so the others can wait for their releases.
        for (const id of [...providers, ...ADDON_IDS.filter((i) => !providers.includes(i))]) {
            if (args.config[id].enabled) this.addons[id] = install(id);
        }
        this.registerOutputs({ versions: this.versions() });
    }

    /** What custom resources of an add-on's kinds must wait for: its CRDs and its release (none when it is not installed). */
    dependenciesFor(addon: AddonId): pulumi.Resource[] {
        const installed = this.addons[addon];
        return installed ? [...installed.crds, installed.release] : [];
    }

    /** The chart version per installed add-on: the stack output `clusters.<color>.addons.<name>.version`. */
    versions(): Partial<Record<AddonId, { version: string }>> {
        return Object.fromEntries(Object.entries(this.addons).map(([id, addon]) => [id, { version: addon!.version }]));
    }
}
