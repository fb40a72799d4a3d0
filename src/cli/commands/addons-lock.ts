/**
 * `bluegreen addons lock`: writes addons.lock.json, the chart digest and the SHA-256 of each CRD
 * document of every add-on version the project uses (each add-on's default and every version a
 * stack file under stacks/ pins). Entries already locked are kept without any download unless
 * `--update` names them (or is given alone: everything); entries no version uses any more are
 * dropped. Exit 0 when written, 2 on an invalid stack file or a download that fails.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { ADDON_CATALOG, ADDON_IDS, AddonId } from "../../addons/registry";
import { addonVersion } from "../../addons/crd-gate";
import { AddonLockError, AddonsLock, emptyLock, formatLock, LOCK_FILE, readLockFile } from "../../addons/lock";
import { AddonDownloader, lockAddonVersion } from "../../addons/locked-crds";
import { parseAddonSpec } from "../../addons/crd-source";
import { parseEnvironmentConfig } from "../../config";
import { readStackFile } from "../../config/stack-file";
import { COLORS } from "../../config/colors";
import { CrdSourceOptions } from "../../crd/sources/types";
import { reportFailure } from "../failure";
import { CommandIO, processIO } from "../io";

export interface AddonsLockOptions {
    cwd: string;
    /** true: re-lock every entry; a list: re-lock these `<addon>@<version>`; absent: keep what is locked. */
    update?: boolean | string[];
    timeout?: number;
    cache: boolean;
}

/** Each add-on's default version and every version a stack file pins, as `addon@version` keys. */
export function versionsInUse(projectDir: string): Map<string, { addon: AddonId; version: string; usedBy: string[] }> {
    const used = new Map<string, { addon: AddonId; version: string; usedBy: string[] }>();
    const use = (addon: AddonId, version: string, by: string) => {
        const key = `${addon}@${version}`;
        if (!used.has(key)) used.set(key, { addon, version, usedBy: [] });
        used.get(key)!.usedBy.push(by);
    };
    for (const addon of ADDON_IDS) use(addon, ADDON_CATALOG[addon].defaultVersion, "default");
    const dir = path.join(projectDir, "stacks");
    const stacks = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).sort() : [];
    for (const file of stacks) {
        const stackFile = readStackFile(projectDir, path.join(dir, file));
        const parsed = parseEnvironmentConfig(stackFile.values);
        if (!parsed.ok) {
            throw new AddonLockError(`${stackFile.file} is not a valid config (${parsed.problems.map((p) => `${p.path ? `${p.path} ` : ""}${p.message}`).join("; ")}): fix it first, the lock records the add-on versions it uses`);
        }
        for (const color of COLORS) {
            for (const addon of ADDON_IDS) {
                const version = addonVersion(parsed.config, color, addon);
                if (version) use(addon, version, `${path.relative(projectDir, stackFile.file)} clusters.${color}`);
            }
        }
    }
    return used;
}

function wantsUpdate(update: AddonsLockOptions["update"], key: string): boolean {
    if (update === true) return true;
    return Array.isArray(update) && update.includes(key);
}

export async function runAddonsLock(options: AddonsLockOptions, io: CommandIO, download?: AddonDownloader): Promise<number> {
    try {
        const projectDir = path.resolve(options.cwd);
        const previous = readLockFile(projectDir) ?? emptyLock();
        const used = versionsInUse(projectDir);
        if (Array.isArray(options.update)) {
            for (const spec of options.update) {
                const { addon, version } = parseAddonSpec(spec);
                if (!used.has(`${addon}@${version}`)) throw new AddonLockError(`--update ${spec}: no stack uses ${addon} ${version} and it is not the default, so it would not be locked`);
            }
        }
        const sourceOptions: CrdSourceOptions = { timeoutMs: options.timeout, cacheDir: options.cache ? undefined : null };
        const next: AddonsLock = emptyLock();
        for (const [key, { addon, version }] of [...used.entries()].sort(([a], [b]) => a.localeCompare(b))) {
            const kept = previous.addons[addon]?.[version];
            const entry = kept && !wantsUpdate(options.update, key) ? kept : await lockAddonVersion(addon, version, { ...sourceOptions, download });
            (next.addons[addon] ??= {})[version] = entry;
            const digest = entry.chartDigest ? `, chart sha256:${entry.chartDigest.slice(0, 12)}` : "";
            io.stdout(`${entry === kept ? "kept  " : "locked"} ${addon} ${version}: ${entry.crds.length} CRD${entry.crds.length === 1 ? "" : "s"}${digest}\n`);
        }
        for (const addon of ADDON_IDS) {
            for (const version of Object.keys(previous.addons[addon] ?? {})) {
                if (!next.addons[addon]?.[version]) io.stdout(`dropped ${addon} ${version}: no stack uses it\n`);
            }
        }
        fs.writeFileSync(path.join(projectDir, LOCK_FILE), formatLock(next));
        io.stdout(`wrote ${path.join(projectDir, LOCK_FILE)}: review and commit it\n`);
        return 0;
    } catch (err) {
        return reportFailure(err, io, "addons lock");
    }
}

export function registerAddonsCommand(program: Command): void {
    const addons = program.command("addons").description("the add-ons' pinned inputs");
    addons
        .command("lock")
        .description(`write ${LOCK_FILE}: chart digest and CRD SHA-256s of every add-on version in use (exit 2 on an invalid stack or a failed download)`)
        .option("--update [addon@version...]", "download and lock again (all entries, or the ones named)")
        .option("--timeout <ms>", "download timeout per request, in milliseconds", (v) => Number(v))
        .option("--no-cache", "do not use the download cache")
        .option("--cwd <dir>", "project directory", process.cwd())
        .action(async (opts: AddonsLockOptions) => {
            process.exitCode = await runAddonsLock(opts, processIO);
        });
}
