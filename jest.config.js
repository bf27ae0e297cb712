/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  setupFiles: ['reflect-metadata'],
  // The browser test needs Chromium, the scale-out tests PostgreSQL and Redis: own CI steps.
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/', '/test/scaleout/'],
  testTimeout: 30000,
};
