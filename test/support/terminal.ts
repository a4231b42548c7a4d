/**
 * The environment of a child that should see a colour terminal and decide for itself: TERM set, and no
 * NO_COLOR, FORCE_COLOR or CI inherited from the test runner unless `extra` sets one (with CI set, Node's
 * hasColors(), which loglanes follows, reports a terminal as colorless).
 */
export function terminalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env, TERM: 'xterm-256color', ...extra }
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'CI']) if (!(name in extra)) delete env[name]
  return env as NodeJS.ProcessEnv
}
