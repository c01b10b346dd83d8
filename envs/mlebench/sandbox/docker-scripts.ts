/**
 * The two trusted helper programs the Docker sandbox runs inside a run's container (as `exec`s,
 * after the command): one kills what the run left behind, one reads an output file back.
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
