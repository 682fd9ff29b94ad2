// Stops the server global-setup.js started and removes its temporary archive, keeping the
// server's log beside the build (build/station-serve.log) for a failed run.
const fs = require('node:fs');
const path = require('node:path');
const {binary} = require('./station.js');

module.exports = async function globalTeardown() {
  const pid = Number(process.env.STATION_SERVER_PID);
  if (pid) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    for (let i = 0; i < 50; i++) {
      try { process.kill(pid, 0); } catch { break; }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const dir = process.env.STATION_DIR;
  if (!dir) return;
  const log = path.join(dir, 'serve.log');
  if (fs.existsSync(log)) fs.copyFileSync(log, path.join(path.dirname(binary), 'station-serve.log'));
  fs.rmSync(dir, {recursive: true, force: true});
};
