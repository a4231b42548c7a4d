// node benchmarks/compare.mjs <runs> <config|frozen-dir>[:<workload>] ...: W1 (or WORKLOAD, or the workload after a
// colon) end to end, interleaved, medians as ratios to the first. A config is a name in benchmarks/configs (pinoFile, loglanesPino, ...); a folder made by
// `benchmarks/freeze.sh <dir>` runs that frozen @loglanes/pino. For one question, e.g. did a change help:
//   bash benchmarks/freeze.sh benchmarks/scratch/before   (then change, npm run build)
//   node benchmarks/compare.mjs 15 pinoFile benchmarks/scratch/before loglanesPino
// One config on two workloads, e.g. what maxFileSize costs: node benchmarks/compare.mjs 9 loglanesPino loglanesPino:W5
// Writes nothing under results/: the committed table comes from `npm run bench`. Env: N (records, 200000), WORKLOAD.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const [runs, ...variants] = process.argv.slice(2)
if (!(Number(runs) > 0) || variants.length === 0) {
  console.error('usage: node benchmarks/compare.mjs <runs> <config|frozen-dir> ...')
  process.exit(2)
}
const N = process.env.N ?? '200000'
const samples = new Map(variants.map((v) => [v, []]))
for (let r = 0; r < Number(runs); r++) {
  for (const variant of variants) {
    const [build, workload = process.env.WORKLOAD ?? 'W1'] = variant.split(':')
    const frozen = resolve(build, 'node_modules/@loglanes/pino/dist/index.js')
    const isFrozen = existsSync(frozen)
    const dir = mkdtempSync(join(tmpdir(), 'loglanes-compare-'))
    try {
      const out = execFileSync(
        process.execPath,
        [join(import.meta.dirname, 'child.mjs'), isFrozen ? '../lib/frozenPino' : build, workload, N, dir],
        { env: isFrozen ? { ...process.env, FROZEN: frozen } : process.env },
      )
      samples.get(variant).push(JSON.parse(out.toString().trim().split('\n').pop()))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const reference = median(samples.get(variants[0]).map((s) => s.totalMs))
for (const [variant, runs] of samples) {
  const total = median(runs.map((s) => s.totalMs))
  const loop = median(runs.map((s) => s.loopMs))
  console.log(
    `${variant}: loop ${loop.toFixed(0)} ms, total ${total.toFixed(0)} ms, tail ${(total - loop).toFixed(0)} ms, ` +
      `throughput ${(reference / total).toFixed(3)}x the first, peak RSS ${(median(runs.map((s) => s.maxRssKb)) / 1024).toFixed(0)} MB`,
  )
}
