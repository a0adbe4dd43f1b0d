/**
 * TensorFlow.js (4.x) as an LR Scope experiment sees it: the declarations LR Scope ships so that an
 * experiment type-checks in a workspace without `@tensorflow/tfjs` installed. LR Scope runs every
 * `@tensorflow/tfjs*` import of an experiment on its own tf instance, so one file serves
 * `@tensorflow/tfjs`, `-node`, `-node-gpu`, `-core` and `-layers`.
 *
 * Every name @tensorflow/tfjs 4.22 exports at run time is declared here (LR Scope's tests check it):
 * tensors, ops, layers, models, optimizers, data sets, losses, metrics, initializers, regularizers and
 * callbacks with their types; kernel names and the backends' internals (`backend_util`, `webgl`, …)
 * without them. Install `@tensorflow/tfjs` in your workspace for the library's own, complete declarations.
 */

// ---------------------------------------------------------------------------------------------
// tensors

export type DataType = 'float32' | 'int32' | 'bool' | 'complex64' | 'string';
export type TypedArray = Float32Array | Int32Array | Uint8Array;
export type DataTypeMap = { float32: Float32Array; int32: Int32Array; bool: Uint8Array; complex64: Float32Array; string: string[] };
export interface RecursiveArray<T> {
  [index: number]: T | RecursiveArray<T>;
}
export type ScalarLike = number | boolean | string | Uint8Array;
export type TensorLike = TypedArray | number | boolean | string | RecursiveArray<number | number[] | TypedArray> | RecursiveArray<boolean> | RecursiveArray<string> | Uint8Array[];
export type NamedTensorMap = { [name: string]: Tensor };
export type NamedVariableMap = { [name: string]: Variable };
export type DataId = object;

export declare enum Rank {
  R0 = 'R0',
  R1 = 'R1',
  R2 = 'R2',
  R3 = 'R3',
  R4 = 'R4',
  R5 = 'R5',
  R6 = 'R6',
}
export interface ArrayMap {
  R0: number;
  R1: number[];
  R2: number[][];
  R3: number[][][];
  R4: number[][][][];
  R5: number[][][][][];
  R6: number[][][][][][];
}
export interface ShapeMap {
  R0: number[];
  R1: [number];
  R2: [number, number];
  R3: [number, number, number];
  R4: [number, number, number, number];
  R5: [number, number, number, number, number];
  R6: [number, number, number, number, number, number];
}

type TensorOrLike = Tensor | TensorLike;
type Axis = number | number[];

/** An n-dimensional array (immutable; free it with `dispose()` or inside `tf.tidy`). */
export declare class Tensor<R extends Rank = Rank> {
  readonly id: number;
  readonly dataId: DataId;
  readonly shape: ShapeMap[R];
  readonly size: number;
  readonly dtype: DataType;
  readonly rankType: R;
  readonly strides: number[];
  readonly rank: number;
  readonly isDisposed: boolean;
  kept: boolean;
  protected constructor();

  data<D extends DataType = 'float32'>(): Promise<DataTypeMap[D]>;
  dataSync<D extends DataType = 'float32'>(): DataTypeMap[D];
  array(): Promise<ArrayMap[R]>;
  arraySync(): ArrayMap[R];
  bytes(): Promise<Uint8Array[] | Uint8Array>;
  buffer<D extends DataType = 'float32'>(): Promise<TensorBuffer<R, D>>;
  bufferSync<D extends DataType = 'float32'>(): TensorBuffer<R, D>;
  dispose(): void;
  throwIfDisposed(): void;
  print(verbose?: boolean): void;
  clone<T extends Tensor>(this: T): T;
  toString(verbose?: boolean): string;
  variable(trainable?: boolean, name?: string, dtype?: DataType): Variable<R>;
  dataToGPU(options?: object): unknown;

  cast<T extends Tensor>(this: T, dtype: DataType): T;
  asType<T extends Tensor>(this: T, dtype: DataType): T;
  toFloat<T extends Tensor>(this: T): T;
  toInt<T extends Tensor>(this: T): T;
  toBool<T extends Tensor>(this: T): T;
  reshape<R2 extends Rank = Rank>(newShape: ShapeMap[R2] | number[]): Tensor<R2>;
  reshapeAs<T extends Tensor>(x: T): T;
  flatten(): Tensor1D;
  asScalar(): Scalar;
  as1D(): Tensor1D;
  as2D(rows: number, columns: number): Tensor2D;
  as3D(rows: number, columns: number, depth: number): Tensor3D;
  as4D(rows: number, columns: number, depth: number, depth2: number): Tensor4D;
  as5D(rows: number, columns: number, depth: number, depth2: number, depth3: number): Tensor5D;
  expandDims(axis?: number): Tensor;
  squeeze(axis?: number[]): Tensor;
  broadcastTo(shape: number[]): Tensor;
  tile(reps: number[]): Tensor;
  transpose(perm?: number[]): Tensor;
  slice(begin: number | number[], size?: number | number[]): Tensor;
  stridedSlice(begin: number[], end: number[], strides?: number[], beginMask?: number, endMask?: number, ellipsisMask?: number, newAxisMask?: number, shrinkAxisMask?: number): Tensor;
  gather(indices: TensorOrLike, axis?: number, batchDims?: number): Tensor;
  concat(tensors: Tensor | Tensor[], axis?: number): Tensor;
  stack(x: Tensor | Tensor[], axis?: number): Tensor;
  unstack(axis?: number): Tensor[];
  split(numOrSizeSplits: number[] | number, axis?: number): Tensor[];
  reverse(axis?: Axis): Tensor;
  pad(paddings: Array<[number, number]>, constantValue?: number): Tensor;
  mirrorPad(paddings: Array<[number, number]>, mode: 'reflect' | 'symmetric'): Tensor;
  oneHot(depth: number, onValue?: number, offValue?: number): Tensor;
  where(condition: TensorOrLike, b: TensorOrLike): Tensor;
  topk(k?: number, sorted?: boolean): { values: Tensor; indices: Tensor };
  unique(axis?: number): { values: Tensor; indices: Tensor1D };
  clipByValue(clipValueMin: number, clipValueMax: number): Tensor;

  add(b: TensorOrLike): Tensor;
  sub(b: TensorOrLike): Tensor;
  mul(b: TensorOrLike): Tensor;
  div(b: TensorOrLike): Tensor;
  divNoNan(b: TensorOrLike): Tensor;
  floorDiv(b: TensorOrLike): Tensor;
  mod(b: TensorOrLike): Tensor;
  pow(exp: TensorOrLike): Tensor;
  maximum(b: TensorOrLike): Tensor;
  minimum(b: TensorOrLike): Tensor;
  squaredDifference(b: TensorOrLike): Tensor;
  atan2(b: TensorOrLike): Tensor;
  matMul(b: TensorOrLike, transposeA?: boolean, transposeB?: boolean): Tensor;
  dot(b: TensorOrLike): Tensor;
  equal(b: TensorOrLike): Tensor;
  notEqual(b: TensorOrLike): Tensor;
  greater(b: TensorOrLike): Tensor;
  greaterEqual(b: TensorOrLike): Tensor;
  less(b: TensorOrLike): Tensor;
  lessEqual(b: TensorOrLike): Tensor;
  logicalAnd(b: TensorOrLike): Tensor;
  logicalOr(b: TensorOrLike): Tensor;
  logicalXor(b: TensorOrLike): Tensor;
  prelu(alpha: TensorOrLike): Tensor;

