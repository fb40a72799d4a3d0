/** `bluegreen upgrade check`: registered by upgrade.ts; filled in with the checks between steps. */
import { Command } from "commander";

export function registerUpgradeCheckCommand(_upgrade: Command): void {
    // The checks between steps are added in src/upgrade/check.ts.
}
