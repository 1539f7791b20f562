#!/usr/bin/env node
// Runs Electronegativity (Electron security checks) over the Electron shell and preload, failing on any finding
// that electronegativity.json does not justify for that folder. Its own CLI breaks against the hoisted commander, so we use its API.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { accepted, electronVersion } = JSON.parse(fs.readFileSync(path.join(root, 'electronegativity.json'), 'utf8'));

let failures = 0;
for (const input of Object.keys(accepted)) {
  const result = await run({ input: path.join(root, input), electronVersionOverride: electronVersion, isRelative: true });
  for (const error of result.errors.filter((e) => !e.tolerable)) {
    failures++;
    console.log(`✗ ${path.relative(root, error.file)}: could not be parsed: ${error.message}`);
  }
  for (const issue of result.issues) {
    const file = path.relative(root, issue.file ?? input);
    const reason = accepted[input][issue.id];
    if (reason) {
      console.log(`· ${issue.id} in ${file}: accepted — ${reason}`);
      continue;
    }
    failures++;
    console.log(`✗ ${issue.id} (${issue.severity?.name ?? issue.severity}) in ${file}:${issue.location?.line ?? '?'}: ${issue.description}`);
  }
}
console.log(failures === 0 ? 'electronegativity: no unaccepted findings' : `electronegativity: ${failures} finding(s)`);
process.exit(failures === 0 ? 0 : 1);
