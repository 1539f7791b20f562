// Packaging downloads Electron, which CI cannot do; so electron-builder.yml is checked here with electron-builder's
// own loader and schema validator, plus the choices that would break the packaged app if lost.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util/out/DebugLogger';

const root = path.resolve(import.meta.dirname, '../..');

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('targets AppImage + deb, dmg and nsis, unpacks native modules and model files, and never rebuilds in place', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.npmRebuild).toBe(false);
    const unpacked = (config.asarUnpack as string[]).join('\n');
    for (const module of ['better-sqlite3', 'onnxruntime-node', 'sharp', 'usearch', '@vladmandic/human/models', 'tfjs-backend-wasm']) {
      expect(unpacked, module).toContain(module);
    }
    expect(unpacked).toContain('**/*.node');
    expect(JSON.stringify(config.files)).toContain('out/**/*');
  });

  it('flips the Electron fuses that keep the packaged app from being run as Node, inspected or loaded from elsewhere', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });
});
