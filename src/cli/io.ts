/** What a command writes to, so tests capture output without spawning processes. */
export interface CommandIO {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
}

export const processIO: CommandIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};
