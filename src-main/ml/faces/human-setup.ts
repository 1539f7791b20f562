// Opens @vladmandic/human for still photos on the WASM backend, offline: its own face models from the npm package,
// served through a wrapped fetch (Node's fetch cannot read file:// URLs), with video-oriented caching switched off.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WeightDecoder, WeightSpec } from './fused-graph';

/** What Glimpse uses of a Human face result (3.3.6): the box in input pixels, its detector score and the descriptor. */
export interface HumanFace {
  box: [number, number, number, number];
  boxScore: number;
  embedding?: number[];
  age?: number;
  gender?: string;
  genderScore?: number;
  /** The face crop Human takes for descriptors ([h, w, 3], 0–1), returned because `detector.return` is on. */
  tensor?: HumanTensor | null;
}

export interface HumanTensor {
  dispose(): void;
}

export interface HumanInstance {
  version: string;
  load(): Promise<void>;
  detect(input: HumanTensor, config?: object): Promise<{ face: HumanFace[]; error?: string | null }>;
  tf: {
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): HumanTensor;
    getBackend(): string;
    /** Zeros around a picture: [before, after] per axis (rows, columns, channels). */
    pad(image: HumanTensor, paddings: [number, number][]): HumanTensor;
    /** faceres' input from a face crop, as Human's own faceres.enhance makes it: bilinear to size, 0–255. */
    tidy<T>(fn: () => T): T;
    image: { resizeBilinear(image: HumanTensor, size: [number, number], alignCorners: boolean): HumanTensor };
    mul(a: HumanTensor, b: number): HumanTensor & { dataSync(): Float32Array };
    io: { decodeWeights(data: ArrayBuffer, specs: WeightSpec[]): Record<string, { dataSync(): Float32Array | Int32Array; dispose(): void }> };
  };
}

/** Measured on the real fixture photos (NOTES.md): at 0.5 every face is found with no false boxes; 0.2 adds false ones. */
export const MIN_FACE_CONFIDENCE = 0.5;

/** The package's `exports` map has no "./" keys, so its files are found by folder, the way Node would look for it. */
function packageFolder(name: string): string {
  const require = createRequire(import.meta.url);
  const folder = (require.resolve.paths(name) ?? []).map((dir) => path.join(dir, name)).find((dir) => fs.existsSync(path.join(dir, 'package.json')));
  if (!folder) throw new Error(`${name} is not installed: run npm install`);
  return folder;
}

let fetchWrapped = false;

/** Lets Human's loader read its model files from disk; every other URL goes to the real fetch. */
function allowFileUrlsInFetch(): void {
  if (fetchWrapped) return;
  fetchWrapped = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file://')) return realFetch(input, init);
    const bytes = await fs.promises.readFile(fileURLToPath(url));
    const type = url.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    return new Response(bytes, { headers: { 'content-type': type } });
  }) as typeof fetch;
}

/**
 * The stills configuration: many faces, no frame caching or skipping, nothing but faces. Descriptors are computed
 * outside Human (faceres-onnx.ts) from the face crops it returns, so its own faceres stays unloaded.
 */
export function stillsConfig(modelFolder: string, wasmFolder: string): object {
  const noCache = { skipFrames: 0, skipTime: 0 };
  return {
    backend: 'wasm',
    wasmPath: wasmFolder.endsWith('/') ? wasmFolder : `${wasmFolder}/`,
    modelBasePath: `file://${modelFolder}/`,
    debug: false,
    async: true,
    cacheSensitivity: 0,
    face: {
      enabled: true,
      detector: { enabled: true, maxDetected: 200, minConfidence: MIN_FACE_CONFIDENCE, rotation: false, return: true, ...noCache },
      mesh: { enabled: true },
      iris: { enabled: false },
      description: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    filter: { enabled: false },
  };
}

/** The folder of the face models that ship inside Human's npm package. */
export function humanModelsFolder(): string {
  return path.join(packageFolder('@vladmandic/human'), 'models');
}

/** Human's version and descriptor model: what face vectors depend on, so a change re-detects every photo. */
export function humanModelVersion(): string {
  const folder = packageFolder('@vladmandic/human');
  const { version } = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string };
  return `human-${version}/blazeface+faceres`;
}

/** Weights decoded by tfjs itself, so dequantisation (float16 in Human's models) is exactly what loading does. */
export function tfjsWeightDecoder(tf: Pick<HumanInstance['tf'], 'io'>): WeightDecoder {
  return (data, specs) => {
    const tensors = tf.io.decodeWeights(data, specs);
    const values = new Map(Object.entries(tensors).map(([name, tensor]) => [name, tensor.dataSync().slice()]));
    for (const tensor of Object.values(tensors)) tensor.dispose();
    return values;
  };
}

export async function openHuman(): Promise<HumanInstance> {
  allowFileUrlsInFetch();
  const humanFolder = packageFolder('@vladmandic/human');
  const wasmFolder = path.join(packageFolder('@tensorflow/tfjs-backend-wasm'), 'dist');
  const require = createRequire(import.meta.url);
  const { Human } = require(path.join(humanFolder, 'dist', 'human.node-wasm.js')) as { Human: new (config: object) => HumanInstance };
  const human = new Human(stillsConfig(humanModelsFolder(), wasmFolder));
  await human.load();
  return human;
}
