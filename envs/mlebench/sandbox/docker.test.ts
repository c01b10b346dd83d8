/**
 * Docker sandbox tests. They run for real when the daemon named by DOCKER_HOST answers and has the
 * image (CI: scripts/docker-daemon.sh start && scripts/build-python-image.sh); otherwise one line
 * says what is missing.
 */
import assert from 'node:assert/strict';
import { connect, createServer, type Server } from 'node:net';
import { describe, test } from 'node:test';
import { SandboxError } from '../../../core/errors.js';
import { dockerGate } from '../../../test/fixtures/sandbox/docker-gate.js';
import { hostileSuite } from '../../../test/fixtures/sandbox/hostile-suite.js';
import { describeSandboxFailure } from './describe.js';
import Docker from 'dockerode';
import { DEFAULT_IMAGE, DockerSandbox, SANDBOX_LABEL, sweepContainers } from './docker.js';
import { dockerConnection } from './docker-host.js';
import { currentOwner, OWNER_HOST } from './owner.js';
import { DEFAULT_PYTHON } from './env.js';

const probe = await dockerGate();

/** A TCP listener on loopback that forwards every connection to the daemon's unix socket and counts them. */
async function tcpProxy(socketPath: string): Promise<{ address: string; connections: () => number; close: () => void }> {
  let n = 0;
  const server: Server = createServer((client) => {
    n++;
    const upstream = connect(socketPath);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `tcp://127.0.0.1:${(server.address() as { port: number }).port}`, connections: () => n, close: () => server.close() };
}

/** A sandbox built while the environment holds `vars` (restored at once; the constructor reads them). */
function withEnv(vars: Record<string, string | undefined>): DockerSandbox {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>): void => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  apply(vars);
  try {
    return new DockerSandbox();
  } finally {
    apply(saved);
  }
}

