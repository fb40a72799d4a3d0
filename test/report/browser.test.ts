/**
 * The report in a real browser: Debian's chromium, headless, opens the page from a file and must
 * draw the charts (SVG marks with geometry), log no console error and fetch nothing. CI installs
 * chromium (.ci/run), so there a missing browser fails the test; elsewhere it is skipped, saying why.
 */
import { existsSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { pathToFileURL } from "url";
import { BrowserContext, chromium } from "playwright-core";
import { buildReport } from "../../src/report/report";
import { syntheticCutover } from "../../src/report/synthetic";
import { FELL_BACK } from "./fixtures";
import { tempDir } from "../helpers/temp-dir";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];
const inCi = process.env.CI === "true";
const available = existsSync(CHROMIUM);

if (!available && !inCi) {
    console.warn(`report browser test skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); CI=true makes this a failure`);
}

interface PageFacts {
    errors: string[];
    requests: string[];
    svgs: number;
    weightLines: { stroke: string | null; length: number }[];
    figureLines: number;
    figureRules: number;
    figureWidth: number;
    rows: number;
}

/** Opens each page in one headless chromium (one launch: it is the slow part). */
async function openInChromium(pages: string[]): Promise<PageFacts[]> {
    const dir = tempDir("report-browser-");
    // A new, empty profile: nothing from an earlier run (or the machine's user) changes what is seen.
    const context = await chromium.launchPersistentContext(join(dir, "profile"), { executablePath: CHROMIUM, headless: true, args: FLAGS });
    try {
        const facts: PageFacts[] = [];
        for (const [i, html] of pages.entries()) {
            const file = join(dir, `report-${i}.html`);
            writeFileSync(file, html);
            facts.push(await factsOf(context, file));
        }
        return facts;
    } finally {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
    }
}

async function factsOf(context: BrowserContext, file: string): Promise<PageFacts> {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:")) return route.continue();
        requests.push(url);
        return route.abort();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    // Runs in the page (as a string: this project's type-check has no DOM library).
    const facts = (await page.evaluate(`(() => {
        const lines = (sel) => [...document.querySelectorAll(sel + " g.mark-line path")];
        const figures = document.querySelector("#figures svg");
        return {
            svgs: document.querySelectorAll("svg.marks").length,
            weightLines: lines("#weights").map((p) => ({ stroke: p.getAttribute("stroke"), length: p.getTotalLength() })),
            figureLines: lines("#figures").filter((p) => p.getTotalLength() > 0).length,
            figureRules: document.querySelectorAll("#figures g.mark-rule line").length,
            figureWidth: figures ? figures.getBoundingClientRect().width : 0,
            rows: document.querySelectorAll("table.decisions tbody tr").length,
        };
    })()`)) as Omit<PageFacts, "errors" | "requests">;
    await page.close();
    return { ...facts, errors, requests };
}

const run = available ? describe : describe.skip;

if (!available && inCi) {
    describe("the report in chromium", () => {
        it("needs chromium in CI", () => {
            throw new Error(`CI=true but there is no chromium at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium)`);
        });
    });
}

run("the report in chromium (headless)", () => {
    let facts: PageFacts;
    beforeAll(async () => {
        const synthetic = syntheticCutover({ apps: 3, steps: [10, 50, 100], bakeMs: 5 * 60_000, intervalMs: 30_000, pauseBeforeStep: 1, failAtStep: 2 });
        const { html } = await buildReport(synthetic, "synthetic.ndjson");
        // The hand-written stream too: unknown gates and environment-wide gates must not break the page.
        const other = (await buildReport(FELL_BACK, "fell-back.ndjson")).html;
        const [first, small] = await openInChromium([html, other]);
        facts = first;
        facts.errors.push(...small.errors);
        facts.requests.push(...small.requests);
    });

    it("draws the charts: both colors' weights and every app's figures as lines with length", () => {
        expect(facts.svgs).toBe(2);
        expect(facts.weightLines.map((l) => l.stroke).sort()).toEqual(["#1f6feb", "#2da44e"]);
        for (const line of facts.weightLines) expect(line.length).toBeGreaterThan(100);
        // 3 apps × 3 gates × 2 colors, each a measured line and a threshold line
        expect(facts.figureLines).toBeGreaterThanOrEqual(3 * 3 * 2 * 2);
        expect(facts.figureRules).toBeGreaterThan(0);
        expect(facts.figureWidth).toBeGreaterThan(900);
        expect(facts.rows).toBeGreaterThan(5);
    });

    it("logs no console error and fetches nothing", () => {
        expect(facts.errors).toEqual([]);
        expect(facts.requests).toEqual([]);
    });
});