  sum(axis?: Axis, keepDims?: boolean): Tensor;
  mean(axis?: Axis, keepDims?: boolean): Tensor;
  max(axis?: Axis, keepDims?: boolean): Tensor;
  min(axis?: Axis, keepDims?: boolean): Tensor;
  prod(axis?: Axis, keepDims?: boolean): Tensor;
  all(axis?: Axis, keepDims?: boolean): Tensor;
  any(axis?: Axis, keepDims?: boolean): Tensor;
  logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
  euclideanNorm(axis?: Axis, keepDims?: boolean): Tensor;
  norm(ord?: number | 'euclidean' | 'fro', axis?: Axis, keepDims?: boolean): Tensor;
  argMax(axis?: number): Tensor;
  argMin(axis?: number): Tensor;
  cumsum(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor;
  cumprod(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor;
  softmax(dim?: number): Tensor;
  logSoftmax(axis?: number): Tensor;
  leakyRelu(alpha?: number): Tensor;

  abs(): Tensor<R>;
  acos(): Tensor<R>;
  acosh(): Tensor<R>;
  asin(): Tensor<R>;
  asinh(): Tensor<R>;
  atan(): Tensor<R>;
  atanh(): Tensor<R>;
  ceil(): Tensor<R>;
  cos(): Tensor<R>;
  cosh(): Tensor<R>;
  elu(): Tensor<R>;
  erf(): Tensor<R>;
  exp(): Tensor<R>;
  expm1(): Tensor<R>;
  floor(): Tensor<R>;
  isFinite(): Tensor<R>;
  isInf(): Tensor<R>;
  isNaN(): Tensor<R>;
  log(): Tensor<R>;
  log1p(): Tensor<R>;
  logSigmoid(): Tensor<R>;
  logicalNot(): Tensor<R>;
  neg(): Tensor<R>;
  onesLike(): Tensor<R>;
  reciprocal(): Tensor<R>;
  relu(): Tensor<R>;
  relu6(): Tensor<R>;
  round(): Tensor<R>;
  rsqrt(): Tensor<R>;
  selu(): Tensor<R>;
  sigmoid(): Tensor<R>;
  sign(): Tensor<R>;
  sin(): Tensor<R>;
  sinh(): Tensor<R>;
  softplus(): Tensor<R>;
  sqrt(): Tensor<R>;
  square(): Tensor<R>;
  step(alpha?: number): Tensor<R>;
  tan(): Tensor<R>;
  tanh(): Tensor<R>;
  zerosLike(): Tensor<R>;

  avgPool(...args: unknown[]): Tensor;
  batchNorm(...args: unknown[]): Tensor;
  batchToSpaceND(...args: unknown[]): Tensor;
  conv1d(...args: unknown[]): Tensor;
  conv2d(...args: unknown[]): Tensor;
  conv2dTranspose(...args: unknown[]): Tensor;
  depthToSpace(...args: unknown[]): Tensor;
  depthwiseConv2d(...args: unknown[]): Tensor;
  dilation2d(...args: unknown[]): Tensor;
  fft(): Tensor;
  ifft(): Tensor;
  rfft(): Tensor;
  irfft(): Tensor;
  localResponseNormalization(...args: unknown[]): Tensor;
  maxPool(...args: unknown[]): Tensor;
  pool(...args: unknown[]): Tensor;
  resizeBilinear(...args: unknown[]): Tensor;
  resizeNearestNeighbor(...args: unknown[]): Tensor;
  separableConv2d(...args: unknown[]): Tensor;
  spaceToBatchND(...args: unknown[]): Tensor;
  unsortedSegmentSum(...args: unknown[]): Tensor;
}
export type Scalar = Tensor<Rank.R0>;
export type Tensor1D = Tensor<Rank.R1>;
export type Tensor2D = Tensor<Rank.R2>;
export type Tensor3D = Tensor<Rank.R3>;
export type Tensor4D = Tensor<Rank.R4>;
export type Tensor5D = Tensor<Rank.R5>;
export type Tensor6D = Tensor<Rank.R6>;

export declare class Variable<R extends Rank = Rank> extends Tensor<R> {
  name: string;
  trainable: boolean;
  assign(newValue: Tensor<R>): void;
}

export declare class TensorBuffer<R extends Rank = Rank, D extends DataType = 'float32'> {
  dtype: D;
  shape: ShapeMap[R];
  size: number;
  values: DataTypeMap[D];
  set(value: number | boolean | string, ...locs: number[]): void;
  get(...locs: number[]): number | boolean | string;
  toTensor(): Tensor<R>;
}

/** Objects, arrays, tensors and numbers that tf.data and `tf.tidy` carry around. */
export type TensorContainer = void | Tensor | string | number | boolean | TensorContainerObject | TensorContainerArray | Float32Array | Int32Array | Uint8Array;
export interface TensorContainerObject {
  [x: string]: TensorContainer;
}
export interface TensorContainerArray extends Array<TensorContainer> {}

// ---------------------------------------------------------------------------------------------
// creating tensors, memory, gradients

export declare function tensor<R extends Rank = Rank>(values: TensorLike, shape?: number[], dtype?: DataType): Tensor<R>;
export declare function scalar(value: ScalarLike, dtype?: DataType): Scalar;
export declare function tensor1d(values: TensorLike, dtype?: DataType): Tensor1D;
export declare function tensor2d(values: TensorLike, shape?: [number, number], dtype?: DataType): Tensor2D;
export declare function tensor3d(values: TensorLike, shape?: [number, number, number], dtype?: DataType): Tensor3D;
export declare function tensor4d(values: TensorLike, shape?: [number, number, number, number], dtype?: DataType): Tensor4D;
export declare function tensor5d(values: TensorLike, shape?: [number, number, number, number, number], dtype?: DataType): Tensor5D;
export declare function tensor6d(values: TensorLike, shape?: [number, number, number, number, number, number], dtype?: DataType): Tensor6D;
export declare function buffer<R extends Rank = Rank, D extends DataType = 'float32'>(shape: number[], dtype?: D, values?: DataTypeMap[D]): TensorBuffer<R, D>;
export declare function variable<R extends Rank = Rank>(initialValue: Tensor<R>, trainable?: boolean, name?: string, dtype?: DataType): Variable<R>;
export declare function zeros<R extends Rank = Rank>(shape: number[], dtype?: DataType): Tensor<R>;
export declare function ones<R extends Rank = Rank>(shape: number[], dtype?: DataType): Tensor<R>;
export declare function fill<R extends Rank = Rank>(shape: number[], value: number | string, dtype?: DataType): Tensor<R>;
export declare function eye(numRows: number, numColumns?: number, batchShape?: number[], dtype?: DataType): Tensor2D;
export declare function range(start: number, stop: number, step?: number, dtype?: 'float32' | 'int32'): Tensor1D;
export declare function linspace(start: number, stop: number, num: number): Tensor1D;
export declare function oneHot(indices: TensorOrLike, depth: number, onValue?: number, offValue?: number, dtype?: DataType): Tensor;
export declare function randomNormal<R extends Rank = Rank>(shape: number[], mean?: number, stdDev?: number, dtype?: 'float32' | 'int32', seed?: number): Tensor<R>;
export declare function randomStandardNormal<R extends Rank = Rank>(shape: number[], dtype?: 'float32' | 'int32', seed?: number): Tensor<R>;
export declare function randomUniform<R extends Rank = Rank>(shape: number[], minval?: number, maxval?: number, dtype?: DataType, seed?: number | string): Tensor<R>;
export declare function randomUniformInt<R extends Rank = Rank>(shape: number[], minval: number, maxval: number, seed?: number | string): Tensor<R>;
export declare function randomGamma<R extends Rank = Rank>(shape: number[], alpha: number, beta?: number, dtype?: 'float32' | 'int32', seed?: number): Tensor<R>;
export declare function truncatedNormal<R extends Rank = Rank>(shape: number[], mean?: number, stdDev?: number, dtype?: 'float32' | 'int32', seed?: number): Tensor<R>;
export declare function rand<R extends Rank = Rank>(shape: number[], randFunction: () => number, dtype?: DataType): Tensor<R>;
export declare function multinomial(logits: TensorOrLike, numSamples: number, seed?: number, normalized?: boolean): Tensor;

export declare function tidy<T extends TensorContainer>(nameOrFn: string | (() => T), fn?: () => T): T;
export declare function dispose(container: TensorContainer): void;
export declare function keep<T extends Tensor>(result: T): T;
export declare function disposeVariables(): void;
export declare function memory(): { numTensors: number; numDataBuffers: number; numBytes: number; unreliable?: boolean; reasons?: string[] };
export declare function time(f: () => void): Promise<{ wallMs: number; kernelMs: number | { error: string } }>;
export declare function profile(f: () => TensorContainer | Promise<TensorContainer>): Promise<{ newBytes: number; newTensors: number; peakBytes: number; kernels: unknown[]; result: TensorContainer; kernelNames: string[] }>;
export declare function nextFrame(): Promise<void>;
export declare function print(x: Tensor, verbose?: boolean): void;
export declare function clone<T extends Tensor>(x: T | TensorLike): T;

export declare function grad(f: (x: Tensor) => Tensor): (x: TensorOrLike, dy?: TensorOrLike) => Tensor;
export declare function grads(f: (...args: Tensor[]) => Tensor): (args: TensorOrLike[], dy?: TensorOrLike) => Tensor[];
export declare function valueAndGrad(f: (x: Tensor) => Scalar): (x: Tensor, dy?: Tensor) => { value: Scalar; grad: Tensor };
export declare function valueAndGrads(f: (...args: Tensor[]) => Scalar): (args: Tensor[], dy?: Tensor) => { value: Scalar; grads: Tensor[] };
export declare function variableGrads(f: () => Scalar, varList?: Variable[]): { value: Scalar; grads: NamedTensorMap };
export declare function customGrad<T extends Tensor>(f: (...args: Array<Tensor | ((save: (tensors: Tensor[]) => void) => void)>) => { value: T; gradFunc: (dy: T, saved: Tensor[]) => Tensor | Tensor[] }): (...args: Tensor[]) => T;

// backends and environment
export declare function ready(): Promise<void>;
export declare function getBackend(): string;
export declare function setBackend(backendName: string): Promise<boolean>;
export declare function backend(): KernelBackend;
export declare function findBackend(name: string): KernelBackend | null;
export declare function findBackendFactory(name: string): (() => KernelBackend | Promise<KernelBackend>) | null;
export declare function registerBackend(name: string, factory: () => KernelBackend | Promise<KernelBackend>, priority?: number): boolean;
export declare function removeBackend(name: string): void;
export declare function env(): Environment;
export declare function engine(): { readonly [name: string]: any };
export declare function enableProdMode(): void;
export declare function enableDebugMode(): void;
export declare function disableDeprecationWarnings(): void;
export declare function deprecationWarn(msg: string): void;
export declare function setPlatform(platformName: string, platform: object): void;
export declare function setWebGLContext(webGLVersion: number, gl: unknown): void;
export declare function forceHalfFloat(): void;
export declare class KernelBackend {
  numDataIds(): number;
  dispose(): void;
}
export declare class Environment {
  flags: { [flag: string]: number | boolean | string };
  get(flag: string): number | boolean | string;
  getBool(flag: string): boolean;
  getNumber(flag: string): number;
  set(flag: string, value: number | boolean | string): void;
  setFlags(flags: { [flag: string]: number | boolean | string }): void;
  [name: string]: any;
}
export declare const ENV: Environment;
export declare class DataStorage<T> {
  get(dataId: DataId): T;
  set(dataId: DataId, value: T): void;
  has(dataId: DataId): boolean;
  delete(dataId: DataId): boolean;
  numDataIds(): number;
}

// kernels and ops registration (for custom ops)
export declare function op<T extends (...args: any[]) => any>(f: { [name: string]: T }): T;
export declare function registerKernel(config: { kernelName: string; backendName: string; kernelFunc: (...args: any[]) => unknown; setupFunc?: (...args: any[]) => void; disposeFunc?: (...args: any[]) => void }): void;
export declare function unregisterKernel(kernelName: string, backendName: string): void;
export declare function getKernel(kernelName: string, backendName: string): { kernelName: string; backendName: string; kernelFunc: (...args: any[]) => unknown } | undefined;
export declare function getKernelsForBackend(backendName: string): Array<{ kernelName: string; backendName: string }>;
export declare function copyRegisteredKernels(registeredBackendName: string, newBackendName: string): void;
export declare function registerGradient(config: { kernelName: string; inputsToSave?: string[]; outputsToSave?: boolean[]; gradFunc: (...args: any[]) => unknown }): void;
export declare function unregisterGradient(kernelName: string): void;
export declare function getGradient(kernelName: string): { kernelName: string; gradFunc: (...args: any[]) => unknown } | undefined;
export declare function registerOp(name: string, opFunc: (...args: any[]) => unknown): void;
export declare function deregisterOp(name: string): void;
export declare function upcastType(typeA: DataType, typeB: DataType): DataType;
export declare function sumOutType(type: DataType): DataType;
export declare const OP_SCOPE_SUFFIX: string;

// ---------------------------------------------------------------------------------------------
// ops

type Unary = <T extends Tensor>(x: T | TensorLike) => T;
type Binary = <T extends Tensor>(a: Tensor | TensorLike, b: Tensor | TensorLike) => T;
type ReduceOp = <T extends Tensor>(x: Tensor | TensorLike, axis?: Axis, keepDims?: boolean) => T;
/** An op described by name only: tensors in, a tensor out. */
type Op = (...args: any[]) => Tensor;
/** An op described by name only whose result is not one tensor. */
type OpOther = (...args: any[]) => any;

export declare const abs: Unary, acos: Unary, acosh: Unary, asin: Unary, asinh: Unary, atan: Unary, atanh: Unary, ceil: Unary, cos: Unary, cosh: Unary;
export declare const elu: Unary, erf: Unary, exp: Unary, expm1: Unary, floor: Unary, isFinite: Unary, isInf: Unary, isNaN: Unary, log: Unary, log1p: Unary;
export declare const logSigmoid: Unary, logicalNot: Unary, neg: Unary, onesLike: Unary, reciprocal: Unary, relu: Unary, relu6: Unary, round: Unary, rsqrt: Unary;
export declare const selu: Unary, sigmoid: Unary, sign: Unary, sin: Unary, sinh: Unary, softplus: Unary, sqrt: Unary, square: Unary, tan: Unary, tanh: Unary, zerosLike: Unary;
export declare function step<T extends Tensor>(x: T | TensorLike, alpha?: number): T;
export declare function leakyRelu<T extends Tensor>(x: T | TensorLike, alpha?: number): T;
export declare function clipByValue<T extends Tensor>(x: T | TensorLike, clipValueMin: number, clipValueMax: number): T;
export declare function cast<T extends Tensor>(x: T | TensorLike, dtype: DataType): T;
export declare function softmax<T extends Tensor>(logits: T | TensorLike, dim?: number): T;
export declare function logSoftmax<T extends Tensor>(logits: T | TensorLike, axis?: number): T;

export declare const add: Binary, sub: Binary, mul: Binary, div: Binary, divNoNan: Binary, floorDiv: Binary, mod: Binary, pow: Binary, maximum: Binary, minimum: Binary;
export declare const squaredDifference: Binary, atan2: Binary, equal: Binary, notEqual: Binary, greater: Binary, greaterEqual: Binary, less: Binary, lessEqual: Binary;
export declare const logicalAnd: Binary, logicalOr: Binary, logicalXor: Binary, bitwiseAnd: Binary, prelu: Binary, dot: Binary, outerProduct: Binary;
export declare function addN<T extends Tensor>(tensors: Array<T | TensorLike>): T;
export declare function matMul<T extends Tensor>(a: Tensor | TensorLike, b: Tensor | TensorLike, transposeA?: boolean, transposeB?: boolean): T;

export declare const sum: ReduceOp, mean: ReduceOp, max: ReduceOp, min: ReduceOp, prod: ReduceOp, all: ReduceOp, any: ReduceOp, logSumExp: ReduceOp, euclideanNorm: ReduceOp;
export declare function norm(x: TensorOrLike, ord?: number | 'euclidean' | 'fro', axis?: Axis, keepDims?: boolean): Tensor;
export declare function argMax<T extends Tensor>(x: TensorOrLike, axis?: number): T;
export declare function argMin<T extends Tensor>(x: TensorOrLike, axis?: number): T;
export declare function moments(x: TensorOrLike, axis?: Axis, keepDims?: boolean): { mean: Tensor; variance: Tensor };
export declare function cumsum<T extends Tensor>(x: T | TensorLike, axis?: number, exclusive?: boolean, reverse?: boolean): T;
export declare function cumprod<T extends Tensor>(x: T | TensorLike, axis?: number, exclusive?: boolean, reverse?: boolean): T;

export declare function reshape<R extends Rank = Rank>(x: TensorOrLike, shape: number[]): Tensor<R>;
export declare function expandDims<T extends Tensor>(x: TensorOrLike, axis?: number): T;
export declare function squeeze<T extends Tensor>(x: TensorOrLike, axis?: number[]): T;
export declare function broadcastTo<R extends Rank = Rank>(x: TensorOrLike, shape: number[]): Tensor<R>;
export declare function tile<T extends Tensor>(x: T | TensorLike, reps: number[]): T;
export declare function transpose<T extends Tensor>(x: T | TensorLike, perm?: number[], conjugate?: boolean): T;
export declare function slice<T extends Tensor>(x: T | TensorLike, begin: number | number[], size?: number | number[]): T;
export declare function gather<T extends Tensor>(x: T | TensorLike, indices: TensorOrLike, axis?: number, batchDims?: number): T;
export declare function concat<T extends Tensor>(tensors: Array<T | TensorLike>, axis?: number): T;
export declare function stack<T extends Tensor>(tensors: Array<T | TensorLike>, axis?: number): Tensor;
export declare function unstack(x: TensorOrLike, axis?: number): Tensor[];
export declare function split<T extends Tensor>(x: T | TensorLike, numOrSizeSplits: number[] | number, axis?: number): T[];
export declare function reverse<T extends Tensor>(x: T | TensorLike, axis?: Axis): T;
export declare function pad<T extends Tensor>(x: T | TensorLike, paddings: Array<[number, number]>, constantValue?: number): T;
export declare function where<T extends Tensor>(condition: TensorOrLike, a: T | TensorLike, b: T | TensorLike): T;
export declare function whereAsync(condition: TensorOrLike): Promise<Tensor2D>;
export declare function topk<T extends Tensor>(x: T | TensorLike, k?: number, sorted?: boolean): { values: T; indices: T };
export declare function unique<T extends Tensor>(x: T | TensorLike, axis?: number): { values: T; indices: Tensor1D };
export declare function meshgrid<T extends Tensor>(x?: T | TensorLike, y?: T | TensorLike, options?: { indexing?: string }): T[];
export declare function booleanMaskAsync(tensor: TensorOrLike, mask: TensorOrLike, axis?: number): Promise<Tensor>;
export declare function setdiff1dAsync(x: TensorOrLike, y: TensorOrLike): Promise<[Tensor, Tensor]>;
export declare function inTopKAsync<T extends Tensor>(predictions: T | TensorLike, targets: TensorOrLike, k?: number): Promise<T>;
export declare function dropout(x: TensorOrLike, rate: number, noiseShape?: number[], seed?: number | string): Tensor;
export declare function ensureShape<R extends Rank = Rank>(x: Tensor<R>, shape: Array<number | null>): Tensor<R>;
export declare function basicLSTMCell(forgetBias: Scalar | number, lstmKernel: Tensor2D | TensorLike, lstmBias: Tensor1D | TensorLike, data: Tensor2D | TensorLike, c: Tensor2D | TensorLike, h: Tensor2D | TensorLike): [Tensor2D, Tensor2D];
export declare function multiRNNCell(lstmCells: Array<(data: Tensor2D, c: Tensor2D, h: Tensor2D) => [Tensor2D, Tensor2D]>, data: Tensor2D | TensorLike, c: Array<Tensor2D | TensorLike>, h: Array<Tensor2D | TensorLike>): [Tensor2D[], Tensor2D[]];
export declare function movingAverage<T extends Tensor>(v: T | TensorLike, x: T | TensorLike, decay: number | Scalar, step?: number | Scalar, zeroDebias?: boolean): T;
export declare function enclosingPowerOfTwo(value: number): number;
export declare function raggedGather(...args: any[]): { outputNestedSplits: Tensor[]; outputDenseValues: Tensor };
export declare function raggedRange(...args: any[]): { rtNestedSplits: Tensor; rtDenseValues: Tensor };
export declare function maxPoolWithArgmax(...args: any[]): { result: Tensor; indexes: Tensor };

export declare const avgPool: Op, avgPool3d: Op, batchNorm: Op, batchNorm2d: Op, batchNorm3d: Op, batchNorm4d: Op, batchToSpaceND: Op, bincount: Op, broadcastArgs: Op;
export declare const complex: Op, concat1d: Op, concat2d: Op, concat3d: Op, concat4d: Op, conv1d: Op, conv2d: Op, conv2dTranspose: Op, conv3d: Op, conv3dTranspose: Op;
export declare const cosineWindow: Op, denseBincount: Op, depthToSpace: Op, depthwiseConv2d: Op, diag: Op, dilation2d: Op, einsum: Op, fft: Op, gatherND: Op, ifft: Op, imag: Op;
export declare const irfft: Op, localResponseNormalization: Op, lowerBound: Op, maxPool: Op, maxPool3d: Op, mirrorPad: Op, pad1d: Op, pad2d: Op, pad3d: Op, pad4d: Op, pool: Op;
export declare const raggedTensorToTensor: Op, real: Op, reverse1d: Op, reverse2d: Op, reverse3d: Op, reverse4d: Op, rfft: Op, scatterND: Op, searchSorted: Op, separableConv2d: Op;
export declare const slice1d: Op, slice2d: Op, slice3d: Op, slice4d: Op, spaceToBatchND: Op, sparseToDense: Op, stridedSlice: Op, tensorScatterUpdate: Op, unsortedSegmentSum: Op, upperBound: Op;
/** Fused ops (matMul, conv2d, depthwiseConv2d with bias and activation). */
export declare const fused: { matMul: Op; conv2d: Op; depthwiseConv2d: Op };

export declare const image: {
  resizeBilinear: Op;
  resizeNearestNeighbor: Op;
  flipLeftRight: Op;
  grayscaleToRGB: Op;
  rgbToGrayscale: Op;
  rotateWithOffset: Op;
  cropAndResize: Op;
  threshold: Op;
  transform: Op;
  nonMaxSuppression: Op;
  nonMaxSuppressionAsync: (...args: any[]) => Promise<Tensor>;
  nonMaxSuppressionWithScore: OpOther;
  nonMaxSuppressionWithScoreAsync: OpOther;
  nonMaxSuppressionPadded: OpOther;
  nonMaxSuppressionPaddedAsync: OpOther;
};
export declare const linalg: { bandPart: Op; gramSchmidt: OpOther; qr: (x: Tensor, fullMatrices?: boolean) => [Tensor, Tensor] };
export declare const signal: { hammingWindow: Op; hannWindow: Op; frame: Op; stft: Op };
export declare const spectral: { fft: Op; ifft: Op; rfft: Op; irfft: Op };
export declare const sparse: { sparseFillEmptyRows: OpOther; sparseReshape: OpOther; sparseSegmentMean: Op; sparseSegmentSum: Op };
export declare const string: { stringNGrams: OpOther; stringSplit: OpOther; stringToHashBucketFast: Op; staticRegexReplace: Op };
export declare const math: { confusionMatrix: (labels: Tensor1D | TensorLike, predictions: Tensor1D | TensorLike, numClasses: number) => Tensor2D };

/** How `tf.losses` reduce a weighted loss. */
export declare enum Reduction {
  NONE = 0,
  MEAN = 1,
  SUM = 2,
  SUM_BY_NONZERO_WEIGHTS = 3,
}
type LossFn = (labels: TensorOrLike, predictions: TensorOrLike, weights?: TensorOrLike, reduction?: Reduction) => Tensor;
export declare namespace losses {
  const absoluteDifference: LossFn, hingeLoss: LossFn, meanSquaredError: LossFn;
  function computeWeightedLoss(losses: TensorOrLike, weights?: TensorOrLike, reduction?: Reduction): Tensor;
  function cosineDistance(labels: TensorOrLike, predictions: TensorOrLike, axis: number, weights?: TensorOrLike, reduction?: Reduction): Tensor;
  function huberLoss(labels: TensorOrLike, predictions: TensorOrLike, weights?: TensorOrLike, delta?: number, reduction?: Reduction): Tensor;
  function logLoss(labels: TensorOrLike, predictions: TensorOrLike, weights?: TensorOrLike, epsilon?: number, reduction?: Reduction): Tensor;
  function sigmoidCrossEntropy(multiClassLabels: TensorOrLike, logits: TensorOrLike, weights?: TensorOrLike, labelSmoothing?: number, reduction?: Reduction): Tensor;
  function softmaxCrossEntropy(onehotLabels: TensorOrLike, logits: TensorOrLike, weights?: TensorOrLike, labelSmoothing?: number, reduction?: Reduction): Tensor;
}

// ---------------------------------------------------------------------------------------------
// optimizers (LR Scope sets the learning rate of the one an experiment names)

export declare abstract class Optimizer {
  minimize(f: () => Scalar, returnCost?: boolean, varList?: Variable[]): Scalar | null;
  computeGradients(f: () => Scalar, varList?: Variable[]): { value: Scalar; grads: NamedTensorMap };
  applyGradients(variableGradients: NamedTensorMap | Array<{ name: string; tensor: Tensor }>): void;
  dispose(): void;
  getWeights(): Promise<Array<{ name: string; tensor: Tensor }>>;
  setWeights(weightValues: Array<{ name: string; tensor: Tensor }>): Promise<void>;
  getConfig(): { [key: string]: unknown };
  readonly iterations: number;
}
export declare class SGDOptimizer extends Optimizer {
  constructor(learningRate: number);
  setLearningRate(learningRate: number): void;
}
export declare class MomentumOptimizer extends SGDOptimizer {
  constructor(learningRate: number, momentum: number, useNesterov?: boolean);
  setMomentum(momentum: number): void;
}
export declare class AdamOptimizer extends Optimizer {
  constructor(learningRate: number, beta1: number, beta2: number, epsilon?: number);
}
export declare class AdamaxOptimizer extends Optimizer {
  constructor(learningRate: number, beta1: number, beta2: number, epsilon?: number, decay?: number);
}
export declare class AdagradOptimizer extends Optimizer {
  constructor(learningRate: number, initialAccumulatorValue?: number);
}
export declare class AdadeltaOptimizer extends Optimizer {
  constructor(learningRate: number, rho: number, epsilon?: number);
}
export declare class RMSPropOptimizer extends Optimizer {
  constructor(learningRate: number, decay?: number, momentum?: number, epsilon?: number, centered?: boolean);
}
export declare class OptimizerConstructors {
  static sgd(learningRate: number): SGDOptimizer;
  static momentum(learningRate: number, momentum: number, useNesterov?: boolean): MomentumOptimizer;
  static rmsprop(learningRate: number, decay?: number, momentum?: number, epsilon?: number, centered?: boolean): RMSPropOptimizer;
  static adam(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number): AdamOptimizer;
  static adadelta(learningRate?: number, rho?: number, epsilon?: number): AdadeltaOptimizer;
  static adamax(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number, decay?: number): AdamaxOptimizer;
  static adagrad(learningRate: number, initialAccumulatorValue?: number): AdagradOptimizer;
}
export declare const train: {
  sgd: typeof OptimizerConstructors.sgd;
  momentum: typeof OptimizerConstructors.momentum;
  rmsprop: typeof OptimizerConstructors.rmsprop;
  adam: typeof OptimizerConstructors.adam;
  adadelta: typeof OptimizerConstructors.adadelta;
  adamax: typeof OptimizerConstructors.adamax;
  adagrad: typeof OptimizerConstructors.adagrad;
};

// ---------------------------------------------------------------------------------------------
// layers and models

export type Shape = Array<number | null>;
export type ActivationIdentifier = 'elu' | 'hardSigmoid' | 'linear' | 'relu' | 'relu6' | 'selu' | 'sigmoid' | 'softmax' | 'softplus' | 'softsign' | 'tanh' | 'swish' | 'mish' | 'gelu' | 'gelu_new';
export type InitializerIdentifier = 'constant' | 'glorotNormal' | 'glorotUniform' | 'heNormal' | 'heUniform' | 'identity' | 'leCunNormal' | 'leCunUniform' | 'ones' | 'orthogonal' | 'randomNormal' | 'randomUniform' | 'truncatedNormal' | 'varianceScaling' | 'zeros' | string;
export type RegularizerIdentifier = 'l1l2' | string;
export type ConstraintIdentifier = 'maxNorm' | 'minMaxNorm' | 'nonNeg' | 'unitNorm' | string;

export declare class Initializer {
  apply(shape: Shape, dtype?: DataType): Tensor;
  getConfig(): { [key: string]: unknown };
}
export declare class Regularizer {
  apply(x: Tensor): Scalar;
}
export declare class Constraint {
  apply(w: Tensor): Tensor;
}

/** A tensor of the symbolic graph a functional model (`tf.model`) is built from. */
export declare class SymbolicTensor {
  readonly dtype: DataType;
  readonly shape: Shape;
  readonly name: string;
  readonly id: number;
  readonly rank: number;
}
export declare class InputSpec {
  constructor(args: { dtype?: DataType; shape?: Shape; ndim?: number; maxNDim?: number; minNDim?: number; axes?: { [axis: number]: number } });
}
export declare class LayerVariable {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DataType;
  trainable: boolean;
  read(): Variable;
  write(newVal: Tensor): this;
}

/** What every layer takes. */
export interface LayerArgs {
  inputShape?: Shape;
  batchInputShape?: Shape;
  batchSize?: number;
  dtype?: DataType;
  name?: string;
  trainable?: boolean;
  weights?: Tensor[];
  inputDType?: DataType;
}
interface KernelArgs {
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier | Initializer;
  biasInitializer?: InitializerIdentifier | Initializer;
  kernelRegularizer?: RegularizerIdentifier | Regularizer;
  biasRegularizer?: RegularizerIdentifier | Regularizer;
  activityRegularizer?: RegularizerIdentifier | Regularizer;
  kernelConstraint?: ConstraintIdentifier | Constraint;
  biasConstraint?: ConstraintIdentifier | Constraint;
}
export interface DenseLayerArgs extends LayerArgs, KernelArgs {
  units: number;
  inputDim?: number;
}
export interface ConvLayerArgs extends LayerArgs, KernelArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: 'valid' | 'same' | 'causal';
  dataFormat?: 'channelsFirst' | 'channelsLast';
  dilationRate?: number | [number] | [number, number] | [number, number, number];
}
export interface PoolingLayerArgs extends LayerArgs {
  poolSize?: number | number[];
  strides?: number | number[];
  padding?: 'valid' | 'same' | 'causal';
  dataFormat?: 'channelsFirst' | 'channelsLast';
}
export interface RNNLayerArgs extends LayerArgs, KernelArgs {
  units: number;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  stateful?: boolean;
  unroll?: boolean;
  dropout?: number;
  recurrentDropout?: number;
  recurrentActivation?: ActivationIdentifier;
  recurrentInitializer?: InitializerIdentifier | Initializer;
  recurrentRegularizer?: RegularizerIdentifier | Regularizer;
  recurrentConstraint?: ConstraintIdentifier | Constraint;
  unitForgetBias?: boolean;
  implementation?: number;
  resetAfter?: boolean;
}
/** A layer described by name only: its own arguments besides the common ones. */
type AnyLayerArgs = LayerArgs & { [arg: string]: unknown };
type LayerFn<A = AnyLayerArgs> = (args?: A) => layers.Layer;

export declare namespace layers {
  class Layer {
    name: string;
    trainable: boolean;
    built: boolean;
    readonly inputSpec: InputSpec[];
    readonly trainableWeights: LayerVariable[];
    readonly nonTrainableWeights: LayerVariable[];
    readonly weights: LayerVariable[];
    readonly losses: Scalar[];
    readonly input: SymbolicTensor | SymbolicTensor[];
    readonly output: SymbolicTensor | SymbolicTensor[];
    readonly outputShape: Shape | Shape[];
    constructor(args?: LayerArgs);
    apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], kwargs?: { [key: string]: unknown }): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
    call(inputs: Tensor | Tensor[], kwargs: { [key: string]: unknown }): Tensor | Tensor[];
    build(inputShape: Shape | Shape[]): void;
    computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[];
    addWeight(name: string, shape: Shape, dtype?: DataType, initializer?: Initializer, regularizer?: Regularizer, trainable?: boolean, constraint?: Constraint): LayerVariable;
    countParams(): number;
    getWeights(trainableOnly?: boolean): Tensor[];
    setWeights(weights: Tensor[]): void;
    getConfig(): { [key: string]: unknown };
    dispose(): { refCountAfterDispose: number; numDisposedVariables: number };
  }
  class RNNCell extends Layer {
    stateSize: number | number[];
  }
  class RNN extends Layer {
    readonly cell: RNNCell;
    resetStates(states?: Tensor | Tensor[], training?: boolean): void;
  }

  function dense(args: DenseLayerArgs): Layer;
  function conv1d(args: ConvLayerArgs): Layer;
  function conv2d(args: ConvLayerArgs): Layer;
  function conv3d(args: ConvLayerArgs): Layer;
  function conv2dTranspose(args: ConvLayerArgs): Layer;
  function conv3dTranspose(args: ConvLayerArgs): Layer;
  function separableConv2d(args: ConvLayerArgs & { depthMultiplier?: number; depthwiseInitializer?: InitializerIdentifier | Initializer; pointwiseInitializer?: InitializerIdentifier | Initializer }): Layer;
  function depthwiseConv2d(args: Omit<ConvLayerArgs, 'filters'> & { depthMultiplier?: number; depthwiseInitializer?: InitializerIdentifier | Initializer }): Layer;
  function maxPooling1d(args?: PoolingLayerArgs): Layer;
  function maxPooling2d(args?: PoolingLayerArgs): Layer;
  function maxPooling3d(args?: PoolingLayerArgs): Layer;
  function averagePooling1d(args?: PoolingLayerArgs): Layer;
  function averagePooling2d(args?: PoolingLayerArgs): Layer;
  function averagePooling3d(args?: PoolingLayerArgs): Layer;
  const maxPool1d: typeof maxPooling1d, maxPool2d: typeof maxPooling2d, avgPool1d: typeof averagePooling1d, avgPool2d: typeof averagePooling2d, avgPool3d: typeof averagePooling3d;
  const avgPooling1d: typeof averagePooling1d, avgPooling2d: typeof averagePooling2d, avgPooling3d: typeof averagePooling3d;
  function globalAveragePooling1d(args?: LayerArgs): Layer;
  function globalAveragePooling2d(args?: LayerArgs & { dataFormat?: 'channelsFirst' | 'channelsLast' }): Layer;
  function globalMaxPooling1d(args?: LayerArgs): Layer;
  function globalMaxPooling2d(args?: LayerArgs & { dataFormat?: 'channelsFirst' | 'channelsLast' }): Layer;
  const globalMaxPool1d: typeof globalMaxPooling1d, globalMaxPool2d: typeof globalMaxPooling2d;
  function flatten(args?: LayerArgs & { dataFormat?: 'channelsFirst' | 'channelsLast' }): Layer;
  function dropout(args: LayerArgs & { rate: number; noiseShape?: number[]; seed?: number }): Layer;
  function spatialDropout1d(args: LayerArgs & { rate: number; seed?: number }): Layer;
  function batchNormalization(args?: LayerArgs & { axis?: number; momentum?: number; epsilon?: number; center?: boolean; scale?: boolean; [arg: string]: unknown }): Layer;
  function layerNormalization(args?: LayerArgs & { axis?: number | number[]; epsilon?: number; center?: boolean; scale?: boolean; [arg: string]: unknown }): Layer;
  function embedding(args: LayerArgs & { inputDim: number; outputDim: number; embeddingsInitializer?: InitializerIdentifier | Initializer; maskZero?: boolean; inputLength?: number | number[]; [arg: string]: unknown }): Layer;
  function reshape(args: LayerArgs & { targetShape: Shape }): Layer;
  function permute(args: LayerArgs & { dims: number[] }): Layer;
  function repeatVector(args: LayerArgs & { n: number }): Layer;
  function activation(args: LayerArgs & { activation: ActivationIdentifier }): Layer;
  function lstm(args: RNNLayerArgs): RNN;
  function gru(args: RNNLayerArgs): RNN;
  function simpleRNN(args: RNNLayerArgs): RNN;
  function lstmCell(args: RNNLayerArgs): RNNCell;
  function gruCell(args: RNNLayerArgs): RNNCell;
  function simpleRNNCell(args: RNNLayerArgs): RNNCell;
  function rnn(args: LayerArgs & { cell: RNNCell | RNNCell[]; returnSequences?: boolean; returnState?: boolean; [arg: string]: unknown }): RNN;
  function stackedRNNCells(args: LayerArgs & { cells: RNNCell[] }): RNNCell;
  function bidirectional(args: LayerArgs & { layer: RNN; mergeMode?: 'sum' | 'mul' | 'concat' | 'ave' }): Layer;
  function timeDistributed(args: LayerArgs & { layer: Layer }): Layer;
  function input(config: { shape?: Shape; batchShape?: Shape; name?: string; dtype?: DataType; sparse?: boolean }): SymbolicTensor;
  function inputLayer(args: { inputShape?: Shape; batchInputShape?: Shape; batchSize?: number; dtype?: DataType; name?: string; sparse?: boolean }): Layer;
  const add: LayerFn, average: LayerFn, concatenate: LayerFn<AnyLayerArgs & { axis?: number }>, maximum: LayerFn, minimum: LayerFn, multiply: LayerFn, dot: LayerFn<AnyLayerArgs & { axes: number | [number, number]; normalize?: boolean }>;
  const elu: LayerFn, leakyReLU: LayerFn<AnyLayerArgs & { alpha?: number }>, prelu: LayerFn, reLU: LayerFn<AnyLayerArgs & { maxValue?: number }>, softmax: LayerFn<AnyLayerArgs & { axis?: number }>, thresholdedReLU: LayerFn;
  const alphaDropout: LayerFn, gaussianDropout: LayerFn, gaussianNoise: LayerFn, masking: LayerFn, cropping2D: LayerFn, upSampling2d: LayerFn, zeroPadding2d: LayerFn;
  const convLstm2d: LayerFn, convLstm2dCell: LayerFn, categoryEncoding: LayerFn, centerCrop: LayerFn, randomWidth: LayerFn, rescaling: LayerFn, resizing: LayerFn;
}

