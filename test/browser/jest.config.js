/** @type {import('jest').Config} */
// Drives the GraphQL IDE in Debian's Chromium: `npm run test:browser` (kept out of `npm test`).
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};
