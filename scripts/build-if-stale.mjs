// Builds the server and the portal when their output is missing or older than any source file,
// so `npm start` works on a fresh clone and starts at once when nothing changed.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) => {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};
const stamp = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);
const configs = ['package-lock.json', 'tsconfig.json', 'tsconfig.server.json'].map(stamp);

const serverSrc = Math.max(newest('server'), newest('contracts'), ...configs);
if (stamp('dist/server/main.js') < serverSrc) {
  console.log('Building the server…');
  execSync('npm run build:server', { stdio: 'inherit' });
}
const webSrc = Math.max(newest('web'), newest('contracts'), ...configs);
if (stamp('dist/web/index.html') < webSrc) {
  console.log('Building the portal…');
  execSync('npm run build:web', { stdio: 'inherit' });
}