/** `tf.RNN` is `tf.layers.RNN`. */
export import RNN = layers.RNN;

export interface ModelCompileArgs {
  optimizer: string | Optimizer;
  loss: string | string[] | { [outputName: string]: string } | LossOrMetricFn | LossOrMetricFn[] | { [outputName: string]: LossOrMetricFn };
  metrics?: string | LossOrMetricFn | Array<string | LossOrMetricFn> | { [outputName: string]: string | LossOrMetricFn };
}
export type LossOrMetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;
export interface Logs {
  [key: string]: number;
}
export type CustomCallbackArgs = {
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs?: Logs) => void | Promise<void>;
  onYield?: (epoch: number, batch: number, logs: Logs) => void | Promise<void>;
};
export interface ModelFitArgs {
  batchSize?: number;
  epochs?: number;
  verbose?: 0 | 1 | 2;
  callbacks?: BaseCallback[] | CustomCallbackArgs | CustomCallbackArgs[];
  validationSplit?: number;
  validationData?: [Tensor | Tensor[], Tensor | Tensor[]] | [Tensor | Tensor[], Tensor | Tensor[], Tensor | Tensor[]];
  shuffle?: boolean;
  classWeight?: { [classIndex: string]: number };
  sampleWeight?: Tensor;
  initialEpoch?: number;
  stepsPerEpoch?: number;
  validationSteps?: number;
  yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number;
}
export interface ModelFitDatasetArgs<T> {
  batchesPerEpoch?: number;
  epochs: number;
  verbose?: 0 | 1 | 2;
  callbacks?: BaseCallback[] | CustomCallbackArgs | CustomCallbackArgs[];
  validationData?: [Tensor | Tensor[], Tensor | Tensor[]] | data.Dataset<T>;
  validationBatchSize?: number;
  validationBatches?: number;
  yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number;
  initialEpoch?: number;
  classWeight?: { [classIndex: string]: number };
}
export interface SaveResult {
  modelArtifactsInfo: { dateSaved: Date; modelTopologyType: 'JSON' | 'GraphDef'; modelTopologyBytes?: number; weightSpecsBytes?: number; weightDataBytes?: number };
  responses?: unknown[];
  errors?: unknown[];
}

