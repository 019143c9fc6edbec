// The scripts beside the CLI bundle that hold third-party code only some commands and formats run, by file and
// the packages each holds: scripts/build-cli.mjs builds them, scripts/action-try.mjs ships them at a release.
export const VENDOR_CHUNKS = {
  'vendor-card.cjs': ['sanitize-html', 'marked', 'yaml', '@dagrejs/dagre'],
  'vendor-zip.cjs': ['@zip.js/zip.js'],
  'vendor-scan.cjs': ['picomatch', 'cli-progress'],
};
