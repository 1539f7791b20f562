// The registry of models Glimpse knows how to fetch (models/manifest.json), validated once, and the rule for which
// of a model's files one configuration (dtype, calibration cached or not) actually needs on disk.
import { z } from 'zod';
import manifestJson from '../../models/manifest.json';

export const MODEL_DTYPES = ['fp32', 'fp16', 'q8'] as const;
export type ModelDtype = (typeof MODEL_DTYPES)[number];

/** transformers.js file-name suffix for each dtype (onnx/<graph><suffix>.onnx). */
export const DTYPE_FILE_SUFFIX: Record<ModelDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized' };

const fileSchema = z.object({
  path: z.string().regex(/^[\w./-]+$/).refine((p) => !p.split('/').includes('..'), 'no ".." segments'),
  role: z.enum(['config', 'text', 'vision', 'calibration']),
  dtype: z.enum(MODEL_DTYPES).nullable(),
  approxBytes: z.number().int().positive().nullable(),
  bytes: z.number().int().positive().nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
});

const modelSchema = z.object({
  id: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  role: z.enum(['embedding', 'caption', 'faces']),
  family: z.literal('siglip'),
  title: z.string(),
  licence: z.string(),
  homepage: z.url(),
  dims: z.number().int().positive(),
  imageSize: z.number().int().positive(),
  textMaxLength: z.number().int().positive(),
  calibrationDtype: z.enum(MODEL_DTYPES),
  files: z.array(fileSchema).min(1),
});

const manifestSchema = z.object({
  version: z.literal(1),
  defaultEmbeddingModel: z.string(),
  models: z.array(modelSchema),
});

export type ModelFile = z.infer<typeof fileSchema>;
export type ModelEntry = z.infer<typeof modelSchema>;
export type ModelManifest = z.infer<typeof manifestSchema>;

let bundledManifest: ModelManifest | undefined;

/** The manifest shipped in models/manifest.json (parsed once; a malformed manifest is a build error, so it throws). */
export function bundledModelManifest(): ModelManifest {
  bundledManifest ??= manifestSchema.parse(manifestJson);
  return bundledManifest;
}

export function parseModelManifest(json: unknown): ModelManifest {
  return manifestSchema.parse(json);
}

export function findModelEntry(manifest: ModelManifest, modelId: string): ModelEntry | undefined {
  return manifest.models.find((m) => m.id === modelId);
}

/** The files every SigLIP export in the Xenova layout has, for models that are not in the manifest. */
function conventionalSiglipFiles(): ModelFile[] {
  const file = (path: string, role: ModelFile['role'], dtype: ModelDtype | null): ModelFile => ({
    path,
    role,
    dtype,
    approxBytes: null,
    bytes: null,
    sha256: null,
  });
  const configs = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];
  const graphs = MODEL_DTYPES.flatMap((dtype) => [
    file(`onnx/text_model${DTYPE_FILE_SUFFIX[dtype]}.onnx`, 'text', dtype),
    file(`onnx/vision_model${DTYPE_FILE_SUFFIX[dtype]}.onnx`, 'vision', dtype),
    file(`onnx/model${DTYPE_FILE_SUFFIX[dtype]}.onnx`, 'calibration', dtype),
  ]);
  return [...configs.map((p) => file(p, 'config', null)), ...graphs];
}

/**
 * Which files must be on disk to run `dtype` towers; the combined graph only while the logit scale and bias
 * have not been read from it yet. `calibrationDtype` for models outside the manifest is the towers' dtype.
 */
export function requiredModelFiles(
  entry: ModelEntry | undefined,
  dtype: ModelDtype,
  needCalibration: boolean,
): ModelFile[] {
  const files = entry?.files ?? conventionalSiglipFiles();
  const calibrationDtype = entry?.calibrationDtype ?? dtype;
  return files.filter((f) => {
    if (f.role === 'config') return true;
    if (f.role === 'calibration') return needCalibration && f.dtype === calibrationDtype;
    return f.dtype === dtype;
  });
}

export function calibrationDtypeOf(entry: ModelEntry | undefined, dtype: ModelDtype): ModelDtype {
  return entry?.calibrationDtype ?? dtype;
}