if (!probe.ok) {
  test('docker sandbox', (t) => t.skip(probe.reason));
} else {
  hostileSuite('docker sandbox vs hostile scripts', new DockerSandbox(), { detectsProcessLimit: false });

  describe('docker sandbox: behaviour', { concurrency: true }, () => {
    test('a pool of hosts shares the runs out', async () => {
      const address = new DockerSandbox().addresses[0] as string;
      const sb = new DockerSandbox({ hosts: [address, address] });
      assert.deepEqual(sb.addresses, [address, address]);
      const rs = await Promise.all([0, 1, 2].map((i) => sb.run([], [DEFAULT_PYTHON, '-c', `print(${i} * 7)`], { wallSeconds: 30 })));
      assert.deepEqual(
        rs.map((r) => r.stdout),
        ['0\n', '7\n', '14\n'],
      );
      await sb.close();
    });

    test('DOCKER_HOST is honoured: a tcp:// daemon address is used; EXITGYM_DOCKER_HOSTS spreads runs over a pool', async (t) => {
      const local = new DockerSandbox().addresses[0] as string;
      if (!local.startsWith('unix://')) return t.skip(`the daemon is not on a local socket (${local}); nothing to proxy`);
      const socketPath = new URL(local).pathname;
      const [a, b] = await Promise.all([tcpProxy(socketPath), tcpProxy(socketPath)]);
      try {
        // As if the daemon were on another machine: only its tcp:// address is known.
        const remote = withEnv({ DOCKER_HOST: a.address, EXITGYM_DOCKER_HOSTS: undefined });
        assert.deepEqual(remote.addresses, [a.address]);
        const r = await remote.run([{ path: 'x.py', content: 'print(6 * 7)\n' }], [DEFAULT_PYTHON, 'x.py'], { wallSeconds: 30 });
        assert.equal(r.stdout, '42\n');
        assert.ok(a.connections() > 0, 'the run went through DOCKER_HOST');
        await remote.close();

        const before = [a.connections(), b.connections()];
        const pool = withEnv({ EXITGYM_DOCKER_HOSTS: `${a.address},${b.address}`, DOCKER_HOST: 'unix:///nonexistent.sock' });
        assert.deepEqual(pool.addresses, [a.address, b.address]);
        const rs = await Promise.all([1, 2, 3, 4].map((i) => pool.run([], [DEFAULT_PYTHON, '-c', `print(${i})`], { wallSeconds: 30 })));
        assert.deepEqual(rs.map((x) => x.stdout), ['1\n', '2\n', '3\n', '4\n']);
        assert.ok(a.connections() > (before[0] as number) && b.connections() > (before[1] as number), 'both hosts of the pool ran containers');
        await pool.close();
      } finally {
        a.close();
        b.close();
      }
    });

    test('the container is read-only, offline, unprivileged, and limited like the local sandbox', async () => {
      const sb = new DockerSandbox();
      const code = [
        'import os',
        "print(os.getuid(), os.getgid(), os.getcwd(), os.environ['OMP_NUM_THREADS'])",
        "print(sorted(os.listdir('/sys/class/net')))",
        'try:',
        "    open('/usr/x', 'w')",
        'except OSError as e:',
        "    print('RO', e.errno)",
        "open('/tmp/t', 'w').write('tmp ok')",
        "print(open('/tmp/t').read())",
      ].join('\n');
      const r = await sb.run([{ path: 'sub/check.py', content: code }], [DEFAULT_PYTHON, 'sub/check.py'], { wallSeconds: 30 });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, "65534 65534 /workspace 1\n['lo']\nRO 30\ntmp ok\n");
      await sb.close();
    });

    test('the supervisor: the run holds no capability, cannot kill it, and nothing of the run outlives the command', async () => {
      const sb = new DockerSandbox();
      const code = [
        'import os, time',
        "caps = {l.split(':')[0]: int(l.split()[1], 16) for l in open('/proc/self/status') if l.startswith('Cap') and not l.startswith('CapBnd')}",
        'print(sorted(k for k, v in caps.items() if v))',
        'try:',
        '    os.kill(os.getppid(), 9)',
        'except PermissionError:',
        "    print('supervisor out of reach')",
        'if os.fork() == 0:',
        '    os.setsid()',
        "    fd = os.open('/dev/null', os.O_RDWR)",
        '    for f in (0, 1, 2):',
        '        os.dup2(fd, f)',
        // A tenth of a second after the command's end: well before the host's own clean-up could
        // run on a loaded machine, so only the supervisor's kill at the exit stops it.
        '    while os.getppid() == parent:',
        '        time.sleep(0.001)',
        '    time.sleep(0.1)',
        "    open('late.txt', 'w').write('late')",
        '    os._exit(0)',
        "open('early.txt', 'w').write('early')",
      ].join('\n');
      const r = await sb.run([{ path: 'c.py', content: 'import os\nparent = os.getpid()\n' + code }], [DEFAULT_PYTHON, 'c.py'], { wallSeconds: 30 }, { collect: ['early.txt', 'late.txt'] });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, "[]\nsupervisor out of reach\n");
      assert.deepEqual(Object.keys(r.files), ['early.txt']);
      await sb.close();
    });

    test('a missing image and an unreachable daemon are sandbox errors that say what to do', async () => {
      const noImage = new DockerSandbox({ image: 'exitgym-no-such-image:none' });
      await assert.rejects(noImage.run([], [DEFAULT_PYTHON, '-c', '1']), (e: unknown) => e instanceof SandboxError && /build it with scripts\/build-python-image\.sh/.test(e.message));
      assert.match((await noImage.probe()).ok ? '' : 'missing image', /missing image/);
      const noDaemon = new DockerSandbox({ hosts: ['unix:///nonexistent/docker.sock'] });
      await assert.rejects(noDaemon.run([], [DEFAULT_PYTHON, '-c', '1']), (e: unknown) => e instanceof SandboxError && /not reachable.*scripts\/docker-daemon\.sh start/.test(e.message));
      const p = await noDaemon.probe();
      assert.equal(p.ok, false);
    });

    test('exit codes and the last stderr line reach the result', async () => {
      const sb = new DockerSandbox();
      const r = await sb.run([{ path: 'e.py', content: 'raise KeyError("label")\n' }], [DEFAULT_PYTHON, 'e.py'], { wallSeconds: 30 });
      assert.equal(r.exitCode, 1);
      assert.equal(describeSandboxFailure(r), 'exited with code 1');
      assert.match(r.stderr, /KeyError: 'label'\n$/);
      await sb.close();
    });

    test('the start-up sweep removes containers of dead owners on this machine, never a live one\'s', async () => {
      const docker = new Docker(dockerConnection(new DockerSandbox().addresses[0] as string));
      const make = (pid: string, start: string, host = OWNER_HOST) =>
        docker.createContainer({ Image: DEFAULT_IMAGE, Cmd: ['/bin/true'], Labels: { [SANDBOX_LABEL]: '1', 'exitgym.owner.pid': pid, 'exitgym.owner.start': start, 'exitgym.owner.host': host } });
      const me = currentOwner();
      const dead = await make('4194305', '1');
      const live = await make(String(me.pid), String(me.start));
      const elsewhere = await make('4194305', '1', `not-${OWNER_HOST}`);
      try {
        // Sweeps of the runs beside this test may get there first; either way it must be gone.
        await sweepContainers(docker);
        await assert.rejects(dead.inspect(), 'the dead owner\'s container is gone');
        await live.inspect();
        await elsewhere.inspect();
      } finally {
        for (const c of [dead, live, elsewhere]) await c.remove({ force: true }).catch(() => undefined);
      }
    });
  });
}
