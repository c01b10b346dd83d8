/**
 * What `exitgym datasets pull <id>` downloads: per dataset, the public files (pinned by commit
 * and sha256). Each dataset's owner fills in its own entry; paths are relative to the dataset's
 * folder in the cache (`<cacheDir>/<id>/<path>`).
 */
import type { RemoteFile } from './download.js';

const gh = (repo: string, commit: string, path: string): string => `https://raw.githubusercontent.com/${repo}/${commit}/${path}`;
const AREAL = ['inclusionAI/AReaL', 'ea12141f2b18fbcd130c6460e8a141c1913354de'] as const;
const DEEPSCALER = ['agentica-project/deepscaler', '95ef74ffee001cce89463f2d61dfdce1d03576c1'] as const;
const QWEN = ['QwenLM/Qwen2.5-Math', 'a45202bd16f1ec06f433442dc1152d0074773465'] as const;

/**
 * math: the evaluation sets' source files, byte-exact at the commits named in the data README;
 * `datasets pull math` converts them into the normalised `<set>.jsonl` files (see
 * `datasets/math-convert.ts`). The training pool has no complete public copy that can be fetched
 * file by file (DESIGN "Data"), so it comes only from `EXITGYM_DATA_DIR`.
 */
const math: RemoteFile[] = [
  { url: gh(...AREAL, 'evaluation/data/math_500/test.jsonl'), path: 'orig/inclusionAI_AReaL__math_500_test.jsonl', sha256: '35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132', bytes: 446564 },
  { url: gh(...AREAL, 'evaluation/data/aime25/test.jsonl'), path: 'orig/inclusionAI_AReaL__aime25_test.jsonl', sha256: 'b4e273c02d3e7fe1b74b59eae768fc8230bfb0f79539890cb56f4361caac0331', bytes: 15813 },
  { url: gh(...DEEPSCALER, 'deepscaler/data/test/aime.json'), path: 'orig/agentica-project_deepscaler__test_aime.json', sha256: '03fd341fee10fb71cf906be4eb3042081f314c4d16077489e41f9375085d20d2', bytes: 38011 },
  { url: gh(...DEEPSCALER, 'deepscaler/data/test/amc.json'), path: 'orig/agentica-project_deepscaler__test_amc.json', sha256: '2666a217cb566efb77ebfce61841d5d8855d4b4be89633b29df3a43dcfd942dd', bytes: 38170 },
  { url: gh(...DEEPSCALER, 'deepscaler/data/test/minerva.json'), path: 'orig/agentica-project_deepscaler__test_minerva.json', sha256: 'ba6147602d8b2f9071ecf578e29aa1100c634bdfa982d4c6745c2bd3077554ba', bytes: 269352 },
  { url: gh(...DEEPSCALER, 'deepscaler/data/test/olympiad_bench.json'), path: 'orig/agentica-project_deepscaler__test_olympiad_bench.json', sha256: 'c1e099f7b5830fb843fa52d48d0af8a296a94745cb5981b4ce539dd18af6f8ee', bytes: 1582347 },
  { url: gh(...QWEN, 'evaluation/data/amc23/test.jsonl'), path: 'orig/QwenLM_Qwen2.5-Math__amc23_test.jsonl', sha256: '43707e1ca784602d8479de24ee8ce36609dbebc46dd152b0b12a46611aa898a4', bytes: 27631 },
];

/** Dataset id → its remote files. Add one entry per dataset. */
export const MANIFESTS: Record<string, RemoteFile[]> = {
  math,
};
