// kerascope's version, for reports and `--version`. test/unit/architecture.test.ts checks it equals package.json's.
export const VERSION = '0.1.0';
