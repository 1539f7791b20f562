// The fused faceres graph (src-main/ml/faces/fused-graph.ts) and its ONNX translation (faceres-onnx.ts) must describe
// faces exactly as the graph Human ships: the same descriptor, age and gender outputs on real faces.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaceDescriber } from '../../src-main/ml/faces/faceres-onnx';
import { fuseRelu6Chains, type GraphModelJson, type WeightSpec } from '../../src-main/ml/faces/fused-graph';
import { humanModelsFolder, openHuman, tfjsWeightDecoder, type HumanInstance } from '../../src-main/ml/faces/human-setup';
import { labelledPhotos } from './labelled-photos';

interface Tensor {
  dataSync(): Float32Array;
  dispose(): void;
}

interface Tfjs {
  io: HumanInstance['tf']['io'] & { fromMemory(artifacts: object): unknown };
  loadGraphModel(handler: unknown): Promise<{ execute(input: Tensor): Tensor[]; dispose(): void }>;
  tensor4d(values: Float32Array, shape: [number, number, number, number]): Tensor;
}

let tf: Tfjs;
const original = JSON.parse(fs.readFileSync(path.join(humanModelsFolder(), 'faceres.json'), 'utf8')) as GraphModelJson;
const file = fs.readFileSync(path.join(humanModelsFolder(), 'faceres.bin'));
const weights = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);

async function load(model: GraphModelJson, data: ArrayBuffer) {
  const weightSpecs: WeightSpec[] = model.weightsManifest.flatMap((group) => group.weights);
  return tf.loadGraphModel(tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs, weightData: data, signature: model.signature }));
}

/** The central square of a real photo at faceres' 224 × 224 input, in the 0–255 range Human feeds it. */
async function facePixels(photo: string): Promise<Float32Array> {
  const { data } = await sharp(photo).rotate().resize(224, 224, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return Float32Array.from(data);
}

async function faceInput(photo: string): Promise<Tensor> {
  return tf.tensor4d(await facePixels(photo), [1, 224, 224, 3]);
}

function relativeError(expected: Float32Array, actual: Float32Array): number {
  const scale = Math.max(...expected.map(Math.abs));
  return Math.max(...expected.map((v, j) => Math.abs(v - actual[j]))) / scale;
}

beforeAll(async () => {
  tf = (await openHuman()).tf as unknown as Tfjs;
}, 60_000);

describe('the fused faceres graph', () => {
  it('has no Minimum or Maximum passes left, and a fused convolution for each of its 27 layers', () => {
    const fused = fuseRelu6Chains(original, weights, tfjsWeightDecoder(tf));
    expect(fused?.fused).toBe(27);
    const ops = fused?.model.modelTopology.node.map((n) => n.op) ?? [];
    expect(ops.filter((op) => op === 'Minimum' || op === 'Maximum')).toEqual([]);
    expect(ops.filter((op) => op === '_FusedConv2D' || op === 'FusedDepthwiseConv2dNative')).toHaveLength(27);
  });

  it('gives the same descriptor, age and gender outputs as the graph Human ships, on real photos', async () => {
    const fused = fuseRelu6Chains(original, weights, tfjsWeightDecoder(tf));
    if (!fused) throw new Error('faceres was not fused');
    const [slow, fast] = await Promise.all([load(original, weights), load(fused.model, fused.weights)]);
    for (const photo of labelledPhotos().slice(0, 6)) {
      const input = await faceInput(photo.path);
      const expected = slow.execute(input).map((t) => t.dataSync());
      const actual = fast.execute(input).map((t) => t.dataSync());
      input.dispose();
      expect(actual.map((a) => a.length).sort((a, b) => a - b)).toEqual([1, 100, 1024]);
      expect(actual.map((a) => a.length)).toEqual(expected.map((e) => e.length));
      for (const [i, values] of expected.entries()) expect(relativeError(values, actual[i])).toBeLessThan(1e-4);
    }
    slow.dispose();
    fast.dispose();
  });

  it('runs on onnxruntime with the descriptor Human’s graph gives, and its age and gender reading', async () => {
    const slow = await load(original, weights);
    const describer = await FaceDescriber.open(humanModelsFolder(), tfjsWeightDecoder(tf));
    for (const photo of labelledPhotos().slice(0, 6)) {
      const pixels = await facePixels(photo.path);
      const input = tf.tensor4d(pixels, [1, 224, 224, 3]);
      const outputs = slow.execute(input).map((t) => t.dataSync());
      input.dispose();
      const described = await describer.describe(pixels);
      expect(relativeError(outputs.find((o) => o.length === 1024) as Float32Array, described.descriptor)).toBeLessThan(1e-4);
      const male = (outputs.find((o) => o.length === 1) as Float32Array)[0];
      expect(described.gender).toBe(Math.abs(male - 0.5) <= 0.05 ? null : male <= 0.5 ? 'female' : 'male');
      const ages = outputs.find((o) => o.length === 100) as Float32Array;
      // Human reads the 100 age classes as years, moved towards the likelier neighbour (faceres.ts in Human 3.3).
      const year = ages.indexOf(Math.max(...ages));
      const expectedAge = ages[year - 1] > ages[year + 1] ? year - 10 * ages[year - 1] : year + 10 * ages[year + 1];
      expect(described.age).toBeCloseTo(expectedAge, 1);
    }
    slow.dispose();
    await describer.close();
  });

  it('leaves graphs without such chains as they are (Human’s detector)', () => {
    const blazeface = JSON.parse(fs.readFileSync(path.join(humanModelsFolder(), 'blazeface.json'), 'utf8')) as GraphModelJson;
    expect(fuseRelu6Chains(blazeface, new ArrayBuffer(0), tfjsWeightDecoder(tf))).toBeNull();
  });
});
