// One benchmark run in a fresh process: node child.mjs <config> <workload> <n> <dir>
// Prints one JSON line. W1-W3: loop ms (main thread), total ms (until the documented close resolves), peak RSS.
// W4: the main thread's time per call (p50, p99, max) while logging at a steady rate.
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { fieldsFor, MESSAGE, workload } from './lib/workload.mjs'

const [configName, workloadName, n, dir] = process.argv.slice(2)
const config = await import(`./configs/${configName}.mjs`)
const work = workload(workloadName, Number(n))
const { children, close } = await config.setup(work, dir)
const { levels } = work
const count = work.n
const lanes = children.length

const start = performance.now()
let latency
if (work.name === 'W4') {
  // A steady 20,000 records/s: 200 records every 10 ms, each call timed on its own.
  const durations = new Float64Array(count)
  for (let i = 0; i < count; ) {
    const batchEnd = Math.min(count, i + 200)
    for (; i < batchEnd; i++) {
      const t = performance.now()
      children[i % lanes][levels[i]](fieldsFor(i), MESSAGE)
      durations[i] = performance.now() - t
    }
    await sleep(10)
  }
  durations.sort()
  const at = (q) => durations[Math.min(count - 1, Math.floor(q * count))] * 1000
  latency = { p50Us: at(0.5), p99Us: at(0.99), maxUs: durations[count - 1] * 1000 }
} else {
  for (let i = 0; i < count; i++) children[i % lanes][levels[i]](fieldsFor(i), MESSAGE)
}
const looped = performance.now()
await close()
const done = performance.now()

process.stdout.write(
  `${JSON.stringify({ loopMs: looped - start, totalMs: done - start, maxRssKb: process.resourceUsage().maxRSS, ...latency })}\n`,
)
