/** Every output docs/cli.md and the README show (```text blocks starting with `$ `) is what the command prints. */
import { missingShownLines, runShown, shownCommands } from "./docs-examples";

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
