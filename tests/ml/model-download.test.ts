// Getting models onto disk: first-use download from a loopback stand-in for the hub (resume, checksums, progress),
// the offline switch, and the one-line error a person sees when a model is missing. Never the real hub.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile, DownloadError } from '../../src-main/ml/file-download';
import { parseModelManifest, type ModelFile, type ModelManifest } from '../../src-main/ml/model-manifest';
import { ensureModel, listModels, ModelUnavailableError, type DownloadProgress } from '../../src-main/ml/model-store';
import { openSiglipEmbedder } from '../../src-main/ml/siglip-embedder';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';
import { nearestColour, writeSolidImage } from './colour-images';
import { sha256Hex, startLoopbackHub, type HubFile, type LoopbackHub } from './loopback-hub';

const HUB_MODEL_ID = 'loopback-org/siglip-colour';
const fixtureDir = path.join(process.env.GLIMPSE_TEST_MODELS_DIR!, ...FIXTURE_MODEL_ID.split('/'));
const FILES: Pick<ModelFile, 'path' | 'role' | 'dtype'>[] = [
  { path: 'config.json', role: 'config', dtype: null },
  { path: 'preprocessor_config.json', role: 'config', dtype: null },
  { path: 'tokenizer.json', role: 'config', dtype: null },
  { path: 'tokenizer_config.json', role: 'config', dtype: null },
  { path: 'onnx/text_model.onnx', role: 'text', dtype: 'fp32' },
  { path: 'onnx/vision_model.onnx', role: 'vision', dtype: 'fp32' },
  { path: 'onnx/model.onnx', role: 'calibration', dtype: 'fp32' },
];

let workDir: string;
let fixtureBytes: Map<string, Uint8Array>;
const hubs: LoopbackHub[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'glimpse-download-'));
  fixtureBytes = new Map();
  for (const f of FILES) fixtureBytes.set(f.path, new Uint8Array(await readFile(path.join(fixtureDir, f.path))));
});

