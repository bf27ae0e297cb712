/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  setupFiles: ['reflect-metadata'],
  // The browser test needs Chromium, the scale-out tests PostgreSQL and Redis, the fault test a
  // compiled server it kills: own CI steps.
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/', '/test/scaleout/', '/test/fault/'],
  testTimeout: 30000,
};
