/** Jest in ESM mode (run through `npm test`, which sets --experimental-vm-modules). */
export default {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^#porch/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: '<rootDir>/tsconfig.json',
        diagnostics: { ignoreCodes: [151002] },
        astTransformers: { before: ['<rootDir>/test/swagger-plugin.cjs'] },
      },
    ],
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  maxWorkers: 2,
  // ESM test files each load the app's modules anew (vm modules), and a worker's heap grows with
  // every file it runs: one worker running ~60 e2e files in a row ran out of memory. A worker
  // above this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: '1536MB',
  testTimeout: 60000,
  watchPathIgnorePatterns: ['<rootDir>/.data', '<rootDir>/.adminjs', '<rootDir>/dist'],
  modulePathIgnorePatterns: ['<rootDir>/dist'],
};
