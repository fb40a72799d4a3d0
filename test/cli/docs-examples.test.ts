/** Every output docs/cli.md shows (```text blocks starting with `$ `) is what the command prints. */
import { missingShownLines, runShown, shownCommands } from "./docs-examples";

const EXPECTED_EXIT: Record<string, number> = { plan: 0, "crd-diff": 1, "check-apis": 1 };

describe("docs/cli.md: shown outputs", () => {
    const withOutput = shownCommands("docs/cli.md").filter((c) => c.shown !== undefined);

    test("the document shows outputs to check", () => {
        expect(withOutput.length).toBeGreaterThanOrEqual(5);
    });

    test.each(withOutput.map((c) => [c.command, c.shown!] as const))("$ %s", async (command, shown) => {
        const { code, output } = await runShown(command);
        const invalidConfig = output.includes("The bluegreen configuration has");
        const name = command.startsWith("npm run plan") ? "plan" : command.split(" ")[2];
        expect(code).toBe(invalidConfig ? 2 : EXPECTED_EXIT[name]);
        expect(missingShownLines(shown, output)).toEqual([]);
    });
});
