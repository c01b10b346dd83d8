/**
 * GorillaFileSystem (upstream `gorilla_file_system.py`, docs `gorilla_file_system.json`; SPEC.md
 * §7.1): an in-memory tree of `File` and `Directory` objects with a working directory.
 *
 * Nodes are reference objects and new nodes are created exactly where upstream creates them, so
 * the aliasing of `cp` (children shared with the copy) and `mv` (contents map shared, children
 * keep their old parent) behaves as in Python (SPEC §6.2).
 */
import type { JsonValue } from '../../../core/types.js';
import { pyEq } from '../python/equality.js';
import { PyException } from '../python/errors.js';
import { formatFixed } from '../python/number.js';
import { contains, dictDelete, dictGetOr, dictHas, dictSet, gt, len, lt, neg, requireStr, sliceBounds, sorted, truediv, truthy } from '../python/ops.js';
import { pyRepr, pyStr } from '../python/repr.js';
import { canonicalSnapshot } from '../python/snapshot.js';
import { splitWhitespace, splitlines, utf8Length } from '../python/strings.js';
import { dict, typeName, type PyDict, type PyObject, type PyValue } from '../python/value.js';
import { BfclApi, defMethod, param, type MethodSpec } from './types.js';

/** Upstream's `File`: equal to a File with the same name and content. */
export class FsFile implements PyObject {
  readonly pyType = 'File';
  constructor(
    public name: PyValue,
    public content: PyValue = '',
  ) {}
  pyRepr(): string {
    return `<<File: ${pyStr(this.name)}, Content: ${pyStr(this.content)}>>`;
  }
  pyEquals(other: PyValue): boolean {
    return other instanceof FsFile && pyEq(this.name, other.name) && pyEq(this.content, other.content);
  }
  pySnapshot(): JsonValue {
    return { type: 'file', name: canonicalSnapshot(this.name), content: canonicalSnapshot(this.content) };
  }
}

const SNAPSHOTTING = new Set<FsDirectory>();

/** Upstream's `Directory`: equal to a Directory with the same name and equal contents (parent ignored). */
export class FsDirectory implements PyObject {
  readonly pyType = 'Directory';
  contents: PyDict = new Map();
  constructor(
    public name: PyValue,
    public parent: FsDirectory | null = null,
  ) {}
  pyRepr(): string {
    const parent = this.parent ? pyStr(this.parent.name) : 'None';
    return `<Directory: ${pyStr(this.name)}, Parent: ${parent}, Contents: ${pyRepr(this.contents)}>`;
  }
  pyEquals(other: PyValue): boolean {
    return other instanceof FsDirectory && pyEq(this.name, other.name) && pyEq(this.contents, other.contents);
  }
  pySnapshot(): JsonValue {
    // A directory inside itself (see `enter`) is shown once, then as a reference.
    if (SNAPSHOTTING.has(this)) return { type: 'directory', name: canonicalSnapshot(this.name), $recursive: true };
    SNAPSHOTTING.add(this);
    try {
      return { type: 'directory', name: canonicalSnapshot(this.name), contents: canonicalSnapshot(this.contents) };
    } finally {
      SNAPSHOTTING.delete(this);
    }
  }
  /** `contents.get(name)` as upstream's `_get_item`. */
  getItem(name: PyValue): PyValue {
    return dictGetOr(this.contents, name, null);
  }
  /** `_add_file`: ValueError if the name is taken. */
  addFile(name: PyValue, content: PyValue = ''): void {
    if (dictHas(this.contents, name)) {
      throw new PyException('ValueError', `File '${pyStr(name)}' already exists in directory '${pyStr(this.name)}'.`);
    }
    dictSet(this.contents, name, new FsFile(name, content));
  }
  /** `_add_directory`: ValueError if the name is taken; returns the new directory. */
  addDirectory(name: PyValue): FsDirectory {
    if (dictHas(this.contents, name)) {
      throw new PyException('ValueError', `Directory '${pyStr(name)}' already exists in directory '${pyStr(this.name)}'.`);
    }
    const dir = new FsDirectory(name, this);
    dictSet(this.contents, name, dir);
    return dir;
  }
}

