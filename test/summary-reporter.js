/** Prints one plain closing line, `jest: N passed, N failed, N skipped`, as the very last line of the run. */
class SummaryReporter {
    onRunComplete(_contexts, results) {
        const skipped = results.numPendingTests + results.numTodoTests;
        const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
        // After jest's own summary, which other reporters print in their onRunComplete.
        process.once("exit", () => process.stdout.write(line));
    }
}
module.exports = SummaryReporter;
