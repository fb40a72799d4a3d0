/**
 * The add-ons of one color's cluster, each from its own folder through the one shared mechanism
 * (`ClusterAddon`). Adding an add-on: a folder with its `AddonDefinition`, a catalog entry, a line here.
 */
import * as pulumi from "@pulumi/pulumi";
import { AddonsConfig, Color } from "../../stacks/config";
import { AddonId } from "../../src/addons/catalog";
import { AddonCrdsOfColor } from "../../src/addons/crd-gate";
import { AddonContext, AddonDefinition, ClusterAddon } from "./addon";
import { argocd } from "./argocd";
import { loadBalancerController } from "./aws-load-balancer-controller";
import { externalDns } from "./external-dns";

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
}

export class ClusterAddons extends pulumi.ComponentResource {
    readonly addons: Partial<Record<AddonId, ClusterAddon<unknown>>> = {};

    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:index:ClusterAddons", name, {}, opts);
        const context: AddonContext = { environment: args.environment, color: args.color, clusterName: args.clusterName, region: args.region, vpcId: args.vpcId };
        const settings: { [K in AddonId]: { definition: AddonDefinition<never>; settings: unknown } } = {
            argocd: { definition: argocd as AddonDefinition<never>, settings: { ...args.config.argocd, adminPassword: args.argocdAdminPassword } },
            "aws-load-balancer-controller": { definition: loadBalancerController as AddonDefinition<never>, settings: args.config["aws-load-balancer-controller"] },
            "external-dns": { definition: externalDns as AddonDefinition<never>, settings: args.config["external-dns"] },
        };
        for (const [id, { definition, settings: addonSettings }] of Object.entries(settings) as [AddonId, (typeof settings)[AddonId]][]) {
            if (!args.config[id].enabled) continue;
            const crds = args.crds[id];
            if (!crds) throw new Error(`${id} is enabled on ${args.color} but the CRD gate has no entry for it: prepareAddonCrds must run on the same config`);
            this.addons[id] = new ClusterAddon(`${name}-${id}`, {
                definition,
                settings: addonSettings as never,
                context,
                crds,
                clusterReady: args.clusterReady,
            }, { parent: this });
        }
        this.registerOutputs({ versions: this.versions() });
    }

    /** What custom resources of an add-on's kinds must wait for: its CRDs and its release. */
    dependenciesFor(addon: AddonId): pulumi.Resource[] {
        const installed = this.addons[addon];
        return installed ? [...installed.crds, installed.release] : [];
    }

    versions(): Partial<Record<AddonId, { version: string }>> {
        return Object.fromEntries(Object.entries(this.addons).map(([id, addon]) => [id, { version: addon!.version }]));
    }
}