const INVALID_CHARS = '|/\\?%*:"><';

/** `_validate_file_or_directory_name`: `any(c in name for c in …)` (TypeError for a non-str name). */
function validName(name: PyValue): boolean {
  for (const c of INVALID_CHARS) if (contains(name, c)) return false;
  return true;
}

/** A file's content lines (`file._read().splitlines()`). */
const lines = (file: FsFile): string[] => splitlines(requireStr(file.content, 'splitlines'));

export class GorillaFileSystem extends BfclApi {
  readonly className = 'GorillaFileSystem';
  longContext = false;
  root = new FsDirectory('/', null);
  /** The working directory; not compared (SPEC §5). */
  private currentDir: FsDirectory = this.root;

  loadScenario(config: PyDict, longContext = false): void {
    this.longContext = longContext;
    this.root = new FsDirectory('/', null);
    if (dictHas(config, 'root')) {
      const spec = config.get('root') ?? null;
      if (!(spec instanceof Map)) throw new PyException('AttributeError', `'${typeName(spec)}' object has no attribute 'keys'`);
      const first = spec.keys().next();
      if (first.done) throw new PyException('IndexError', 'list index out of range');
      const top = spec.get(first.value) ?? null;
      this.root = this.loadDirectory(subscript(top, 'contents'), new FsDirectory(first.value, null));
    }
    this.currentDir = this.root;
  }

  private loadDirectory(current: PyValue, parent: FsDirectory): FsDirectory {
    if (!(current instanceof Map)) throw new PyException('AttributeError', `'${typeName(current)}' object has no attribute 'items'`);
    for (const [name, data] of current) {
      const type = subscript(data, 'type');
      if (type === 'directory') {
        parent.contents.set(name, this.loadDirectory(subscript(data, 'contents'), new FsDirectory(name, parent)));
      } else if (type === 'file') {
        parent.contents.set(name, new FsFile(name, subscript(data, 'content')));
      }
    }
    return parent;
  }

  publicState(): ReadonlyArray<readonly [string, PyValue]> {
    return [
      ['long_context', this.longContext],
      ['root', this.root],
    ];
  }

  /** The working directory's path as `pwd()` prints it (for callers that show it). */
  workingDirectory(): string {
    const path: string[] = [];
    for (let dir: FsDirectory | null = this.currentDir; dir !== null; dir = dir.parent) path.push(pyStr(dir.name));
    return `/${path.reverse().join('/')}`;
  }

  /** `_navigate_to_directory(path)`: a Directory, or undefined for upstream's error dict. */
  private navigate(path: PyValue): FsDirectory | undefined {
    if (path === null || path === '.') return this.currentDir;
    if (path === '/') return this.root;
    const text = requireStr(path, 'strip');
    const parts = text.replace(/^\/+|\/+$/g, '').split('/');
    let dir = text.startsWith('/') ? this.root : this.currentDir;
    for (const part of parts) {
      const next = dir.getItem(part);
      if (!(next instanceof FsDirectory)) return undefined;
      dir = next;
    }
    return dir;
  }

  /** The File named `name` in the working directory, or undefined. */
  private fileHere(name: PyValue): FsFile | undefined {
    if (!dictHas(this.currentDir.contents, name)) return undefined;
    const item = this.currentDir.getItem(name);
    return item instanceof FsFile ? item : undefined;
  }

