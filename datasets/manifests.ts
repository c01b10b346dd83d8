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

/**
 * bfcl: BFCL v3 `multi_turn_base` from ShishirPatil/gorilla at the commit the data README names
 * (the snapshot Bespoke Labs vendored). The train/test split is computed (`datasets/bfcl-split.ts`).
 */
const GORILLA = ['ShishirPatil/gorilla', 'c67d246e5fbf436b4ab879d821dc15c88c83f7e2'] as const;
const bfclFile = (path: string, sha256: string, bytes: number, upstream = `berkeley-function-call-leaderboard/data/${path}`): RemoteFile => ({ url: gh(...GORILLA, upstream), path, sha256, bytes });
const bfcl: RemoteFile[] = [
  bfclFile('BFCL_v3_multi_turn_base.json', 'edaea7666e0089062c30f3ac511914d5c27414dbe9b8214488191980d873b145', 391058),
  bfclFile('possible_answer/BFCL_v3_multi_turn_base.json', 'd03b360939e3ca7fe537016349f84868971340393c3d43c1dd9527b8e43102f2', 80428),
  bfclFile('multi_turn_func_doc/gorilla_file_system.json', '26c01bed25bf7affbc8d281cc8124ccdc220a64c374ac4a7a9181dea0a0468ee', 13951),
  bfclFile('multi_turn_func_doc/math_api.json', '83fa31708c89442bdcf12ac4dfbe3be8663ec9183a1b1524a9fda98164bc7e0b', 9158),
  bfclFile('multi_turn_func_doc/message_api.json', '2855068a0e77c4f1861fb2c1aa581590af85eb4b56994c6ebf79e30afb83be24', 6097),
  bfclFile('multi_turn_func_doc/posting_api.json', '87f9fc404a06e4107d7c366f1399c596440e84c16cb119faf374b2f532d86e8b', 10573),
  bfclFile('multi_turn_func_doc/ticket_api.json', '1d78a0bbc15ca2dca3a2228be690b8b929783b2715175cd05b80ee2106581897', 6577),
  bfclFile('multi_turn_func_doc/trading_bot.json', 'c04b85e9ea0795a0fea1e1c3608795aa720edde52539b2e71897aa207976a25f', 14075),
  bfclFile('multi_turn_func_doc/travel_booking.json', '5247c1f4db044d4c18c30cc8e3a4e2a0c818aa122f4aae62f9b95d94dec065a3', 15930),
  bfclFile('multi_turn_func_doc/vehicle_control.json', 'a0366b59ad6eabb10410eadf95aa5991262ad0bbc3f560ebba45d7fc3e4f2808', 17545),
  bfclFile('LICENSE-gorilla.txt', 'c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4', 11357, 'LICENSE'),
];

/** Dataset id → its remote files. Add one entry per dataset. */
export const MANIFESTS: Record<string, RemoteFile[]> = {
  math,
  bfcl,
};
