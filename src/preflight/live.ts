/**
 * `preflight --live`: what only the running environment can tell before a cutover. The live weights
 * against the stack config, the candidate's target health, who holds the cutover lease, whether the
 * stack file is committed, the weighted rules' stickiness against the bake, the region and profile in
 * use, and whether anyone tried the candidate on the verification listener. Every reader is injected
 * (`LiveReaders`), so tests give fakes or SDK mocks; a reader that fails is that item's error, and
 * the other items still run.
 */
import { Color, COLORS, formatWeights, Weights } from "../config/colors";
import { formatDuration } from "../config/values";
import { uniformWeights } from "../cutover/run";
import type { LiveReaders, PreflightContext, PreflightItem } from "./model";
import { planTarget } from "./cutover-plan";

const HOUR_MS = 3_600_000;
const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];
const item = (id: string, title: string, status: PreflightItem["status"], detail: string): PreflightItem => ({ id, title, status, detail });

/** One live item; a reader that throws makes it a failure saying what could not be read. */
async function guarded(id: string, title: string, check: () => Promise<PreflightItem>): Promise<PreflightItem> {
    try {
        return await check();
    } catch (err) {
        return item(id, title, "fail", `could not be checked: ${firstLine(err)}`);
    }
}

/** The weights the load balancer applies per app (alb) or the weighted records (dns), against the stack config. */
export async function liveWeightsItem(context: PreflightContext, live: LiveReaders): Promise<PreflightItem> {
    const title = "Live weights";
    return guarded("live.weights", title, async () => {
        const config = context.config.routing!.weights;
        const perApp = await live.routing.read(live.view);
        const apps = Object.keys(perApp).sort();
        const where = live.view.mode === "dns" ? "Route 53" : "the load balancer";
        if (apps.length === 0) return item("live.weights", title, "warn", `${where} shows no routed app (the stack outputs list none): run pulumi up`);
        const drift = apps.filter((a) => COLORS.some((c) => perApp[a][c] !== config[c]));
        if (drift.length === 0) return item("live.weights", title, "pass", `${where} applies ${formatWeights(config)} to ${apps.join(", ")}, as the stack config says`);
        const seen = drift.map((a) => `${a} ${formatWeights(perApp[a])}`).join("; ");
        return item(
            "live.weights",
            title,
            "fail",
            `drift: ${where} applies ${seen} but the stack config says ${formatWeights(config)}: find out who changed it (\`bluegreen status\`), then \`bluegreen rollback\` or set bluegreen:routing.weights to what is live before a cutover`,
        );
    });
}

/** The candidate's registered targets per app: every one healthy, at least minHealthyTargets. */
export async function targetHealthItem(context: PreflightContext, live: LiveReaders, target: Color, minHealthy: number): Promise<PreflightItem> {
    const title = `Target health of ${target}`;
    const id = "live.targets";
    return guarded(id, title, async () => {
        if (live.view.mode === "dns") return item(id, title, "warn", `dns mode: ${target}'s load balancer is outside the stack, its target health is not read`);
        const apps = Object.keys(live.view.apps).sort();
        if (apps.length === 0) return item(id, title, "warn", "no routed app in the stack outputs: run pulumi up");
        const short: string[] = [];
        const notReady: string[] = [];
        const fine: string[] = [];
        for (const app of apps) {
            const targets = await live.targets.targets(app, target);
            const healthy = targets.filter((t) => t.state === "healthy").length;
            const others = new Map<string, number>();
            for (const t of targets) if (t.state !== "healthy") others.set(t.state, (others.get(t.state) ?? 0) + 1);
            const rest = [...others].map(([state, n]) => `${n} ${state}`).join(", ");
            const line = `${app} ${healthy} healthy${rest ? `, ${rest}` : ""}`;
            if (healthy < minHealthy) short.push(line);
            else if (rest) notReady.push(line);
            else fine.push(line);
        }
        const need = `at least ${minHealthy} healthy per app (minHealthyTargets)`;
        if (short.length) return item(id, title, "fail", `${short.join("; ")}: ${need}; the cutover's pre-check would refuse. Scale ${target} up or fix its readiness first`);
        if (notReady.length) return item(id, title, "warn", `${notReady.join("; ")}: initial, draining and unhealthy targets are not healthy; wait until they settle`);
        return item(id, title, "pass", `${fine.join("; ")} (${need})`);
    });
}

