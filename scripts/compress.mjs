// Compresses the site's files once, at build time, as hard as brotli and
// gzip go (FILE.br at quality 11, FILE.gz at level 9), for the server to
// send as they are (`tower_http::services::ServeDir`, precompressed):
// on-the-fly compression has to be quick (tower-http's brotli runs at
// quality 4), and the main module came out at 426 KB that way against
// 350 KB at quality 11 (docs/performance.md, "WASM bundle"). Node's own
// zlib, no package.
//
//   node scripts/compress.mjs FILE...
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { readFileSync, writeFileSync } from "node:fs";

for (const file of process.argv.slice(2)) {
  const raw = readFileSync(file);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
}
