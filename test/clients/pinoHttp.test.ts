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

describe('pino-http with Express 5 recipe (examples/clients/pino-http.mjs)', () => {
  it('writes one line per request to http.log and each 5xx to error.log, all written after SIGTERM', async () => {
    const plan = planRequests(300)
    const server = await startExample('pino-http.mjs')
    await sendRequests(server.url, plan)
    expect(await stopExample(server)).toEqual({ code: 0, signal: null })
    expect(server.stderr()).toBe('')

    const lanes = laneRecords(server.logDir)
    expect([...lanes.keys()].sort()).toEqual(['app', 'error', 'http', 'info'])
    const reqId = (record: Record<string, unknown>) => (record.req as { id?: unknown } | undefined)?.id
    expect(lanes.get('http')).toHaveLength(300)
    expect(linesPerRequest(lanes.get('http'), reqId)).toEqual(expectedPerRequest(plan, 1, 1))
    // customLogLevel: the 60 failures (500) are at error level, with the error the app handed to pino-http.
    expect(lanes.get('error')).toHaveLength(60)
    expect(linesPerRequest(lanes.get('error'), reqId)).toEqual(expectedPerRequest(plan, 0, 1))
    for (const record of lanes.get('error')!) {
      expect(record).toMatchObject({
        level: 50,
        res: { statusCode: 500 },
        err: { message: 'backend unavailable' },
      })
    }
    // info.log: the 240 ok requests and the app's own 'listening' line (no request id).
    expect(lanes.get('info')).toHaveLength(241)
    expect(linesPerRequest(lanes.get('info'), reqId)).toEqual(expectedPerRequest(plan, 1, 0).set('', 1))
    expect(lanes.get('app')!.map((record) => record.msg)).toEqual(['listening'])
  })
})