/** Who holds the cutover lease in the environment's table, since when, and whether it expired. */
export async function leaseItem(live: LiveReaders): Promise<PreflightItem> {
    const title = "Cutover lease";
    const id = "live.lease";
    return guarded(id, title, async () => {
        if (!live.lease) return item(id, title, "warn", "the stack has no cutover table yet (output cutoverState.tableName): run pulumi up once, or the cutover keeps no lease or record");
        const holder = await live.lease();
        if (!holder) return item(id, title, "pass", "free: nobody is running a cutover or rollback on this environment");
        const who = `${holder.owner}@${holder.host} holds it since ${holder.startedAt} (${holder.command} ${holder.runId})`;
        if (Date.parse(holder.expiresAt) <= live.now().getTime()) {
            return item(id, title, "warn", `stale: ${who}; it expired at ${holder.expiresAt}. If that run is dead, the cutover takes it over with --break-lease`);
        }
        return item(id, title, "fail", `${who}, renewed until ${holder.expiresAt}: a cutover now stops with exit 3; wait for it to finish, or ask them`);
    });
}

/** Whether stacks/Pulumi.<stack>.yaml is committed: the cutover writes its weights there, teammates run from git. */
export async function stackFileItem(context: PreflightContext, live: LiveReaders): Promise<PreflightItem> {
    const title = "Stack file in git";
    const id = "live.stack-file";
    const file = `stacks/Pulumi.${context.stack}.yaml`;
    return guarded(id, title, async () => {
        const inside = await live.git(["rev-parse", "--is-inside-work-tree"], context.projectDir);
        if (inside.code !== 0 || inside.stdout.trim() !== "true") return item(id, title, "warn", `${context.projectDir} is not a git repository: the stack file's changes (and the weights the cutover writes) are nowhere shared with your team`);
        const status = await live.git(["status", "--porcelain", "--", file], context.projectDir);
        if (status.code !== 0) throw new Error(`git status: ${status.stderr.trim() || `exit ${status.code}`}`);
        const inHead = (await live.git(["cat-file", "-e", `HEAD:./${file}`], context.projectDir)).code === 0;
        const changes = status.stdout.trim();
        if (!inHead) return item(id, title, "warn", `${file} is not in HEAD${changes.startsWith("??") ? " (untracked)" : ""}: commit it before the cutover, so the weights it writes can be reviewed and shared`);
        if (changes) return item(id, title, "warn", `${file} has uncommitted changes (${changes.split(/\s+/)[0]}): commit or stash them first; the cutover writes its weights into this file, mixed with your edits`);
        return item(id, title, "pass", `${file} is committed and unchanged`);
    });
}

/** Stickiness of the weighted rules against the bake: a user kept on a color longer than a bake is not a new session. */
export async function stickinessItem(context: PreflightContext, live: LiveReaders, bakeMs: number): Promise<PreflightItem> {
    const title = "Stickiness against the bake";
    const id = "live.stickiness";
    return guarded(id, title, async () => {
        if (live.view.mode === "dns") return item(id, title, "pass", "dns mode: no weighted listener rules (resolvers cache for the records' TTL instead)");
        const apps = await live.stickiness();
        if (apps.length === 0) return item(id, title, "warn", "no weighted listener rule found for the routed apps: run `bluegreen status` and pulumi up");
        const longer: string[] = [];
        const notes: string[] = [];
        for (const a of apps) {
            const s = a.forward;
            if (s?.enabled && s.durationSeconds !== undefined && s.durationSeconds * 1000 > bakeMs) longer.push(`${a.app} ${formatDuration(s.durationSeconds * 1000)}`);
            else notes.push(`${a.app} ${s?.enabled ? `sticky ${formatDuration((s.durationSeconds ?? 0) * 1000)}` : "not sticky"}`);
            const groups = COLORS.filter((c) => a.targetGroups[c]?.enabled).map((c) => `${c} ${a.targetGroups[c]!.type ?? "sticky"} ${formatDuration((a.targetGroups[c]!.durationSeconds ?? 0) * 1000)}`);
            if (groups.length) notes.push(`${a.app} target groups: ${groups.join(", ")} (keeps a session on one target, not on one color)`);
        }
        const bake = formatDuration(bakeMs);
        if (longer.length) {
            return item(
                id,
                title,
                "warn",
                `the weighted rules keep a user on one color for ${longer.join("; ")}, longer than the ${bake} bake: each step's bake sees mostly sessions that started before it, so new users reach the candidate slower than the weights say. Lower routing.stickiness.durationSeconds to at most ${bakeMs / 1000} or bake longer`,
            );
        }
        return item(id, title, "pass", `${notes.join("; ")}: no session outlasts the ${bake} bake`);
    });
}