export declare class LayersModel extends layers.Layer {
  readonly layers: layers.Layer[];
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  readonly inputNames: string[];
  readonly outputNames: string[];
  optimizer: Optimizer;
  loss: string | string[] | LossOrMetricFn | LossOrMetricFn[] | { [outputName: string]: string | LossOrMetricFn };
  metricsNames: string[];
  stopTraining: boolean;
  history: History;
  compile(args: ModelCompileArgs): void;
  fit(x: Tensor | Tensor[] | { [inputName: string]: Tensor }, y: Tensor | Tensor[] | { [inputName: string]: Tensor }, args?: ModelFitArgs): Promise<History>;
  fitDataset<T>(dataset: data.Dataset<T>, args: ModelFitDatasetArgs<T>): Promise<History>;
  evaluate(x: Tensor | Tensor[], y: Tensor | Tensor[], args?: { batchSize?: number; verbose?: 0 | 1 | 2; sampleWeight?: Tensor; steps?: number }): Scalar | Scalar[];
  evaluateDataset<T>(dataset: data.Dataset<T>, args?: { batches?: number; verbose?: 0 | 1 | 2 }): Promise<Scalar | Scalar[]>;
  predict(x: Tensor | Tensor[], args?: { batchSize?: number; verbose?: boolean }): Tensor | Tensor[];
  predictOnBatch(x: Tensor | Tensor[]): Tensor | Tensor[];
  trainOnBatch(x: Tensor | Tensor[] | { [inputName: string]: Tensor }, y: Tensor | Tensor[] | { [inputName: string]: Tensor }): Promise<number | number[]>;
  execute(inputs: Tensor | Tensor[] | NamedTensorMap, outputs: string | string[]): Tensor | Tensor[];
  getLayer(name?: string, index?: number): layers.Layer;
  summary(lineLength?: number, positions?: number[], printFn?: (message?: unknown, ...optionalParams: unknown[]) => void): void;
  save(handlerOrURL: string | object, config?: { trainableOnly?: boolean; includeOptimizer?: boolean }): Promise<SaveResult>;
  getUserDefinedMetadata(): {} | undefined;
  setUserDefinedMetadata(userDefinedMetadata: {}): void;
}
export declare class Sequential extends LayersModel {
  constructor(args?: { layers?: layers.Layer[]; name?: string });
  add(layer: layers.Layer): void;
  pop(): void;
}
export declare function sequential(config?: { layers?: layers.Layer[]; name?: string }): Sequential;
export declare function model(args: { inputs: SymbolicTensor | SymbolicTensor[]; outputs: SymbolicTensor | SymbolicTensor[]; name?: string }): LayersModel;
export declare function input(config: { shape?: Shape; batchShape?: Shape; name?: string; dtype?: DataType; sparse?: boolean }): SymbolicTensor;
export declare function loadLayersModel(pathOrIOHandler: string | object, options?: { [option: string]: unknown }): Promise<LayersModel>;
export declare function loadGraphModel(modelUrl: string | object, options?: { [option: string]: unknown }): Promise<GraphModel>;
export declare function loadGraphModelSync(modelSource: object): GraphModel;
export declare function registerCallbackConstructor(verbosityLevel: number, callbackConstructor: new (...args: any[]) => BaseCallback): void;
export declare class GraphModel {
  readonly inputNodes: string[];
  readonly outputNodes: string[];
  predict(inputs: Tensor | Tensor[] | NamedTensorMap, config?: object): Tensor | Tensor[] | NamedTensorMap;
  execute(inputs: Tensor | Tensor[] | NamedTensorMap, outputs?: string | string[]): Tensor | Tensor[];
  executeAsync(inputs: Tensor | Tensor[] | NamedTensorMap, outputs?: string | string[]): Promise<Tensor | Tensor[]>;
  dispose(): void;
}
export declare const models: { modelFromJSON(modelAndWeightsConfig: object, customObjects?: object): Promise<LayersModel> };

