// Decides once per process whether models run on the GPU (onnxruntime-node's CUDA execution provider, installed
// opt-in by `npm run setup:gpu`) or on the CPU, and says why, for the log, `glimpse doctor` and Settings.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InferenceSession } from 'onnxruntime-node';

export type Device = 'cuda' | 'cpu';
export type DevicePreference = 'auto' | Device;

export interface DeviceChoice {
  device: Device;
  /** One sentence a person can act on, e.g. why CUDA was not used. */
  reason: string;
}

/** A one-node Identity graph (opset 17) in ONNX protobuf: just enough for the CUDA provider to open a session. */
const PROBE_MODEL = Buffer.from(
  'CAgSFGdsaW1wc2UtZGV2aWNlLXByb2JlOjsKEAoBeBIBeSIISWRlbnRpdHkSBXByb2JlWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQEQ==',
  'base64',
);

const CUDA_PROVIDER_FILES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'],
  win32: ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll'],
};

/** Folder holding onnxruntime-node's native binding, where its install script puts the CUDA provider. */
export function onnxRuntimeBinaryDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return path.join(path.dirname(packageJson), 'bin', 'napi-v6', process.platform, process.arch);
}

/** Opens a session on `device`; resolves on success, rejects with onnxruntime's reason otherwise. */
export async function probeSession(device: Device): Promise<void> {
  const session = await InferenceSession.create(PROBE_MODEL, {
    executionProviders: [device],
    logSeverityLevel: 4,
  });
  await session.release();
}

async function detectCuda(): Promise<DeviceChoice> {
  const files = CUDA_PROVIDER_FILES[process.platform];
  if (!files || process.arch !== 'x64') {
    return { device: 'cpu', reason: `onnxruntime-node has no CUDA provider for ${process.platform}/${process.arch}; using the CPU` };
  }
  const binaryDir = onnxRuntimeBinaryDir();
  const absent = files.filter((f) => !existsSync(path.join(binaryDir, f)));
  if (absent.length > 0) {
    return {
      device: 'cpu',
      reason: `onnxruntime-node's CUDA provider is not installed (no ${absent[0]} in ${binaryDir}); using the CPU — run \`npm run setup:gpu\` on a machine with an NVIDIA GPU and CUDA 12`,
    };
  }
  try {
    await probeSession('cuda');
    return { device: 'cuda', reason: 'onnxruntime-node CUDA execution provider opened a session' };
  } catch (error) {
    const cause = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return {
      device: 'cpu',
      reason: `the CUDA provider is installed but could not open a session (${cause}); using the CPU — check the NVIDIA driver, CUDA 12 and cuDNN 9`,
    };
  }
}

const choices = new Map<DevicePreference, Promise<DeviceChoice>>();

/**
 * The device models run on, decided once per process and preference. 'auto' prefers CUDA when it works;
 * 'cuda' insists and throws (with the reason) when it cannot be used; 'cpu' never probes the GPU.
 */
export function chooseDevice(preference: DevicePreference = 'auto'): Promise<DeviceChoice> {
  let choice = choices.get(preference);
  if (!choice) {
    choice = (async (): Promise<DeviceChoice> => {
      if (preference === 'cpu') return { device: 'cpu', reason: 'the CPU was chosen in the settings' };
      const detected = await detectCuda();
      if (preference === 'cuda' && detected.device !== 'cuda') {
        throw new Error(`CUDA was requested but cannot be used: ${detected.reason}`);
      }
      return detected;
    })();
    choices.set(preference, choice);
  }
  return choice;
}
