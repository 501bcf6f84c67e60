import base from './jest.config.js';

/** Browser tests (`npm run test:browser`): playwright-core driving the system's Chromium. */
export default {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120000,
};
