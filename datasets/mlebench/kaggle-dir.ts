/**
 * A user's Kaggle download, however it was unpacked: the files themselves, Kaggle's per-file zips
 * (`train.csv.zip`, or `train.zip` holding `train.csv`), or the whole competition archive
 * (`<competition>.zip`, as `kaggle competitions download` writes it, with those zips inside).
 * Folders of many files (nomad's geometry, cactus's images) may be on disk or in their zip.
 */
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { DatasetMissingError } from '../../core/errors.js';

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

/** Entries of a zip, by path inside it. */
type Archive = Record<string, Uint8Array>;

/** The entry named `name` at the archive root or under one folder level of it. */
function entry(archive: Archive, name: string): Uint8Array | undefined {
  return archive[name] ?? Object.entries(archive).find(([n]) => n.endsWith(`/${name}`) && n.split('/').length <= 3)?.[1];
}

export class KaggleDir {
  private whole: Archive | undefined | null = null;

  /** @param dir the download folder; @param competitionId names the whole-competition archive. */
  constructor(
    readonly dir: string,
    private readonly competitionId: string,
  ) {}

  /** The competition archive's entries, or undefined when there is none. */
  private async competitionArchive(): Promise<Archive | undefined> {
    if (this.whole === null) {
      const path = join(this.dir, `${this.competitionId}.zip`);
      this.whole = (await exists(path)) ? unzipSync(new Uint8Array(await readFile(path))) : undefined;
    }
    return this.whole;
  }

  /** Where `name` may be: itself, `<name>.zip`, or `<stem>.zip` (Kaggle zips `train.csv` as `train.zip`). */
  private static candidates(name: string): Array<{ zip?: string; inner: string }> {
    const stem = name.replace(/\.[^.]+$/, '');
    const out: Array<{ zip?: string; inner: string }> = [{ inner: name }, { zip: `${name}.zip`, inner: name }];
    if (stem !== name && !name.endsWith('.zip')) out.push({ zip: `${stem}.zip`, inner: name });
    return out;
  }

  private async find(name: string): Promise<Uint8Array | undefined> {
    for (const c of KaggleDir.candidates(name)) {
      if (c.zip === undefined) {
        const plain = join(this.dir, name);
        if ((await exists(plain)) && (await stat(plain)).isFile()) return new Uint8Array(await readFile(plain));
        continue;
      }
      const zipPath = join(this.dir, c.zip);
      if (await exists(zipPath)) {
        const hit = entry(unzipSync(new Uint8Array(await readFile(zipPath))), c.inner);
        if (hit) return hit;
      }
    }
    const whole = await this.competitionArchive();
    if (whole) {
      for (const c of KaggleDir.candidates(name)) {
        const outer = entry(whole, c.zip ?? c.inner);
        if (!outer) continue;
        if (c.zip === undefined) return outer;
        const hit = entry(unzipSync(outer), c.inner);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  /** The bytes of a Kaggle file; a `DatasetMissingError` saying where it looked when absent. */
  async file(name: string): Promise<Uint8Array> {
    const found = await this.find(name);
    if (found) return found;
    const looked = KaggleDir.candidates(name).map((c) => c.zip ?? c.inner);
    throw new DatasetMissingError(
      `Kaggle file ${name} not found in ${this.dir} (looked for ${looked.join(', ')}, also inside ${this.competitionId}.zip); ` +
        "download the competition's data from Kaggle into that folder (unzipped or as Kaggle's zips).",
    );
  }

  /**
   * Every file under the folder `folder` of the download, by path relative to it: from `dir/<folder>/`
   * (or `dir/<folder>/<folder>/`, how Kaggle's zip unpacks), else from `<folder>.zip` (entries at its
   * root or under `<folder>/`), else from that zip inside the competition archive. Empty when absent.
   */
  async tree(folder: string): Promise<Map<string, Uint8Array>> {
    for (const base of [join(this.dir, folder, folder), join(this.dir, folder)]) {
      if (!((await exists(base)) && (await stat(base)).isDirectory())) continue;
      const files = await readdir(base, { recursive: true, withFileTypes: true });
      const out = new Map<string, Uint8Array>();
      for (const f of files) {
        if (!f.isFile()) continue;
        const path = join(f.parentPath ?? (f as unknown as { path: string }).path, f.name);
        out.set(relative(base, path).split(sep).join('/'), new Uint8Array(await readFile(path)));
      }
      if (out.size > 0) return out;
    }
    let archive: Archive | undefined;
    const zipPath = join(this.dir, `${folder}.zip`);
    if (await exists(zipPath)) archive = unzipSync(new Uint8Array(await readFile(zipPath)));
    else {
      const inner = entry((await this.competitionArchive()) ?? {}, `${folder}.zip`);
      if (inner) archive = unzipSync(inner);
    }
    const out = new Map<string, Uint8Array>();
    for (const [name, bytes] of Object.entries(archive ?? {})) {
      if (name.endsWith('/')) continue;
      out.set(name.startsWith(`${folder}/`) ? name.slice(folder.length + 1) : name, bytes);
    }
    return out;
  }
}
