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

/**
 * mlebench: the competition descriptions MLE-bench shows agents (the prompt uses the obfuscated
 * one), from openai/mle-bench at the commit data/mlebench/SPEC.md names. The competition data
 * itself is Kaggle's: prepare it with `exitgym datasets prepare mlebench --kaggle-dir DIR`, or use
 * the synthetic stand-ins (`--synthetic`, the env's default).
 */
const MLEBENCH = ['openai/mle-bench', '783b15af77404fbaffe7255b0c4a934b46153389'] as const;
const mle = (id: string, file: string, sha256: string, bytes: number): RemoteFile => ({ url: gh(...MLEBENCH, `mlebench/competitions/${id}/${file}`), path: `${id}/${file}`, sha256, bytes });
const mlebench: RemoteFile[] = [
  mle('random-acts-of-pizza', 'description.md', '0534f4d657a2fdff3c9ce68cc6625565cd7f7d092a92eff94745b930c6dc47ce', 7182),
  mle('random-acts-of-pizza', 'description_obfuscated.md', '0aff2b32d02a29be7227a28be96ecb4f3f2fcd346161c498007cd102913e50f8', 4365),
  mle('spooky-author-identification', 'description.md', '35d7de46d74377f997bdc7f5859e36ca3311fb4ae2e37ab63491a9d7c72661bd', 6281),
  mle('spooky-author-identification', 'description_obfuscated.md', '9f436bf99717f3a726d429faa809e2b54651f8726ae3b4a663251625f652abe3', 1067),
  mle('detecting-insults-in-social-commentary', 'description.md', '63773cd45967ba5e3b8fb78ba79ec071618e87e6e3f1752971e3c7a17913ffe5', 12177),
  mle('detecting-insults-in-social-commentary', 'description_obfuscated.md', '217ae836598fa01ade8576045bcbe02e9e834a7713db07f9aeedd5955f2e99ef', 1479),
  mle('nomad2018-predict-transparent-conductors', 'description.md', 'd70aa4ad5bd3c2d460b750ae26b7f3572271dcab50499f4c8de66f7d6c45e1ad', 7681),
  mle('nomad2018-predict-transparent-conductors', 'description_obfuscated.md', 'e78adb52177f18888c7c6dc8c8ea660e25c07417c2045a753248f6f5660692d1', 1409),
  mle('jigsaw-toxic-comment-classification-challenge', 'description.md', '7eb0b4ccac0ded8aeefe02d148f1fdb9ad6fea2eff0552217fcaf07b5f0b5d65', 4227),
  mle('jigsaw-toxic-comment-classification-challenge', 'description_obfuscated.md', '9b937b5bc22156e05c43be36b7051a3cb90405dfba1415b22d231a16d8298eee', 958),
  mle('aerial-cactus-identification', 'description.md', '4d89ec66b6f100519a552c5be47b128b21d4b857ba076576970606d29e25c778', 3111),
  mle('aerial-cactus-identification', 'description_obfuscated.md', '6000b7f8654f7f2e4fa663f5fb1ef459312c302b4836e310ae206b0ec06d8c05', 906),
];

/** Dataset id → its remote files. Add one entry per dataset. */
export const MANIFESTS: Record<string, RemoteFile[]> = {
  math,
  bfcl,
  mlebench,
};