// callbacks
export declare abstract class BaseCallback {
  validationData: Tensor | Tensor[] | null;
  params: { [key: string]: unknown };
  setParams(params: { [key: string]: unknown }): void;
  onEpochBegin(epoch: number, logs?: Logs): Promise<void>;
  onEpochEnd(epoch: number, logs?: Logs): Promise<void>;
  onBatchBegin(batch: number, logs?: Logs): Promise<void>;
  onBatchEnd(batch: number, logs?: Logs): Promise<void>;
  onTrainBegin(logs?: Logs): Promise<void>;
  onTrainEnd(logs?: Logs): Promise<void>;
  setModel(model: LayersModel): void;
}
export declare class Callback extends BaseCallback {
  model: LayersModel;
}
export declare class CustomCallback extends BaseCallback {
  constructor(args: CustomCallbackArgs, yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number);
}
export declare class CallbackList {
  callbacks: BaseCallback[];
  constructor(callbacks?: BaseCallback[], queueLength?: number);
  append(callback: BaseCallback): void;
}
export declare class EarlyStopping extends Callback {
  constructor(args?: EarlyStoppingArgs);
}
export interface EarlyStoppingArgs {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  verbose?: number;
  mode?: 'auto' | 'min' | 'max';
  baseline?: number;
  restoreBestWeights?: boolean;
}
export declare class History extends BaseCallback {
  epoch: number[];
  history: { [key: string]: Array<number | Tensor> };
}
export declare const callbacks: { earlyStopping(args?: EarlyStoppingArgs): EarlyStopping };

