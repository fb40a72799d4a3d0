/**
 * The one base class of "the input is wrong" errors: a config problem, a bad flag, a file that is
 * not what it should be. The CLI maps every `UserInputError` to exit code 2 in one place and shows
 * only its message (no stack trace); anything else is a failure of ours or of the world.
 */
export class UserInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = new.target.name;
    }
}