afterEach(async () => {
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** A registry entry for the fixture model as if it were published on the hub; `sha256Of` decides what is "known". */
function manifestFor(sha256Of: (file: string) => string | null): ModelManifest {
  return parseModelManifest({
    version: 1,
    defaultEmbeddingModel: HUB_MODEL_ID,
    models: [
      {
        id: HUB_MODEL_ID,
        role: 'embedding',
        family: 'siglip',
        title: 'colour fixture served from loopback',
        licence: 'MIT',
        homepage: `https://huggingface.co/${HUB_MODEL_ID}`,
        dims: 11,
        imageSize: 224,
        textMaxLength: 64,
        calibrationDtype: 'fp32',
        files: FILES.map((f) => ({
          ...f,
          approxBytes: fixtureBytes.get(f.path)!.length,
          bytes: null,
          sha256: sha256Of(f.path),
        })),
      },
    ],
  });
}

async function hubServing(overrides: Record<string, Partial<HubFile>> = {}): Promise<LoopbackHub> {
  const files = new Map<string, HubFile>();
  for (const [file, bytes] of fixtureBytes) files.set(`${HUB_MODEL_ID}/${file}`, { bytes, ...overrides[file] });
  const hub = await startLoopbackHub(files);
  hubs.push(hub);
  return hub;
}

async function freshModelsDir(name: string): Promise<string> {
  return mkdtemp(path.join(workDir, `${name}-`));
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

describe('first-use download', () => {
  it('fetches a missing model from the hub with progress, verifies it, and the embedder then works', async () => {
    const hub = await hubServing();
    const modelsDir = await freshModelsDir('first-use');
    const progress: DownloadProgress[] = [];
    // The text tower's checksum is "published" in the manifest; the others come from the hub's X-Linked-Etag.
    const manifest = manifestFor((file) => (file === 'onnx/text_model.onnx' ? sha256Hex(fixtureBytes.get(file)!) : null));
    const embedder = await openSiglipEmbedder({
      modelsDir,
      modelId: HUB_MODEL_ID,
      offline: false,
      device: 'cpu',
      hubUrl: hub.url,
      manifest,
      onDownload: (p) => progress.push(p),
    });
    try {
      const totalBytes = [...fixtureBytes.values()].reduce((s, b) => s + b.length, 0);
      expect(progress.at(-1)).toMatchObject({ modelId: HUB_MODEL_ID, receivedBytes: totalBytes, totalBytes });
      const received = progress.map((p) => p.receivedBytes);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      for (const [file, bytes] of fixtureBytes) {
        expect(sha256Hex(await readFile(path.join(modelsDir, HUB_MODEL_ID, file)))).toBe(sha256Hex(bytes));
      }
      const [red, yellow] = await embedder.embedTexts(['red', 'yellow']);
      const colours = new Map([
        ['red', red],
        ['yellow', yellow],
      ] as const);
      expect(nearestColour(await embedder.embedImage(await writeSolidImage(workDir, 'yellow')), colours)).toBe('yellow');
    } finally {
      await embedder.close();
    }
    // Already installed: a second open asks the hub for nothing.
    const before = hub.requests.length;
    await (await openSiglipEmbedder({ modelsDir, modelId: HUB_MODEL_ID, offline: false, device: 'cpu', hubUrl: hub.url, manifest })).close();
    expect(hub.requests.length).toBe(before);
  });

  it('resumes after the connection is cut mid-file', async () => {
    const vision = fixtureBytes.get('onnx/vision_model.onnx')!;
    const hub = await hubServing({ 'onnx/vision_model.onnx': { cutAfterBytes: Math.floor(vision.length / 2) } });
    const modelsDir = await freshModelsDir('cut');
    await ensureModel({ modelsDir, modelId: HUB_MODEL_ID, offline: false, hubUrl: hub.url, manifest: manifestFor(() => null), retryDelayMs: 10 });
    const visionRequests = hub.requests.filter((r) => r.path.endsWith('/cdn/' + HUB_MODEL_ID + '/onnx/vision_model.onnx'));
    expect(visionRequests).toHaveLength(2);
    expect(visionRequests[1].range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(sha256Hex(await readFile(path.join(modelsDir, HUB_MODEL_ID, 'onnx/vision_model.onnx')))).toBe(sha256Hex(vision));
  });

  it('refuses a file whose checksum does not match and leaves nothing half-written', async () => {
    const hub = await hubServing({ 'onnx/text_model.onnx': { announcedSha256: 'ab'.repeat(32) } });
    const modelsDir = await freshModelsDir('mismatch');
    const attempt = ensureModel({ modelsDir, modelId: HUB_MODEL_ID, offline: false, hubUrl: hub.url, manifest: manifestFor(() => null), retryDelayMs: 10 });
    await expect(attempt).rejects.toMatchObject({ code: 'MODEL_DOWNLOAD_FAILED' });
    await expect(attempt).rejects.toThrow(/onnx\/text_model\.onnx failed its checksum/);
    const target = path.join(modelsDir, HUB_MODEL_ID, 'onnx/text_model.onnx');
    expect(await exists(target)).toBe(false);
    expect(await exists(`${target}.part`)).toBe(false);
  });

  it('does not download anything when offline, and says how to install the model', async () => {
    const hub = await hubServing();
    const modelsDir = await freshModelsDir('offline');
    const attempt = openSiglipEmbedder({ modelsDir, modelId: HUB_MODEL_ID, offline: true, device: 'cpu', hubUrl: hub.url, manifest: manifestFor(() => null) });
    await expect(attempt).rejects.toBeInstanceOf(ModelUnavailableError);
    await expect(attempt).rejects.toMatchObject({ code: 'OFFLINE' });
    await expect(attempt).rejects.toThrow(`glimpse models download ${HUB_MODEL_ID}`);
    expect(hub.requests).toHaveLength(0);
  });
});

describe('downloadFile', () => {
  it('continues a .part file left by an earlier run with a Range request', async () => {
    const payload = new Uint8Array(randomBytes(256 * 1024));
    const hub = await startLoopbackHub(new Map([['org/blob/data.bin', { bytes: payload }]]));
    hubs.push(hub);
    const destination = path.join(workDir, 'resume', 'data.bin');
    await mkdir(path.dirname(destination), { recursive: true });
    await writeFile(`${destination}.part`, payload.subarray(0, 100_000));
    await downloadFile({ url: `${hub.url}/org/blob/resolve/main/data.bin`, destination, expectedBytes: null, expectedSha256: null });
    expect(hub.requests.at(-1)?.range).toBe('bytes=100000-');
    expect(sha256Hex(await readFile(destination))).toBe(sha256Hex(payload));
    expect(await exists(`${destination}.part`)).toBe(false);
  });

  it('reports a missing file on the hub as not found, without retrying', async () => {
    const hub = await startLoopbackHub(new Map());
    hubs.push(hub);
    const destination = path.join(workDir, 'missing', 'x.bin');
    await expect(
      downloadFile({ url: `${hub.url}/org/none/resolve/main/x.bin`, destination, expectedBytes: null, expectedSha256: null }),
    ).rejects.toThrow(DownloadError);
    await expect(
      downloadFile({ url: `${hub.url}/org/none/resolve/main/x.bin`, destination, expectedBytes: null, expectedSha256: null }),
    ).rejects.toThrow('was not found (HTTP 404)');
    expect(hub.requests).toHaveLength(2);
  });
});

describe('a missing model', () => {
  it('is one line naming the model, the folder it was looked for in and how to install it', async () => {
    const modelsDir = await freshModelsDir('missing');
    const modelId = 'Xenova/siglip-base-patch16-224';
    const error = await openSiglipEmbedder({ modelsDir, modelId, offline: true, device: 'cpu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`Model ${modelId} is not installed in ${path.join(modelsDir, 'Xenova', 'siglip-base-patch16-224')}`);
    expect(message).toContain(`glimpse models download ${modelId}`);
  });

  it('that Glimpse cannot download says to copy its files', async () => {
    const modelsDir = await freshModelsDir('unknown');
    const attempt = ensureModel({ modelsDir, modelId: 'someone/private-siglip', offline: false });
    await expect(attempt).rejects.toMatchObject({ code: 'MODEL_MISSING' });
    await expect(attempt).rejects.toThrow(/has no download for it: copy the model's files .* into .*someone.private-siglip/);
  });

  it('rejects an id that would leave the models folder', async () => {
    await expect(ensureModel({ modelsDir: workDir, modelId: '../etc', offline: true })).rejects.toThrow('is not a model id');
  });
});

describe('listModels', () => {
  it('reports which models are present, where, on which device, and what to do about the missing ones', async () => {
    const models = await listModels({
      modelsDir: process.env.GLIMPSE_TEST_MODELS_DIR!,
      activeModelId: FIXTURE_MODEL_ID,
      device: 'cpu',
    });
    const fixture = models.find((m) => m.id === FIXTURE_MODEL_ID)!;
    expect(fixture).toMatchObject({ present: true, active: true, device: 'cpu', remedy: null, dir: fixtureDir });
    expect(fixture.sizeBytes).toBeGreaterThan(0);
    const base = models.find((m) => m.id === 'Xenova/siglip-base-patch16-224')!;
    expect(base).toMatchObject({ present: false, active: false, device: null, role: 'embedding' });
    expect(base.remedy).toContain('glimpse models download Xenova/siglip-base-patch16-224');
    expect(base.sizeBytes).toBeGreaterThan(1_000_000_000);
  });
});
