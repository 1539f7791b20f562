// `npm run bench`: runs the benchmark modules listed below (or those named on the command line) and prints one
// JSON document keyed by module name. Speed lives here, never in test assertions.
import os from 'node:os';
import type { BenchModule } from './bench-module';
import { captionsBench } from './captions';
import { compactionBench } from './compaction';
import { round } from './measure';
import { allStagesBench } from './all-stages';
import { backendsBench } from './backends';
import { deepBench } from './deep';
import { facesBench } from './faces';
import { ingestBench } from './ingest';
import { modelsBench } from './models';
import { searchBench } from './search';
import { uploadsBench } from './uploads';
import { wordsBench } from './words';

/** Add a module here to have it run by `npm run bench`. */
const MODULES: BenchModule[] = [ingestBench, searchBench, compactionBench, modelsBench, uploadsBench, backendsBench, captionsBench, deepBench, wordsBench, facesBench, allStagesBench];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !MODULES.some((module) => module.name === name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${MODULES.map((module) => module.name).join(', ')}`);
  process.exit(2);
}
const report: Record<string, unknown> = {
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, platform: process.platform },
  startedAt: new Date().toISOString(),
};
for (const module of MODULES.filter((m) => wanted.length === 0 || wanted.includes(m.name))) {
  const started = performance.now();
  try {
    report[module.name] = { ...(await module.run()), totalSeconds: round((performance.now() - started) / 1000, 1) };
  } catch (error) {
    report[module.name] = { error: error instanceof Error ? error.message : String(error) };
  }
  console.error(`bench: ${module.name} done in ${round((performance.now() - started) / 1000, 1)} s`);
}
console.log(JSON.stringify(report, null, 2));

