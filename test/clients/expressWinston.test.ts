import { describe, expect, it } from 'vitest'
import {
  expectedPerRequest,
  laneRecords,
  linesPerRequest,
  planRequests,
  sendRequests,
  startExample,
  stopExample,
} from './harness.js'

describe('express-winston with Express 5 recipe (examples/clients/express-winston.mjs)', () => {
  it('writes one line per request to http.log and each 5xx to error.log, all on disk after SIGTERM', async () => {
    const plan = planRequests(300)
    const server = await startExample('express-winston.mjs')
    await sendRequests(server.url, plan)
    expect(await stopExample(server)).toEqual({ code: 0, signal: null })
    expect(server.stderr()).toBe('')

    const lanes = laneRecords(server.logDir)
    // levelFiles lists error, warn and info: the domain http has http.log to itself, and no debug.log appears.
    expect([...lanes.keys()].sort()).toEqual(['app', 'error', 'http', 'info'])
    const reqId = (record: Record<string, unknown>) =>
      (record.meta as { req?: { headers?: Record<string, unknown> } } | undefined)?.req?.headers?.[
        'x-request-id'
      ]
    expect(lanes.get('http')).toHaveLength(300)
    expect(linesPerRequest(lanes.get('http'), reqId)).toEqual(expectedPerRequest(plan, 1, 1))
    expect(lanes.get('http')!.every((record) => record.domain === 'http')).toBe(true)
    // statusLevels: the 60 failures (500) are at error level.
    expect(lanes.get('error')).toHaveLength(60)
    expect(linesPerRequest(lanes.get('error'), reqId)).toEqual(expectedPerRequest(plan, 0, 1))
    for (const record of lanes.get('error')!) {
      expect(record).toMatchObject({ level: 'error', meta: { res: { statusCode: 500 } } })
    }
    // info.log: the 240 ok requests and the app's own 'listening' line (no request id).
    expect(lanes.get('info')).toHaveLength(241)
    expect(linesPerRequest(lanes.get('info'), reqId)).toEqual(expectedPerRequest(plan, 1, 0).set('', 1))
    expect(lanes.get('app')!.map((record) => record.message)).toEqual(['listening'])
  })
})