type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;
export declare namespace metrics {
  const binaryAccuracy: MetricFn, binaryCrossentropy: MetricFn, categoricalAccuracy: MetricFn, categoricalCrossentropy: MetricFn, cosineProximity: MetricFn;
  const meanAbsoluteError: MetricFn, meanAbsolutePercentageError: MetricFn, MAPE: MetricFn, mape: MetricFn, meanSquaredError: MetricFn, MSE: MetricFn, mse: MetricFn;
  const precision: MetricFn, recall: MetricFn, r2Score: MetricFn, sparseCategoricalAccuracy: MetricFn;
}
export declare namespace initializers {
  function constant(args: { value: number }): Initializer;
  function zeros(): Initializer;
  function ones(): Initializer;
  function identity(args: { gain?: number }): Initializer;
  function randomNormal(args: { mean?: number; stddev?: number; seed?: number }): Initializer;
  function randomUniform(args: { minval?: number; maxval?: number; seed?: number }): Initializer;
  function truncatedNormal(args: { mean?: number; stddev?: number; seed?: number }): Initializer;
  function orthogonal(args: { gain?: number; seed?: number }): Initializer;
  function varianceScaling(args: { scale?: number; mode?: 'fanIn' | 'fanOut' | 'fanAvg'; distribution?: 'normal' | 'uniform' | 'truncatedNormal'; seed?: number }): Initializer;
  function glorotNormal(args?: { seed?: number }): Initializer;
  function glorotUniform(args?: { seed?: number }): Initializer;
  function heNormal(args?: { seed?: number }): Initializer;
  function heUniform(args?: { seed?: number }): Initializer;
  function leCunNormal(args?: { seed?: number }): Initializer;
  function leCunUniform(args?: { seed?: number }): Initializer;
}
export declare namespace regularizers {
  function l1(config?: { l1?: number }): Regularizer;
  function l2(config?: { l2?: number }): Regularizer;
  function l1l2(config?: { l1?: number; l2?: number }): Regularizer;
}
export declare namespace constraints {
  function maxNorm(args: { maxValue?: number; axis?: number }): Constraint;
  function minMaxNorm(args: { minValue?: number; maxValue?: number; axis?: number; rate?: number }): Constraint;
  function nonNeg(): Constraint;
  function unitNorm(args: { axis?: number }): Constraint;
}

