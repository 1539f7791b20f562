// Opens @vladmandic/human for still photos on the WASM backend, offline: its own face models from the npm package,
// served through a wrapped fetch (Node's fetch cannot read file:// URLs), with video-oriented caching switched off.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuseRelu6Chains, type GraphModelJson, type WeightDecoder, type WeightSpec } from './fused-graph';

/** What Glimpse uses of a Human face result (3.3.6): the box in input pixels, its detector score and the descriptor. */
export interface HumanFace {
  box: [number, number, number, number];
  boxScore: number;
  embedding?: number[];
  age?: number;
  gender?: string;
  genderScore?: number;
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
/** Set once Human's tfjs is up: decodes weights files so model graphs can be fused as they load. */
let weightDecoder: WeightDecoder | null = null;
/** Fused weights, by the URL the fused model's manifest sends the loader to next. */
const fusedWeights = new Map<string, ArrayBuffer>();

/** A model graph as served: its relu6 chains fused when it has any (faceres), otherwise the file as it is. */
async function modelFile(url: string, bytes: Buffer<ArrayBuffer>): Promise<Buffer<ArrayBuffer>> {
  if (!weightDecoder) return bytes;
  const model = JSON.parse(bytes.toString('utf8')) as GraphModelJson;
  if (!model.modelTopology?.node || !model.weightsManifest?.length) return bytes;
  const shards = model.weightsManifest.flatMap((group) => group.paths).map((file) => new URL(file, url));
  const weightFiles = Buffer.concat(await Promise.all(shards.map((shard) => fs.promises.readFile(fileURLToPath(shard)))));
  const fused = fuseRelu6Chains(model, weightFiles.buffer.slice(weightFiles.byteOffset, weightFiles.byteOffset + weightFiles.byteLength), weightDecoder);
  if (!fused) return bytes;
  fusedWeights.set(new URL(fused.model.weightsManifest[0].paths[0], url).href, fused.weights);
  return Buffer.from(JSON.stringify(fused.model));
}

/** Lets Human's loader read its model files from disk; every other URL goes to the real fetch. */
function allowFileUrlsInFetch(): void {
  if (fetchWrapped) return;
  fetchWrapped = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file://')) return realFetch(input, init);
    const fused = fusedWeights.get(url);
    if (fused) {
      fusedWeights.delete(url);
      return new Response(fused, { headers: { 'content-type': 'application/octet-stream' } });
    }
    const bytes = await fs.promises.readFile(fileURLToPath(url));
    if (url.endsWith('.json')) return new Response(await modelFile(url, bytes), { headers: { 'content-type': 'application/json' } });
    return new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } });
  }) as typeof fetch;
}

/** The stills configuration: many faces, no frame caching or skipping, nothing but faces and their descriptors. */
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
      detector: { enabled: true, maxDetected: 200, minConfidence: MIN_FACE_CONFIDENCE, rotation: false, return: false, ...noCache },
      mesh: { enabled: true },
      iris: { enabled: false },
      description: { enabled: true, ...noCache },
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
  weightDecoder ??= tfjsWeightDecoder(human.tf);
  await human.load();
  return human;
}