/** The region and profile the stack's AWS calls use, against the shell's. */
export async function awsTargetItem(context: PreflightContext, live: LiveReaders): Promise<PreflightItem> {
    const title = "AWS region and profile";
    const id = "live.aws";
    return guarded(id, title, async () => {
        const { region, profile } = context.aws;
        const used = `region ${region}, ${profile ? `profile ${profile} (aws:profile)` : "the default credential chain (no aws:profile)"}`;
        await live.credentials().catch((err) => {
            throw new Error(`no AWS credentials for ${profile ? `profile ${profile}` : "the default chain"} (${firstLine(err)}): ${profile ? `aws sso login --profile ${profile}` : "set AWS_PROFILE or run aws configure"}, then run this again`);
        });
        const differs: string[] = [];
        if (live.shell.region && live.shell.region !== region) differs.push(`AWS_REGION is ${live.shell.region}`);
        if (live.shell.profile && live.shell.profile !== profile) differs.push(`AWS_PROFILE is ${live.shell.profile}`);
        if (differs.length) {
            return item(id, title, "warn", `bluegreen uses the stack's ${used}, but your shell's ${differs.join(" and ")}: \`aws\` and \`kubectl\` commands you type yourself read another ${differs.length > 1 ? "account or region" : differs[0].startsWith("AWS_REGION") ? "region" : "account"}; export the stack's values first`);
        }
        return item(id, title, "pass", `${used}, from the stack; credentials found`);
    });
}

/** Whether the candidate served anything in the last hour: someone tried it on the verification listener. */
export async function verificationItem(context: PreflightContext, live: LiveReaders, target: Color): Promise<PreflightItem> {
    const title = `${target} tried on the verification listener`;
    const id = "live.verification";
    return guarded(id, title, async () => {
        const routing = context.config.routing!;
        if (live.view.mode === "dns") return item(id, title, "warn", `dns mode has no verification listener: check ${target} through its own load balancer before users reach it`);
        if (!routing.verification.enabled) return item(id, title, "warn", `the verification listener is off (routing.verification.enabled): nobody can try ${target} before users reach it`);
        const apps = Object.keys(live.view.apps).sort();
        const end = live.now();
        const start = new Date(end.getTime() - HOUR_MS);
        const counts = await Promise.all(apps.map(async (app) => [app, await live.requests(app, target, start, end)] as const));
        const total = counts.reduce((sum, [, n]) => sum + n, 0);
        const port = routing.verification.port;
        const urls = apps.map((a) => live.view.apps[a].verificationUrl).filter(Boolean);
        if (total === 0) {
            return item(id, title, "warn", `nobody checked ${target} on the verification port ${port} in the last hour (0 requests to its target groups): open ${urls.length ? urls.join(", ") : `port ${port}`} from an allowed network and try it before moving users`);
        }
        const weight = context.config.routing!.weights[target];
        const note = weight > 0 ? ` (${target} already carries ${weight}% of users: this count includes theirs)` : "";
        return item(id, title, "pass", `${counts.map(([a, n]) => `${a} ${n}`).join(", ")} request(s) to ${target} in the last hour${note}`);
    });
}

/** Every live item, each on its own: one that cannot be read does not stop the others. */
export async function liveItems(context: PreflightContext, live: LiveReaders): Promise<PreflightItem[]> {
    const settings = context.cutover;
    const target = settings ? planTarget(context.config, settings) : undefined;
    const bakeMs = settings?.engine.bakeMs;
    const items: Array<Promise<PreflightItem>> = [awsTargetItem(context, live)];
    if (context.config.routing) {
        items.push(liveWeightsItem(context, live));
        if (target) items.push(targetHealthItem(context, live, target, settings!.gates.values.minHealthyTargets));
    }
    items.push(leaseItem(live), stackFileItem(context, live));
    if (context.config.routing && bakeMs !== undefined) items.push(stickinessItem(context, live, bakeMs));
    if (context.config.routing && target) items.push(verificationItem(context, live, target));
    return Promise.all(items);
}

/** The weights the cutover would start from: one pair every app is at, else undefined. */
export async function liveStart(live: LiveReaders): Promise<Weights | undefined> {
    try {
        return uniformWeights(await live.routing.read(live.view));
    } catch {
        return undefined;
    }
}
