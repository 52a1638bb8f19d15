// L2 normalisation of embeddings. Shoebox stores and compares unit vectors (scores are dot products),
// and normalises every model output itself, whether or not the model already did (docs/DESIGN.md).

/** Scales `v` in place to unit length; a zero vector stays zero. Throws on NaN/Infinity. */
export function l2normalizeInPlace(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number);
  if (!Number.isFinite(sum)) throw new Error('The model produced an embedding with NaN or infinite values');
  if (sum === 0) return v;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
  return v;
}
