/**
 * The trusted helper programs the Docker sandbox runs inside a run's container: the supervisor the
 * command runs under, and two `exec`s after it: one kills what the run left behind, one reads an
 * output file back.
 */
import { SANDBOX_WORKDIR } from './env.js';

// Reads one output file for the host once every process of the run is dead (so nothing can swap
// it meanwhile): no link is followed, and nothing beyond the cap is sent. Exit 3: missing;
// 4: refused (reason on stderr); 5: too large (size on stderr).
export const COLLECT_PY = `import os, stat, sys
rel, cap = sys.argv[1], int(sys.argv[2])
path = '${SANDBOX_WORKDIR}'
parts = rel.split('/')
for i, part in enumerate(parts):
    path += '/' + part
    try:
        st = os.lstat(path)
    except OSError:
        sys.exit(3)
    last = i == len(parts) - 1
    if stat.S_ISLNK(st.st_mode):
        sys.stderr.write('a symbolic link (links are never followed)'); sys.exit(4)
    if last and not stat.S_ISREG(st.st_mode):
        sys.stderr.write('not a regular file'); sys.exit(4)
    if not last and not stat.S_ISDIR(st.st_mode):
        sys.stderr.write('a path through something that is not a folder'); sys.exit(4)
if st.st_size > cap:
    sys.stderr.write(str(st.st_size)); sys.exit(5)
fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
left = cap
while left > 0:
    b = os.read(fd, min(left, 1 << 20))
    if not b:
        break
    sys.stdout.buffer.write(b)
    left -= len(b)
`;

// Kills every process of the run but the container's pid 1 (which only sleeps): kill(-1) as the
// run's user reaches all of them; repeated until none is left, so a forking process cannot slip by.
export const KILL_ALL_SH = 'i=0; while kill -9 -1 2>/dev/null && [ $i -lt 200 ]; do i=$((i+1)); done; exit 0';

// Runs the command as the run's user and, the moment it exits, kills everything else the run
// started, so a daemonised child cannot write outputs after the command's end however long the
// host takes to get to its own clean-up. It runs as root (with only CAP_SETUID, CAP_SETGID and
// CAP_KILL), so the run's processes, under another uid, cannot kill it first; kill(-1) spares the
// caller and pid 1. Root without CAP_DAC_OVERRIDE cannot enter the run's 0700 working dir, so the
// change of directory happens after the change of user. Exits with the command's status.
const SUPERVISE_SH = [
  'u=$1; g=$2; shift 2',
  `setpriv --reuid="$u" --regid="$g" --clear-groups -- /bin/sh -c 'cd "$0" && exec "$@"' ${SANDBOX_WORKDIR} "$@"`,
  's=$?',
  'i=0; while kill -9 -1 2>/dev/null && [ $i -lt 200 ]; do i=$((i+1)); done',
  'exit $s',
].join('\n');

/** The argv of `command` run as `user` ("uid:gid") under the supervisor; the exec runs it as root. */
export function supervised(user: string, command: readonly string[]): string[] {
  const [uid, gid] = user.split(':') as [string, string];
  return ['/bin/sh', '-c', SUPERVISE_SH, 'supervise', uid, gid, ...command];
}

/** Capabilities the container keeps, for the supervisor alone (the run's user never holds them). */
export const SUPERVISOR_CAPS = ['SETUID', 'SETGID', 'KILL'];
