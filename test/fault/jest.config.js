/** @type {import('jest').Config} */
// Kills and restarts a compiled server as a child process: `npm run test:fault` (kept out of
// `npm test`: it compiles the project and takes about a minute).
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/fault'],
  testMatch: ['**/fault-*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  setupFiles: ['reflect-metadata'],
  testTimeout: 180000,
};