  protected methodTable(): Record<string, MethodSpec> {
    const here = (): FsDirectory => this.currentDir;
    return {
      pwd: defMethod([], () => dict({ current_working_directory: this.workingDirectory() })),
      ls: defMethod([param('a', () => false)], (a) => {
        let names = [...here().contents.keys()] as PyValue[];
        if (!truthy(a)) names = names.filter((n) => !requireStr(n, 'startswith').startsWith('.'));
        return dict({ current_directory_content: names });
      }),
      cd: defMethod([param('folder')], (folder) => {
        if (folder === '..') {
          const cur = here();
          if (cur.parent) this.currentDir = cur.parent;
          else if (this.root.pyEquals(cur)) return dict({ error: 'Cuurent directory is already the root. Cannot go back.' });
          else return dict({ error: 'cd: ..: No such directory' });
          return dict({});
        }
        const target = this.navigate(folder);
        if (!target) {
          return dict({ error: `cd: ${pyStr(folder)}: No such directory. You cannot use path to change directory.` });
        }
        this.currentDir = target;
        return dict({ current_working_directory: target.name });
      }),
      mkdir: defMethod([param('dir_name')], (name) => {
        if (!validName(name)) return dict({ error: `mkdir: cannot create directory '${pyStr(name)}': Invalid character` });
        if (dictHas(here().contents, name)) return dict({ error: `mkdir: cannot create directory '${pyStr(name)}': File exists` });
        here().addDirectory(name);
        return null;
      }),
      touch: defMethod([param('file_name')], (name) => {
        if (!validName(name)) return dict({ error: `touch: cannot touch '${pyStr(name)}': Invalid character` });
        if (dictHas(here().contents, name)) return dict({ error: `touch: cannot touch '${pyStr(name)}': File exists` });
        here().addFile(name);
        return null;
      }),
      echo: defMethod([param('content'), param('file_name', () => null)], (content, name) => {
        if (name === null) return dict({ terminal_output: content });
        if (!validName(name)) return dict({ error: `echo: cannot touch '${pyStr(name)}': Invalid character` });
        if (!truthy(name)) return dict({ terminal_output: content });
        if (dictHas(here().contents, name)) {
          const item = here().getItem(name);
          if (!(item instanceof FsFile)) throw new PyException('AttributeError', "'Directory' object has no attribute '_write'");
          item.content = content;
        } else {
          here().addFile(name, content);
        }
        return null;
      }),
      cat: defMethod([param('file_name')], (name) => {
        if (!validName(name)) return dict({ error: `cat: '${pyStr(name)}': Invalid character` });
        if (!dictHas(here().contents, name)) return dict({ error: `cat: ${pyStr(name)}: No such file or directory` });
        const item = here().getItem(name);
        if (item instanceof FsFile) return dict({ file_content: item.content });
        return dict({ error: `cat: ${pyStr(name)}: Is a directory` });
      }),
      find: defMethod([param('path', () => '.'), param('name', () => null)], (path, name) => {
        const matches: PyValue[] = [];
        const active = new Set<FsDirectory>();
        const search = (dir: FsDirectory, base: string): void => {
          enter(active, dir, 'maximum recursion depth exceeded while calling a Python object');
          for (const [itemName, item] of dir.contents) {
            const itemPath = `${base}/${pyStr(itemName)}`;
            if (name === null || contains(itemName, name)) matches.push(itemPath);
            if (item instanceof FsDirectory) search(item, itemPath);
          }
          active.delete(dir);
        };
        search(here(), requireStr(path, 'rstrip').replace(/\/+$/, ''));
        return dict({ matches });
      }),
      wc: defMethod([param('file_name'), param('mode', () => 'l')], (name, mode) => {
        if (!contains(['l', 'w', 'c'], mode)) return dict({ error: `wc: invalid mode '${pyStr(mode)}'` });
        const file = this.fileHere(name);
        if (file) {
          const content = requireStr(file.content, 'splitlines');
          if (mode === 'l') return dict({ count: BigInt(splitlines(content).length), type: 'lines' });
          if (mode === 'w') return dict({ count: BigInt(splitWhitespace(content).length), type: 'words' });
          return dict({ count: len(content), type: 'characters' });
        }
        return dict({ error: `wc: ${pyStr(name)}: No such file or directory` });
      }),
      sort: defMethod([param('file_name')], (name) => {
        const file = this.fileHere(name);
        if (file) return dict({ sorted_content: sorted(lines(file)).join('\n') });
        return dict({ error: `sort: ${pyStr(name)}: No such file or directory` });
      }),
      grep: defMethod([param('file_name'), param('pattern')], (name, pattern) => {
        const file = this.fileHere(name);
        if (file) return dict({ matching_lines: lines(file).filter((line) => contains(line, pattern)) });
        return dict({ error: `grep: ${pyStr(name)}: No such file or directory` });
      }),
      du: defMethod([param('human_readable', () => false)], (human) => {
        const active = new Set<FsDirectory>();
        const size = (item: PyValue): number => {
          if (item instanceof FsFile) return utf8Length(requireStr(item.content, 'encode'));
          if (!(item instanceof FsDirectory)) return 0;
          enter(active, item, 'maximum recursion depth exceeded');
          const total = [...item.contents.values()].reduce<number>((s, c) => s + size(c), 0);
          active.delete(item);
          return total;
        };
        let total: PyValue = BigInt(size(here()));
        if (!truthy(human)) return dict({ disk_usage: `${pyStr(total)} bytes` });
        for (const unit of ['B', 'KB', 'MB', 'GB', 'TB']) {
          if (lt(total, 1024n)) return dict({ disk_usage: `${formatFixed(total, 2)} ${unit}` });
          total = truediv(total, 1024n);
        }
        return dict({ disk_usage: `${formatFixed(total, 2)} PB` });
      }),
      tail: defMethod([param('file_name'), param('lines', () => 10n)], (name, count) => {
        const file = this.fileHere(name);
        if (!file) return dict({ error: `tail: ${pyStr(name)}: No such file or directory` });
        const content = lines(file);
        let n = count;
        if (gt(n, BigInt(content.length))) n = BigInt(content.length);
        const start = neg(n);
        if (typeof start !== 'bigint') {
          throw new PyException('TypeError', 'slice indices must be integers or None or have an __index__ method');
        }
        const [from, to] = sliceBounds(content.length, start, null);
        return dict({ last_lines: content.slice(from, to).join('\n') });
      }),
      diff: defMethod([param('file_name1'), param('file_name2')], (name1, name2) => {
        if (dictHas(here().contents, name1) && dictHas(here().contents, name2)) {
          const f1 = here().getItem(name1);
          const f2 = here().getItem(name2);
          if (f1 instanceof FsFile && f2 instanceof FsFile) {
            const a = lines(f1);
            const b = lines(f2);
            const out: string[] = [];
            for (let i = 0; i < Math.min(a.length, b.length); i++) {
              if (a[i] !== b[i]) out.push(`- ${a[i] ?? ''}\n+ ${b[i] ?? ''}`);
            }
            return dict({ diff_lines: out.join('\n') });
          }
        }
        return dict({ error: `diff: ${pyStr(name1)} or ${pyStr(name2)}: No such file or directory` });
      }),
      mv: defMethod([param('source'), param('destination')], (source, dest) => this.mv(source, dest)),
      rm: defMethod([param('file_name')], (name) => {
        if (!dictHas(here().contents, name)) return dict({ error: `rm: cannot remove '${pyStr(name)}': No such file or directory` });
        dictDelete(here().contents, name);
        return dict({ result: `'${pyStr(name)}' removed` });
      }),
      rmdir: defMethod([param('dir_name')], (name) => {
        if (!dictHas(here().contents, name)) {
          return dict({ error: `rmdir: cannot remove '${pyStr(name)}': No such file or directory` });
        }
        const item = here().getItem(name);
        if (!(item instanceof FsDirectory)) return dict({ error: `rmdir: cannot remove '${pyStr(name)}': Not a directory` });
        if (item.contents.size > 0) return dict({ error: `rmdir: failed to remove '${pyStr(name)}': Directory not empty` });
        dictDelete(here().contents, name);
        return dict({ result: `'${pyStr(name)}' removed` });
      }),
      cp: defMethod([param('source'), param('destination')], (source, dest) => this.cp(source, dest)),
    };
  }

