/** Every command line docs/cli.md shows in a ```sh block runs and exits 0 (the plan's four forms). */
import { runShown, shellWords, shownCommands } from "./docs-examples";

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
