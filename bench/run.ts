/**
 * `npm run bench`: every figure the issues set, each measured against a baseline in the same run
 * and printed as a ratio (absolute times depend on the machine; ratios much less). Pass suite
 * names to run some of them: `npm run bench -- plan`.
 */
import { benchCrdDiff } from "./crd-diff";
import { benchPlan } from "./plan";
import { benchReport } from "./report";
import { benchRehearse } from "./rehearse";

const SUITES: Record<string, () => Promise<void>> = {
    "crd-diff": benchCrdDiff,
    plan: benchPlan,
    report: benchReport,
    rehearse: benchRehearse,
};

async function main(): Promise<void> {
    const wanted = process.argv.slice(2);
    const unknown = wanted.filter((name) => !(name in SUITES));
    if (unknown.length) {
        console.error(`bench: unknown suite(s) ${unknown.join(", ")} (known: ${Object.keys(SUITES).join(", ")})`);
        process.exitCode = 2;
        return;
    }
    for (const name of wanted.length ? wanted : Object.keys(SUITES)) {
        console.log(`\n== ${name} ==`);
        await SUITES[name]();
    }
}

main().catch((err) => {
    console.error(`bench: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
});