// ---------------------------------------------------------------------------------------------
// tf.data

export declare namespace data {
  /** An ordered, lazily evaluated collection of elements (batched `{xs, ys}` for an experiment). */
  class Dataset<T> {
    readonly size: number;
    batch(batchSize: number, smallLastBatch?: boolean): Dataset<T>;
    concatenate(dataset: Dataset<T>): Dataset<T>;
    filter(predicate: (value: T) => boolean): Dataset<T>;
    forEachAsync(f: (input: T) => void): Promise<void>;
    map<O>(transform: (value: T) => O): Dataset<O>;
    mapAsync<O>(transform: (value: T) => Promise<O>): Dataset<O>;
    prefetch(bufferSize: number): Dataset<T>;
    repeat(count?: number): Dataset<T>;
    skip(count: number): Dataset<T>;
    shuffle(bufferSize: number, seed?: string, reshuffleEachIteration?: boolean): Dataset<T>;
    take(count: number): Dataset<T>;
    toArray(): Promise<T[]>;
    toArrayForTest(): Promise<T[]>;
    iterator(): Promise<{ next(): Promise<IteratorResult<T>> }>;
  }
  class CSVDataset extends Dataset<TensorContainer> {
    columnNames(): Promise<string[]>;
  }
  class TextLineDataset extends Dataset<string> {}
  class FileDataSource {
    constructor(input: string | Uint8Array, options?: { chunkSize?: number });
  }
  class URLDataSource {
    constructor(url: string, fileOptions?: { chunkSize?: number });
  }
  function array<T>(items: T[]): Dataset<T>;
  function generator<T>(generator: () => Iterator<T> | Promise<Iterator<T>> | AsyncIterator<T>): Dataset<T>;
  function func<T>(f: () => IteratorResult<T> | Promise<IteratorResult<T>>): Dataset<T>;
  function zip<O>(datasets: Dataset<unknown>[] | { [key: string]: Dataset<unknown> }): Dataset<O>;
  function csv(source: string, csvConfig?: { hasHeader?: boolean; columnNames?: string[]; columnConfigs?: { [key: string]: { required?: boolean; dtype?: DataType; default?: TensorContainer; isLabel?: boolean } }; configuredColumnsOnly?: boolean; delimiter?: string; delimWhitespace?: boolean }): CSVDataset;
  function webcam(webcamVideoElement?: unknown, webcamConfig?: object): Promise<unknown>;
  function microphone(microphoneConfig?: object): Promise<unknown>;
  const version_data: string;
}

