// `npm run test:scaleout`: several instances over one PostgreSQL schema and one Redis.
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/scaleout'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/scaleout/setup-scaleout.ts',
  testTimeout: 60000,
};
