// Times libvips, through sharp (which bundles it), on the same photos and cases as
// io.stillwater.bench.EngineBenchmark: decode, auto-orient, resize, encode, in this process, from
// bytes in memory to bytes in memory.
//
//   cd bench/sharp && npm ci && node bench.js ../photos/Kleiber_by_Lukas_Baubkus.jpg ...
//
// RUNS (default 15) timed runs per case after WARMUP (default 3). libvips runs each image on one
// thread (sharp.concurrency(1)); images/s on 2 threads runs two images at a time.
'use strict';
const fs = require('fs');
const path = require('path');
const sharp = require('sharp');

const runs = Number(process.env.RUNS || 15);
const warmup = Number(process.env.WARMUP || 3);
sharp.concurrency(1);
sharp.cache(false);

const cases = [
  ['jpeg 1024 inside q80', (b) => sharp(b).rotate().resize(1024, 1024, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 80 })],
  ['jpeg 256 cover q80', (b) => sharp(b).rotate().resize(256, 256, { fit: 'cover', withoutEnlargement: true }).jpeg({ quality: 80 })],
  ['webp 1024 inside q80', (b) => sharp(b).rotate().resize(1024, 1024, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 })],
];

function pct(sorted, p) {
  const i = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
}

async function throughput(source, make, threads, images) {
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next++ < images) await make(source).toBuffer();
  };
  await Promise.all(Array.from({ length: threads }, worker));
  return images / (Number(process.hrtime.bigint() - start) / 1e9);
}

(async () => {
  console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, node ${process.version}, ${require('os').cpus().length} cores`);
  let peakRss = 0;
  for (const file of process.argv.slice(2)) {
    const source = fs.readFileSync(file);
    const meta = await sharp(source).metadata();
    const mp = (meta.width * meta.height) / 1e6;
    for (const [name, make] of cases) {
      for (let i = 0; i < warmup; i++) await make(source).toBuffer();
      const times = [];
      for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        await make(source).toBuffer();
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
      times.sort((a, b) => a - b);
      const one = await throughput(source, make, 1, Math.max(4, Math.ceil(runs / 2)));
      const two = await throughput(source, make, 2, Math.max(8, runs));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      console.log(`${path.basename(file).padEnd(34)} ${mp.toFixed(1).padStart(5)} MP  ${name.padEnd(22)} `
        + `median ${pct(times, 50).toFixed(0).padStart(5)} ms  min ${times[0].toFixed(0).padStart(5)}  p95 ${pct(times, 95).toFixed(0).padStart(5)}  `
        + `1 thread ${one.toFixed(2).padStart(6)} img/s  2 threads ${two.toFixed(2).padStart(6)} img/s`);
    }
  }
  console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (the whole process: node, libvips and its buffers)`);
})();
