// Optimises WASM modules in place with npm's binaryen (132), as
// `wasm-opt -O1 --enable-bulk-memory --enable-nontrapping-float-to-int`
// would, byte for byte, but in one process: the front end is a main module
// and about a hundred chunks, and each run of npm's wasm-opt command costs
// over a second before it starts (156 s for the chunks, 8 s this way).
//
// -O1 rather than cargo-leptos' -Oz: on these modules it compresses better
// (the main module 447 KB gzip against 475 KB; -Oz's inlining makes longer
// but less repetitive code) and runs three times faster
// (docs/performance.md, "WASM bundle").
//
//   node scripts/wasm-opt.mjs FILE.wasm...
import binaryen from "binaryen";
import { readFileSync, writeFileSync } from "node:fs";

binaryen.setOptimizeLevel(1);
binaryen.setShrinkLevel(0);
const features = binaryen.Features.BulkMemory | binaryen.Features.NontrappingFPToInt;
for (const file of process.argv.slice(2)) {
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(module.getFeatures() | features);
  if (!module.validate()) {
    console.error(`${file}: not a valid module`);
    process.exit(1);
  }
  module.optimize();
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
