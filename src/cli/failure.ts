/**
 * What a command does with an error it did not handle itself, decided once for every command:
 * the message without a stack trace, and exit code 2 (bad input: a `UserInputError`; or an
 * operation that failed). A failure that is neither the user's input nor the world's (a bug of
 * ours) still says so, with the trace, so it can be reported.
 */
import { UserInputError } from "../errors";
import { CommandIO } from "./io";

export const BAD_INPUT_OR_FAILED = 2;

export function reportFailure(err: unknown, io: CommandIO, command: string): number {
    if (err instanceof UserInputError) {
        io.stderr(`bluegreen ${command}: ${err.message}\n`);
        return BAD_INPUT_OR_FAILED;
    }
    const error = err instanceof Error ? err : new Error(String(err));
    io.stderr(`bluegreen ${command}: ${error.message}\n`);
    if (process.env.BLUEGREEN_DEBUG) io.stderr(`${error.stack ?? ""}\n`);
    return BAD_INPUT_OR_FAILED;
}
