import { ChildProcess, spawn } from 'node:child_process';

export interface RunningService {
  port: number;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Resolves once the service logs where it listens; rejects if it exits first. */
  ready: Promise<RunningService>;
  exited: Promise<number | null>;
  output: () => string;
}

/** The built service (`node …/main.js`) as a child process, as `npm start` runs it (PORT 0: its log names the port). */
export function spawnService(main: string, options: { cwd?: string; env: NodeJS.ProcessEnv }): ServiceProcess {
  const child = spawn(process.execPath, [main], {
    cwd: options.cwd,
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<RunningService>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve({
          port: Number(match[1]),
          output: () => output,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, ready, exited, output: () => output };
}
