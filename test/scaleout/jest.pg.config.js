// `npm run test:pg`: the whole suite (the root config's files) with every test server on its own
// PostgreSQL schema, and on Redis pub/sub when TEST_REDIS_URL is set.
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '../..',
  globalSetup: '<rootDir>/test/scaleout/setup-postgres.ts',
};
