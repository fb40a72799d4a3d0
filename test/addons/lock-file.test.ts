/**
 * The lock file committed in the repository: valid, covering every add-on's default version, and
 * its digests those of the real upstream CRDs (../shared/crds, read there) for the versions we have.
 */
import * as fs from "fs";
import * as path from "path";
import { crdDocuments, LOCK_FILE, parseLock } from "../../src/addons/lock";
import { ADDON_CATALOG, ADDON_IDS } from "../../src/addons/registry";

const ROOT = path.join(__dirname, "..", "..");
const SHARED = path.join(ROOT, "..", "shared", "crds");
const lock = parseLock(fs.readFileSync(path.join(ROOT, LOCK_FILE), "utf8"), LOCK_FILE);

test.each(ADDON_IDS)("%s's default version is locked, with its chart digest", (id) => {
    const entry = lock.addons[id]?.[ADDON_CATALOG[id].defaultVersion];
    expect(entry).toBeDefined();
    expect(entry!.chartDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(entry!.crds.map((c) => c.name).sort()).toEqual(expect.arrayContaining([...ADDON_CATALOG[id].knownCrds].sort()));
});

test.each([
    ["aws-load-balancer-controller", "1.14.0", "aws-load-balancer-controller/v2.14.0", ["crds.yaml", "gateway-crds.yaml"]],
    ["external-dns", "1.15.0", "external-dns-chart/external-dns-helm-chart-1.15.0", ["dnsendpoint.yaml"]],
] as const)("%s %s: the locked CRD digests are those of the real upstream CRDs", (addon, version, dir, files) => {
    const streams = files.map((file) => ({ origin: file, text: fs.readFileSync(path.join(SHARED, dir, file), "utf8") }));
    const upstream = crdDocuments(streams, `${addon} ${version}`).map((d) => [d.name, d.sha256]);
    expect(lock.addons[addon]![version].crds.map((c) => [c.name, c.sha256])).toEqual(upstream);
});
