/**
 * tfjs-backend-wasm allocates every tensor with `_malloc` and uses the address
 * without checking it. When the heap cannot grow any more (wasm32: 4 GiB),
 * `_malloc` returns 0 and the next kernel writes its output over the heap from
 * address 0: emscripten's and the worker threads' state are overwritten, and a
 * training step never returns (seen with ResNet-50 steps at 224 px too large for
 * the heap) or fails later with "memory access out of bounds". Sizes of 4 GiB and
 * more wrap to a small size on the way into wasm instead. This turns both into
 * an Error at the allocation, before anything is written.
 */
import type { WasmBackend } from './wasm-ops';

const MiB = 2 ** 20;
const guarded = new WeakSet<object>();

interface MallocModule {
  _malloc(bytes: number): number;
  HEAPU8: Uint8Array;
}

/** Make the wasm backend's allocations throw when they fail instead of returning address 0. Idempotent. */
export function guardWasmHeap(backend: WasmBackend): void {
  const wasm = backend.wasm as unknown as MallocModule;
  if (guarded.has(wasm)) return;
  let malloc = wasm._malloc;
  const checked = (bytes: number) => {
    const address = bytes < 2 ** 32 ? malloc(bytes) : 0;
    if (address === 0 && bytes > 0) throw new Error(outOfMemory(bytes, wasm.HEAPU8.length));
    return address;
  };
  // Emscripten's `_malloc` is a stub that replaces itself with the wasm export on
  // its first call: keep whatever is assigned as the function we check.
  Object.defineProperty(wasm, '_malloc', {
    configurable: true,
    enumerable: true,
    get: () => checked,
    set: (f: MallocModule['_malloc']) => {
      malloc = f;
    },
  });
  guarded.add(wasm);
}

function outOfMemory(bytes: number, heapBytes: number): string {
  return (
    `wasm backend: out of memory: cannot allocate ${(bytes / MiB).toFixed(1)} MiB for a tensor; ` +
    `the heap holds ${Math.round(heapBytes / MiB)} MiB and cannot grow past 4 GiB (wasm32). ` +
    'Use a smaller batch or image size, or recompute activations in backprop (`recompute`; ResNets: `{ recompute: true }`)'
  );
}
