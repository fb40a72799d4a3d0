/** Unit tests: transpile-only (type-checking is `npm run typecheck`, its own step). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/test/e2e/"],
  transform: {
    // @kubernetes/client-node 1.x and its OIDC dependencies ship only ES modules; jest loads CommonJS.
    "^.+\\.[tj]s$": ["ts-jest", { tsconfig: { isolatedModules: true, allowJs: true, module: "commonjs", esModuleInterop: true } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)"],
  testTimeout: 60000,
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
};
