// One benchmark run in a fresh process: node child.mjs <config> <workload> <n> <dir>
// Prints one JSON line: loop ms (main thread), total ms (until the documented close resolves), peak RSS.
import { performance } from 'node:perf_hooks'
import { fieldsFor, MESSAGE, workload } from './lib/workload.mjs'

const [configName, workloadName, n, dir] = process.argv.slice(2)
const config = await import(`./configs/${configName}.mjs`)
const work = workload(workloadName, Number(n))
const { children, close } = await config.setup(work, dir)
const { levels } = work
const count = work.n
const lanes = children.length

const start = performance.now()
for (let i = 0; i < count; i++) children[i % lanes][levels[i]](fieldsFor(i), MESSAGE)
const looped = performance.now()
await close()
const done = performance.now()

process.stdout.write(
  `${JSON.stringify({ loopMs: looped - start, totalMs: done - start, maxRssKb: process.resourceUsage().maxRSS })}\n`,
)
