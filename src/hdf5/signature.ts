// The eight bytes every HDF5 file starts with (after any user block): the one copy kerascope keeps.

export const HDF5_SIGNATURE: readonly number[] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `head` starts with the HDF5 signature. */
export function isHdf5Signature(head: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => head[i] === b);
}
