/**
 * EKS managed add-on versions for a Kubernetes version, from the EKS API (DescribeAddonVersions):
 * the default EKS installs there and every compatible version, newest first. The client is injected
 * so tests give a mocked one and the CLI one built for the stack's region.
 */
import { DescribeAddonVersionsCommand, EKSClient } from "@aws-sdk/client-eks";
import type { EksManagedAddon, ManagedAddonVersions } from "./plan";

export async function describeManagedAddonVersions(client: EKSClient, addon: EksManagedAddon, kubernetesVersion: string): Promise<ManagedAddonVersions> {
    const compatible: string[] = [];
    let defaultVersion: string | undefined;
    let nextToken: string | undefined;
    do {
        const page = await client.send(new DescribeAddonVersionsCommand({ addonName: addon, kubernetesVersion, nextToken }));
        for (const info of page.addons ?? []) {
            if (info.addonName !== undefined && info.addonName !== addon) continue;
            for (const version of info.addonVersions ?? []) {
                const fits = (version.compatibilities ?? []).filter((c) => c.clusterVersion === kubernetesVersion);
                if (!version.addonVersion || fits.length === 0) continue;
                compatible.push(version.addonVersion);
                if (fits.some((c) => c.defaultVersion)) defaultVersion = version.addonVersion;
            }
        }
        nextToken = page.nextToken;
    } while (nextToken);
    compatible.sort(compareAddonVersions).reverse();
    return { defaultVersion, compatible };
}

/** "v1.19.2-eksbuild.1" ordering: numbers of the version, then the eksbuild number. */
export function compareAddonVersions(a: string, b: string): number {
    const parts = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? -1) - (y[i] ?? -1);
        if (d !== 0) return d;
    }
    return 0;
}

export function eksAddonVersionResolver(client: EKSClient): (addon: EksManagedAddon, version: string) => Promise<ManagedAddonVersions> {
    const cache = new Map<string, Promise<ManagedAddonVersions>>();
    return (addon, version) => {
        const key = `${addon}@${version}`;
        if (!cache.has(key)) cache.set(key, describeManagedAddonVersions(client, addon, version));
        return cache.get(key)!;
    };
}
