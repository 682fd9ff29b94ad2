// Stops the server global-setup.js started and removes its temporary archive, keeping the
// server's log beside the build (build/station-serve.log) for a failed run. A server that does
// not stop on SIGTERM is killed, and the run fails: stopping is part of what is tested.
const fs = require('node:fs');
const path = require('node:path');
const {binary} = require('./station.js');

async function stopped(pid) {
  for (let i = 0; i < 100; i++) {
    try { process.kill(pid, 0); } catch { return true; }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

module.exports = async function globalTeardown() {
  const pid = Number(process.env.STATION_SERVER_PID);
  let hung = false;
  if (pid) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    hung = !(await stopped(pid));
    if (hung) process.kill(pid, 'SIGKILL');
  }
  const kept = path.join(path.dirname(binary), 'station-serve.log');
  const dir = process.env.STATION_DIR;
  if (dir) {
    const log = path.join(dir, 'serve.log');
    if (fs.existsSync(log)) fs.copyFileSync(log, kept);
    fs.rmSync(dir, {recursive: true, force: true});
  }
  if (hung) throw new Error(`quire serve did not stop within 10 s of SIGTERM; its log: ${kept}`);
};
