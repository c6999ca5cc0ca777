import { ATTR, ONNX_FLOAT, onnxModelType } from './onnx-proto';

type Attr = number | number[] | { float: number };

/** A dimension: a size, or a symbolic name (`'N'`) for one left free. */
export type OnnxDim = number | string;

/**
 * Builds an ONNX inference graph node by node (topological order by
 * construction): float32 initializers, one float32 input and one output.
 */
export class OnnxGraph {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private count = 0;

  /** A float32 constant (weights) named `name`; returns its name. */
  constant(name: string, dims: number[], data: Float32Array): string {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims, dataType: ONNX_FLOAT, rawData: new Uint8Array(bytes) });
    return name;
  }

  /** Adds an operator; returns the name of its (single) output. */
  op(opType: string, inputs: string[], attributes: Record<string, Attr> = {}, output?: string): string {
    const out = output ?? `${opType.toLowerCase()}_${this.count++}`;
    const attribute = Object.entries(attributes).map(([name, v]) => {
      if (Array.isArray(v)) return { name, type: ATTR.INTS, ints: v };
      if (typeof v === 'number') return { name, type: ATTR.INT, i: v };
      return { name, type: ATTR.FLOAT, f: v.float };
    });
    this.nodes.push({ opType, input: inputs, output: [out], name: out, attribute });
    return out;
  }

  /** The serialized `ModelProto`. */
  serialize(options: {
    input: { name: string; dims: OnnxDim[] };
    output: { name: string; dims: OnnxDim[] };
    opset: number;
    producer: string;
    metadata: Record<string, string>;
  }): Uint8Array {
    const valueInfo = ({ name, dims }: { name: string; dims: OnnxDim[] }) => ({
      name,
      type: {
        tensorType: {
          elemType: ONNX_FLOAT,
          shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
    const type = onnxModelType();
    const model = type.fromObject({
      irVersion: 7, // the IR of opset 12-13 (onnx/docs/Versioning.md)
      producerName: options.producer,
      opsetImport: [{ domain: '', version: options.opset }],
      metadataProps: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: 'encoder',
        node: this.nodes,
        initializer: this.initializers,
        input: [valueInfo(options.input)],
        output: [valueInfo(options.output)],
      },
    });
    return type.encode(model).finish();
  }
}
