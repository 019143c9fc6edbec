import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build.ts'],
    reporters: ['default', './test/setup/summary-reporter.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // TF.js (the independent counts in the differential tests) greets Node users with a banner suggesting
    // tfjs-node; that one message is dropped, every other console line is kept.
    onConsoleLog: (log) => !log.includes('looks like you are running TensorFlow.js in Node.js'),
  },
});