  private mv(source: PyValue, dest: PyValue): PyValue {
    const cur = this.currentDir;
    if (!dictHas(cur.contents, source)) return dict({ error: `mv: cannot move '${pyStr(source)}': No such file or directory` });
    const item = cur.getItem(source);
    if (contains(dest, '/')) {
      return dict({
        error: 'mv: no path allowed in destination. Only file name and folder name is supported for this operation.',
      });
    }
    const place = (into: FsDirectory, name: PyValue): void => {
      if (item instanceof FsFile) into.addFile(name, item.content);
      else if (item instanceof FsDirectory) into.addDirectory(name).contents = item.contents;
    };
    if (dictHas(cur.contents, dest)) {
      const target = cur.getItem(dest);
      if (!(target instanceof FsDirectory)) {
        return dict({ error: `mv: cannot move '${pyStr(source)}' to '${pyStr(dest)}': Not a directory` });
      }
      if (dictHas(target.contents, source)) {
        return dict({ error: `mv: cannot move '${pyStr(source)}' to '${pyStr(dest)}/${pyStr(source)}': File exists` });
      }
      dictDelete(cur.contents, source);
      place(target, source);
      return dict({ result: `'${pyStr(source)}' moved to '${pyStr(dest)}/${pyStr(source)}'` });
    }
    dictDelete(cur.contents, source);
    place(cur, dest);
    return dict({ result: `'${pyStr(source)}' moved to '${pyStr(dest)}'` });
  }

