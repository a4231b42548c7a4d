// npm run demo: a small simulated service on loglanes' defaults — a node:cluster primary and two workers,
// domains app db http, every level, errors with stacks, console output, a 1-minute interval — then the tree.
import { execFileSync } from 'node:child_process'
import cluster from 'node:cluster'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createLanes } from 'loglanes'

const SECONDS = Number(process.env.DEMO_SECONDS ?? 6)
const log = createLanes({ domains: ['app', 'db', 'http'], interval: '1m', console: true, level: 'trace' })

if (cluster.isPrimary) {
  log.app.info('demo primary %d: starting 2 workers for %d s', process.pid, SECONDS)
  for (let i = 0; i < 2; i++) cluster.fork()
  let exited = 0
  cluster.on('exit', async (worker, code) => {
    log.app.info({ worker: worker.id, code }, 'worker %d exited', worker.id)
    if (++exited < 2) return
    await log.shutdown()
    printTree()
  })
} else {
  const worker = log.app.child({ worker: cluster.worker.id })
  worker.info('worker %d serving', process.pid)
  const deadline = Date.now() + SECONDS * 1000
  for (let request = 1; Date.now() < deadline; request++) {
    await handle(request)
    await sleep(20 + Math.random() * 60)
  }
  worker.info('worker %d done', process.pid)
  await log.shutdown()
  process.exit(0)
}

/** One simulated request: an http line, some db work, now and then a slow query or a failure. */
async function handle(request) {
  const http = log.http.child({ reqId: `${cluster.worker.id}-${request}` })
  const path = ['/items', '/orders', '/users/7'][request % 3]
  log.db.trace({ sql: 'SELECT 1' }, 'pool check')
  log.db.debug('query for %s', path)
  const durationMs = Math.round(5 + Math.random() * 120)
  if (durationMs > 110) log.db.warn({ durationMs }, 'slow query for %s', path)
  if (request % 25 === 0) {
    log.db.exception(new Error('connection reset by peer'), 'query failed')
    http.error({ path, status: 503 }, 'request failed')
  } else {
    http.info({ path, status: 200, durationMs }, 'GET %s', path)
  }
  if (request === 60) log.app.fatal('disk almost full (simulated)')
}

function printTree() {
  const cli = join(dirname(createRequire(import.meta.url).resolve('loglanes')), 'cli.js')
  process.stdout.write('\nThe folder loglanes wrote:\n\n')
  process.stdout.write(execFileSync(process.execPath, [cli, 'ls', 'logs'], { encoding: 'utf8' }))
  process.stdout.write(
    [
      '',
      'Where to look next:',
      '  npx loglanes tail logs --level error     # errors of every domain, merged in time order',
      '  npx loglanes tail logs --domain db        # one domain',
      '  npx loglanes tail logs --follow           # keep following, across interval folders',
      '',
    ].join('\n'),
  )
}
