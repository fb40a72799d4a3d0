/**
 * The `bluegreen` CLI's composition root (as index.ts is the Pulumi program's): the commands in
 * src/cli get the environment's Pulumi program from here, so the core never imports components/.
 */
import { main } from "./src/cli/main";

export function run(argv: string[]): Promise<void> {
    return main(argv, { loadProgram: async () => (await import("./components/environment")).deployEnvironment });
}

if (require.main === module) {
    void run(process.argv);
}
