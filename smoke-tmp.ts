import { openClipModel } from '/work/main/electron/core/clip/clip-model.js';
import { createInferenceClient } from '/work/main/electron/core/clip/inference-client.js';
for (const dir of ['test/fixtures/onnx/tiny-dynamic', 'test/fixtures/onnx/tiny-fixed']) {
  const m = await openClipModel(dir);
  console.log(m.info());
  const px = [0,1,2].map(k => Float32Array.from({length: 3*32*32}, (_, i) => Math.sin(i*0.01+k)));
  const e = await m.image.encode(px);
  const t = await m.text.encode(['a dog', 'a cat', 'a photo of a dog']);
  console.log(e.map(v => v.slice(0,3)), t.map(v => v.slice(0,3)));
  await m.close();
  const c = await createInferenceClient({ modelDir: dir, provider: 'cuda' });
  console.log(c.info());
  const e2 = await c.encodeImages(px.map(p => p.slice()));
  console.log(e2.map(v => v.slice(0,3)));
  await c.close();
}
