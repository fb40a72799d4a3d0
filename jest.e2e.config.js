/** End-to-end tests against a real AWS account: opt-in, see README. */
module.exports = {
  ...require("./jest.config.js"),
  testPathIgnorePatterns: ["/node_modules/"],
  testMatch: ["**/test/e2e/**/*.test.ts"],
  testTimeout: 4 * 60 * 60 * 1000,
};