// ---------------------------------------------------------------------------------------------
// utilities and library internals

export declare const util: {
  shuffle(array: unknown[] | TypedArray): void;
  shuffleCombo(array: unknown[] | TypedArray, array2: unknown[] | TypedArray): void;
  createShuffledIndices(n: number): Uint32Array;
  sizeFromShape(shape: number[]): number;
  flatten<T extends number | boolean | string | Promise<number> | TypedArray>(arr: T | RecursiveArray<T>, result?: T[], skipTypedArray?: boolean): T[];
  assert(expr: boolean, msg: () => string): void;
  now(): number;
  clamp(min: number, x: number, max: number): number;
  arraysEqual(n1: ArrayLike<unknown>, n2: ArrayLike<unknown>): boolean;
  /** The rest of tf.util, not described here. */
  readonly [name: string]: any;
};
/** Model saving and loading (`model.save('file://…')` needs none of it). */
export declare const io: { readonly [name: string]: any };
export declare const browser: { readonly [name: string]: any };
export declare const serialization: {
  Serializable: abstract new (...args: any[]) => { getClassName(): string; getConfig(): { [key: string]: unknown } };
  SerializationMap: { readonly [name: string]: any };
  registerClass(cls: object, pkg?: string, name?: string): object;
  getRegisteredName(cls: object): string;
};
export declare const version: { 'tfjs-core': string; 'tfjs-backend-cpu': string; 'tfjs-backend-webgl': string; 'tfjs-data': string; 'tfjs-layers': string; 'tfjs-converter': string; tfjs: string };
export declare const version_core: string, version_layers: string, version_converter: string, version_cpu: string, version_webgl: string;

/** Backend internals, not described here. */
type Internals = { readonly [name: string]: any };
export declare const backend_util: Internals, broadcast_util: Internals, device_util: Internals, gather_util: Internals, kernel_impls: Internals, scatter_util: Internals;
export declare const slice_util: Internals, tensor_util: Internals, test_util: Internals, webgl: Internals, webgl_util: Internals, gpgpu_util: Internals, shared: Internals;
export declare class MathBackendCPU extends KernelBackend {}
export declare class MathBackendWebGL extends KernelBackend {}
export declare class GPGPUContext {
  dispose(): void;
}
