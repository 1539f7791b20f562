// Human's faceres descriptor model (HSE-FaceRes, converted from Keras) spells out every activation after a convolution
// as Add → Relu → Minimum → Maximum (batch norm and relu6), and tfjs-wasm runs the scalar Minimum/Maximum through its
// slow broadcasting path: measured at about a third of detection time. This rewrites each such chain into one fused
// convolution (bias + relu6, batch-norm scale folded into the depthwise kernel), the way Human's other models ship.

export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
  device?: string;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

export interface GraphModelJson {
  modelTopology: { node: GraphNode[]; [key: string]: unknown };
  weightsManifest: Array<{ paths: string[]; weights: WeightSpec[] }>;
  [key: string]: unknown;
}

/** Decodes a weights file the way tfjs does (dequantising float16 and the rest): `tf.io.decodeWeights` + dataSync. */
export type WeightDecoder = (data: ArrayBuffer, specs: WeightSpec[]) => Map<string, Float32Array | Int32Array>;

export interface FusedGraph {
  model: GraphModelJson;
  /** The one weights file `model.weightsManifest` names, float32, in its order. */
  weights: ArrayBuffer;
  /** Chains fused into one convolution. */
  fused: number;
}

const RELU6 = 6;

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

/** Input names without the output index or control-dependency marks tfjs graphs may carry. */
function source(input: string): string {
  return input.replace(/^\^/, '').replace(/:\d+$/, '');
}

interface Chain {
  end: GraphNode;
  conv: GraphNode;
  /** The batch-norm scale (depthwise only), folded into the kernel. */
  scale: string | null;
  bias: string;
  removed: GraphNode[];
}

function findChains(nodes: GraphNode[], values: Map<string, Float32Array | Int32Array> | null): Chain[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, number>();
  for (const n of nodes) for (const i of n.input ?? []) consumers.set(source(i), (consumers.get(source(i)) ?? 0) + 1);
  const only = (name: string | undefined, op: string): GraphNode | null => {
    const node = name === undefined ? undefined : byName.get(source(name));
    return node && node.op === op && consumers.get(node.name) === 1 ? node : null;
  };
  const constant = (name: string | undefined): string | null => {
    const node = name === undefined ? undefined : byName.get(source(name));
    return node?.op === 'Const' ? node.name : null;
  };
  const scalarIs = (name: string | undefined, expected: number): boolean => {
    const id = constant(name);
    const value = id === null ? undefined : values?.get(id);
    return value === undefined ? values === null && id !== null : value.length === 1 && value[0] === expected;
  };
  const chains: Chain[] = [];
  for (const end of nodes) {
    if (end.op !== 'Maximum' || !scalarIs(end.input?.[1], 0)) continue;
    const min = only(end.input?.[0], 'Minimum');
    if (!min || !scalarIs(min.input?.[1], RELU6)) continue;
    const relu = only(min.input?.[0], 'Relu');
    const add = only(relu?.input?.[0], 'Add');
    const bias = constant(add?.input?.[1]);
    if (!relu || !add || !bias) continue;
    const conv = only(add.input?.[0], 'Conv2D');
    if (conv) {
      chains.push({ end, conv, scale: null, bias, removed: [conv, add, relu, min] });
      continue;
    }
    const mul = only(add.input?.[0], 'Mul');
    const scale = constant(mul?.input?.[1]);
    const depthwise = only(mul?.input?.[0], 'DepthwiseConv2dNative');
    if (mul && scale && depthwise && consumers.get(source(depthwise.input?.[1] ?? '')) === 1) {
      chains.push({ end, conv: depthwise, scale, bias, removed: [depthwise, mul, add, relu, min] });
    }
  }
  return chains;
}

/** The model with its relu6 chains fused, or null when it has none (Human's other models). */
export function fuseRelu6Chains(model: GraphModelJson, weightFiles: ArrayBuffer, decode: WeightDecoder): FusedGraph | null {
  const nodes = model.modelTopology.node;
  if (findChains(nodes, null).length === 0) return null;
  const specs = model.weightsManifest.flatMap((group) => group.weights);
  if (specs.some((s) => s.dtype !== 'float32' && s.dtype !== 'int32')) return null;
  const values = decode(weightFiles, specs);
  const chains = findChains(nodes, values);
  if (chains.length === 0) return null;

  const replaced = new Map<string, GraphNode>();
  const removed = new Set<string>();
  for (const chain of chains) {
    const [x, kernel] = chain.conv.input ?? [];
    if (chain.scale !== null) {
      const weights = values.get(source(kernel)) as Float32Array;
      const scale = values.get(chain.scale) as Float32Array;
      // Depthwise kernels are [h, w, in, multiplier]: the innermost in × multiplier values are the output channels.
      for (let i = 0; i < weights.length; i++) weights[i] *= scale[i % scale.length];
    }
    const attr = { ...chain.conv.attr, num_args: { i: '1' }, fused_ops: { list: { s: [base64('BiasAdd'), base64('Relu6')] } }, epsilon: { f: 0 } };
    const op = chain.scale === null ? '_FusedConv2D' : 'FusedDepthwiseConv2dNative';
    replaced.set(chain.end.name, { name: chain.end.name, op, input: [x, kernel, chain.bias], attr, ...(chain.end.device ? { device: chain.end.device } : {}) });
    for (const node of chain.removed) removed.add(node.name);
  }
  let kept = nodes.filter((n) => !removed.has(n.name)).map((n) => replaced.get(n.name) ?? n);
  const used = new Set(kept.flatMap((n) => (n.input ?? []).map(source)));
  kept = kept.filter((n) => n.op !== 'Const' || used.has(n.name));

  const keptSpecs = specs.filter((s) => used.has(s.name));
  const parts = keptSpecs.map((s) => values.get(s.name) as Float32Array | Int32Array);
  const weights = new Uint8Array(parts.reduce((total, p) => total + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weights.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), offset);
    offset += part.byteLength;
  }
  return {
    model: {
      ...model,
      modelTopology: { ...model.modelTopology, node: kept },
      weightsManifest: [{ paths: [model.weightsManifest[0].paths[0]], weights: keptSpecs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype })) }],
    },
    weights: weights.buffer,
    fused: chains.length,
  };
}
