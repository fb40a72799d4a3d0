/**
 * What a command writes to, so tests capture output without spawning processes. Standard output
 * may be a pipe whose reader has gone (`bluegreen plan --json | head`): the rest of the output is
 * dropped quietly, as `git log | head` does, instead of crashing on EPIPE.
 */
import { EventEmitter } from "events";

export interface CommandIO {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
}

interface WritableLike extends EventEmitter {
    write(text: string): unknown;
}

/** A writer for `stream` that stops writing, without an error, once the reader has closed the pipe. */
export function pipeSafeWriter(stream: WritableLike): (text: string) => void {
    let closed = false;
    stream.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "EPIPE" || closed) {
            closed = true;
            return;
        }
        throw err;
    });
    return (text) => {
        if (!closed) stream.write(text);
    };
}

export const processIO: CommandIO = {
    stdout: pipeSafeWriter(process.stdout),
    stderr: (text) => process.stderr.write(text),
};
