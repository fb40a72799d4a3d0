/**
 * What the README and docs/cli.md show is what the commands do: every output shown (```text blocks
 * starting with `$ `) is what the command prints, and every command line in a ```sh block runs and
 * exits 0 (the plan's four forms). One file, so a command both documents show runs once.
 */
import { missingShownLines, runShown, shellWords, shownCommands } from "./docs-examples";

const EXPECTED_EXIT: Record<string, number> = { plan: 0, "crd-diff": 1, "check-apis": 1, preflight: 0 };

describe.each(["docs/cli.md", "README.md"])("%s: shown outputs", (document) => {
    const withOutput = shownCommands(document).filter((c) => c.shown !== undefined);

    test("the document shows outputs to check", () => {
        expect(withOutput.length).toBeGreaterThanOrEqual(4);
    });

    test.each(withOutput.map((c) => [c.command, c.shown!] as const))("$ %s", async (command, shown) => {
        const { code, output } = await runShown(command);
        const invalidConfig = output.includes("The bluegreen configuration has");
        const name = command.startsWith("npm run plan") ? "plan" : command.split(" ")[2];
        expect(code).toBe(invalidConfig ? 2 : EXPECTED_EXIT[name]);
        expect(missingShownLines(shown, output)).toEqual([]);
    });
});

describe("docs/cli.md: commands", () => {
    const bare = shownCommands("docs/cli.md").filter((c) => c.shown === undefined);

    test("shell words: quotes group, and join with what they touch", () => {
        expect(shellWords(`npm run plan -- --stack dev --set 'clusters.green.version="1.34"'`)).toEqual(["npm", "run", "plan", "--", "--stack", "dev", "--set", 'clusters.green.version="1.34"']);
        expect(shellWords(`a --set=x'y z'`)).toEqual(["a", "--set=xy z"]);
    });

    test.each(bare.map((c) => c.command))("%s", async (command) => {
        const { code, stdout } = await runShown(command);
        expect(code).toBe(0);
        if (command.includes("--json")) expect(JSON.parse(stdout)).toHaveProperty("resources");
        else expect(stdout.trim().split("\n").pop()).toMatch(/^\d+ to update, \d+ to create, \d+ to delete, \d+ to replace$|^ {2}\S+: /);
    });
});
