// @ts-check
//! Counts the bytes of the GPU buffers alive on every WebGPU device of this realm, by wrapping
//! `GPUDevice.createBuffer` and `GPUBuffer.destroy` (wgpu destroys a buffer when Burn drops it).
//! WebGPU has no query for a device's memory use; this is how the bench sees whether training
//! leaks GPU memory. Only the bench installs it.

/**
 * @returns {(() => number) | null} the live bytes now; null without WebGPU
 */
export function trackGpuBuffers() {
  const Device = /** @type {any} */ (globalThis).GPUDevice;
  const Buffer = /** @type {any} */ (globalThis).GPUBuffer;
  if (!Device || !Buffer) return null;
  let live = 0;
  /** @type {WeakMap<object, number>} */
  const sizes = new WeakMap();
  const create = Device.prototype.createBuffer;
  Device.prototype.createBuffer = function (/** @type {GPUBufferDescriptor} */ descriptor) {
    const buffer = create.call(this, descriptor);
    live += descriptor.size;
    sizes.set(buffer, descriptor.size);
    return buffer;
  };
  const destroy = Buffer.prototype.destroy;
  Buffer.prototype.destroy = function () {
    const size = sizes.get(this);
    if (size !== undefined) {
      live -= size;
      sizes.delete(this);
    }
    return destroy.call(this);
  };
  return () => live;
}
