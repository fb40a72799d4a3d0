/**
 * The add-ons of one color's cluster, each from its own folder through the one shared mechanism
 * (`ClusterAddon`). Adding an add-on: a folder with its `AddonDefinition`, a catalog entry, its
 * settings in the config schema, and a line in `ADDON_DEFINITIONS` and `AddonSettings`.
 */
import * as pulumi from "@pulumi/pulumi";
import { AddonsConfig, Color } from "../../src/config";
import { ADDON_IDS, AddonId } from "../../src/addons/catalog";
import { AddonCrdsOfColor } from "../../src/addons/crd-gate";
import { AddonContext, AddonDefinition, ClusterAddon } from "./addon";
import { argocd, ArgoCdSettings } from "./argocd";
import { loadBalancerController, LoadBalancerControllerSettings } from "./aws-load-balancer-controller";
import { externalDns, ExternalDnsSettings } from "./external-dns";

interface AddonSettings {
    argocd: ArgoCdSettings;
    "aws-load-balancer-controller": LoadBalancerControllerSettings;
    "external-dns": ExternalDnsSettings;
}

const ADDON_DEFINITIONS: { [K in AddonId]: AddonDefinition<AddonSettings[K]> } = {
    argocd,
    "aws-load-balancer-controller": loadBalancerController,
    "external-dns": externalDns,
};

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
        const settings: AddonSettings = {
            argocd: { ...args.config.argocd, adminPassword: args.argocdAdminPassword },
            "aws-load-balancer-controller": args.config["aws-load-balancer-controller"],
            "external-dns": args.config["external-dns"],
        };
        const install = <K extends AddonId>(id: K): ClusterAddon<AddonSettings[K]> => {
            const crds = args.crds[id];
            if (!crds) throw new pulumi.ResourceError(`${id} is enabled on ${args.color} but the CRD gate has no entry for it: prepareAddonCrds must run on the same config`, this);
            return new ClusterAddon(`${name}-${id}`, { definition: ADDON_DEFINITIONS[id], settings: settings[id], context, crds, clusterReady: args.clusterReady }, { parent: this });
        };
        for (const id of ADDON_IDS) {
            if (args.config[id].enabled) this.addons[id] = install(id) as ClusterAddon<unknown>;
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