  private cp(source: PyValue, dest: PyValue): PyValue {
    const cur = this.currentDir;
    if (!dictHas(cur.contents, source)) return dict({ error: `cp: cannot copy '${pyStr(source)}': No such file or directory` });
    const item = cur.getItem(source);
    if (contains(dest, '/')) {
      return dict({
        error: "cp: don't allow path in destination. Only file name and folder name is supported for this operation.",
      });
    }
    const place = (into: FsDirectory, name: PyValue): void => {
      if (item instanceof FsFile) into.addFile(name, item.content);
      // A shallow copy of the contents map: the children themselves are shared.
      else if (item instanceof FsDirectory) into.addDirectory(name).contents = new Map(item.contents);
    };
    if (dictHas(cur.contents, dest)) {
      const target = cur.getItem(dest);
      if (!(target instanceof FsDirectory)) {
        return dict({ error: `cp: cannot copy '${pyStr(source)}' to '${pyStr(dest)}': Not a directory` });
      }
      // Upstream's "File exists" check looks up "dest/source", which never matches; the add raises instead.
      place(target, source);
      return dict({ result: `'${pyStr(source)}' copied to '${pyStr(dest)}/${pyStr(source)}'` });
    }
    place(cur, dest);
    return dict({ result: `'${pyStr(source)}' copied to '${pyStr(dest)}'` });
  }
}

/**
 * Mark `dir` as being walked. A directory copied into itself contains itself (upstream's `cp`
 * copies the contents after adding the copy); walking it recurses until Python's recursion limit,
 * whose message depends on where CPython notices (`message`).
 */
function enter(active: Set<FsDirectory>, dir: FsDirectory, message: string): void {
  if (active.has(dir)) throw new PyException('RecursionError', message);
  active.add(dir);
}

/** `value[key]` on scenario data: KeyError when absent, TypeError for a non-dict. */
function subscript(value: PyValue, key: string): PyValue {
  if (!(value instanceof Map)) throw new PyException('TypeError', `'${typeName(value)}' object is not subscriptable`);
  if (!dictHas(value, key)) throw new PyException('KeyError', pyRepr(key));
  return value.get(key) ?? null;
}
