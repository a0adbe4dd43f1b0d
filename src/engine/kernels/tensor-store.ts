/**
 * A small, typed view of the two backends our kernels run on (tfjs `wasm` and `cpu`): how to read an
 * input's values, allocate an output and free an intermediate, without leaking either backend's internals
 * into the kernels themselves.
 *
 * The wasm backend keeps tensors in the module's heap; a view into that heap is invalidated whenever the
 * heap grows (that is, at any allocation). `produce` therefore allocates first and only then hands the
 * fill function fresh views of the inputs.
 */
import type { DataType, TensorInfo, backend_util } from '@tensorflow/tfjs';

export type TypedArray = backend_util.TypedArray;

export type BackendName = 'wasm' | 'cpu';

/** Reads the current values of an input tensor (valid only during one `produce` fill). */
export type Reader = (t: TensorInfo) => TypedArray;

export interface TensorStore {
  readonly backendName: BackendName;
  /** The backend object tfjs passed to the kernel (to call sibling kernels with). */
  readonly backend: object;
  /** Allocates a tensor of `shape`, lets `fill` write it (zero-initialised) and returns it. */
  produce(shape: number[], dtype: DataType, fill: (out: TypedArray, read: Reader) => void): TensorInfo;
  /** Frees an intermediate tensor this kernel made. */
  dispose(t: TensorInfo): void;
}

/** The members of tfjs-backend-wasm's `BackendWasm` we use (all public in 4.22). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): TypedArray;
  disposeData(dataId: object): boolean;
}

/** The members of tfjs-backend-cpu's `MathBackendCPU` we use (all public in 4.22). */
interface CpuBackendLike {
  readSync(dataId: object): backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: DataType, values?: backend_util.BackendValues): TensorInfo;
  disposeIntermediateTensorInfo(t: TensorInfo): void;
}

function isWasm(backend: object): backend is WasmBackendLike {
  return typeof (backend as Partial<WasmBackendLike>).typedArrayFromHeap === 'function';
}

function isCpu(backend: object): backend is CpuBackendLike {
  return typeof (backend as Partial<CpuBackendLike>).makeTensorInfo === 'function'
    && typeof (backend as Partial<CpuBackendLike>).readSync === 'function';
}

function allocate(size: number, dtype: DataType): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'int32': return new Int32Array(size);
    case 'bool': return new Uint8Array(size);
    default: throw new Error(`LR Scope kernels: dtype '${dtype}' is not supported`);
  }
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function wasmStore(backend: WasmBackendLike): TensorStore {
  return {
    backendName: 'wasm',
    backend,
    produce(shape, dtype, fill) {
      const out = backend.makeOutput(shape, dtype);
      const view = backend.typedArrayFromHeap(out);
      view.fill(0); // the heap is reused: fresh allocations are not zeroed
      fill(view, (t) => backend.typedArrayFromHeap(t));
      return out;
    },
    dispose(t) {
      backend.disposeData(t.dataId);
    },
  };
}

function cpuStore(backend: CpuBackendLike): TensorStore {
  const read: Reader = (t) => {
    const values = backend.readSync(t.dataId);
    if (Array.isArray(values) || !ArrayBuffer.isView(values)) {
      throw new Error(`LR Scope kernels: cannot read a ${t.dtype} tensor as numbers`);
    }
    return values as TypedArray;
  };
  return {
    backendName: 'cpu',
    backend,
    produce(shape, dtype, fill) {
      const out = allocate(sizeOf(shape), dtype);
      fill(out, read);
      return backend.makeTensorInfo(shape, dtype, out);
    },
    dispose(t) {
      backend.disposeIntermediateTensorInfo(t);
    },
  };
}

/** Wraps the backend object tfjs hands a kernel; throws for a backend our kernels do not know. */
export function tensorStore(backend: unknown): TensorStore {
  if (typeof backend === 'object' && backend !== null) {
    if (isWasm(backend)) return wasmStore(backend);
    if (isCpu(backend)) return cpuStore(backend);
  }
  throw new Error('LR Scope kernels run only on the tfjs wasm and cpu backends');
}
