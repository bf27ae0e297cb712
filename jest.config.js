/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  setupFiles: ['reflect-metadata'],
  // The browser test needs Chromium and runs as its own CI step.
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/'],
  testTimeout: 30000,
};
