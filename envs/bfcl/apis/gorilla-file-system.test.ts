// Expected result strings and states below were produced by running the upstream Python class
// (gorilla c67d246, CPython 3.11) on the same scenario and calls; `null` marks a call whose upstream
// result differs on purpose (see the named test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pinGroundTruth } from '../../../test/fixtures/bfcl-api-replay.js';
import { parseCallString } from '../call-string.js';
import { jsonLoads } from '../python/json.js';
import type { PyDict } from '../python/value.js';
import { createApi, outcomeString, type BfclApi } from './index.js';

/** Execute one call string on `api` and return the executor's result string (SPEC §1.3). */
function run(api: BfclApi, call: string): string {
  const p = parseCallString(call);
  return outcomeString(api.invoke(p.name, p.positional, new Map(p.keywords)));
}

/** Run `pairs` in order on a fresh instance loaded from `config`; check each result string and the final state. */
function replay(config: string, pairs: ReadonlyArray<readonly [string, string | null]>, state: unknown): BfclApi {
  const api = createApi("GorillaFileSystem", new Map([["GorillaFileSystem", jsonLoads(config)]]) as PyDict);
  for (const [call, want] of pairs) {
    const got = run(api, call);
    if (want !== null) assert.equal(got, want, call);
  }
  assert.deepEqual(api.snapshot(), state);
  return api;
}


test("navigation: pwd, ls (hidden files), cd with .., paths and errors", () => {
  replay(
    "{\"root\": {\"alex\": {\"type\": \"directory\", \"contents\": {\"log.txt\": {\"type\": \"file\", \"content\": \"b line\\nA line\\n\\nsecond error\\r\\nthird\\u000bfour\"}, \".hidden\": {\"type\": \"file\", \"content\": \"h\"}, \"a\": {\"type\": \"directory\", \"contents\": {\"b\": {\"type\": \"directory\", \"contents\": {\"deep.txt\": {\"type\": \"file\", \"content\": \"héllo wörld\"}}}}}, \"notes.md\": {\"type\": \"file\", \"content\": \"one two  three\\nb line\\nA line\"}, \"empty\": {\"type\": \"directory\", \"contents\": {}}}}}}",
    [
      ["pwd()", "{\"current_working_directory\": \"/alex\"}"],
      ["ls()", "{\"current_directory_content\": [\"log.txt\", \"a\", \"notes.md\", \"empty\"]}"],
      ["ls(a=True)", "{\"current_directory_content\": [\"log.txt\", \".hidden\", \"a\", \"notes.md\", \"empty\"]}"],
      ["ls(True)", "{\"current_directory_content\": [\"log.txt\", \".hidden\", \"a\", \"notes.md\", \"empty\"]}"],
      ["cd(folder='a')", "{\"current_working_directory\": \"a\"}"],
      ["pwd()", "{\"current_working_directory\": \"/alex/a\"}"],
      ["cd('b')", "{\"current_working_directory\": \"b\"}"],
      ["pwd()", "{\"current_working_directory\": \"/alex/a/b\"}"],
      ["cd(folder='..')", "{}"],
      ["cd(folder='..')", "{}"],
      ["cd(folder='..')", "{\"error\": \"Cuurent directory is already the root. Cannot go back.\"}"],
      ["cd(folder='nope')", "{\"error\": \"cd: nope: No such directory. You cannot use path to change directory.\"}"],
      ["cd(folder='a/b')", "{\"current_working_directory\": \"b\"}"],
      ["pwd()", "{\"current_working_directory\": \"/alex/a/b\"}"],
      ["cd(folder='/a')", "{\"current_working_directory\": \"a\"}"],
      ["pwd()", "{\"current_working_directory\": \"/alex/a\"}"],
      ["cd('/')", "{\"current_working_directory\": \"alex\"}"],
      ["pwd()", "{\"current_working_directory\": \"/alex\"}"],
    ],
    {"long_context": false, "root": {"type": "directory", "name": "alex", "contents": {"log.txt": {"type": "file", "name": "log.txt", "content": "b line\nA line\n\nsecond error\r\nthird\u000bfour"}, ".hidden": {"type": "file", "name": ".hidden", "content": "h"}, "a": {"type": "directory", "name": "a", "contents": {"b": {"type": "directory", "name": "b", "contents": {"deep.txt": {"type": "file", "name": "deep.txt", "content": "héllo wörld"}}}}}, "notes.md": {"type": "file", "name": "notes.md", "content": "one two  three\nb line\nA line"}, "empty": {"type": "directory", "name": "empty", "contents": {}}}}},
  );
});

test("mkdir, touch, echo, cat: creation, invalid characters, existing names", () => {
  replay(
    "{\"root\": {\"alex\": {\"type\": \"directory\", \"contents\": {\"log.txt\": {\"type\": \"file\", \"content\": \"b line\\nA line\\n\\nsecond error\\r\\nthird\\u000bfour\"}, \".hidden\": {\"type\": \"file\", \"content\": \"h\"}, \"a\": {\"type\": \"directory\", \"contents\": {\"b\": {\"type\": \"directory\", \"contents\": {\"deep.txt\": {\"type\": \"file\", \"content\": \"héllo wörld\"}}}}}, \"notes.md\": {\"type\": \"file\", \"content\": \"one two  three\\nb line\\nA line\"}, \"empty\": {\"type\": \"directory\", \"contents\": {}}}}}}",
    [
      ["mkdir(dir_name='x')", "None"],
      ["mkdir(dir_name='x')", "{\"error\": \"mkdir: cannot create directory 'x': File exists\"}"],
      ["mkdir(dir_name='bad/name')", "{\"error\": \"mkdir: cannot create directory 'bad/name': Invalid character\"}"],
      ["mkdir(dir_name='q?')", "{\"error\": \"mkdir: cannot create directory 'q?': Invalid character\"}"],
      ["touch(file_name='t.txt')", "None"],
      ["touch(file_name='t.txt')", "{\"error\": \"touch: cannot touch 't.txt': File exists\"}"],
      ["touch(file_name='a')", "{\"error\": \"touch: cannot touch 'a': File exists\"}"],
      ["touch(file_name='x<')", "{\"error\": \"touch: cannot touch 'x<': Invalid character\"}"],
      ["echo(content='hi')", "{\"terminal_output\": \"hi\"}"],
      ["echo(content='hi', file_name='')", "{\"terminal_output\": \"hi\"}"],
      ["echo(content='new', file_name='t.txt')", "None"],
      ["echo(content='new2', file_name='n.txt')", "None"],
      ["echo(content='x', file_name='a')", "Error during execution: 'Directory' object has no attribute '_write'"],
      ["echo(content='x', file_name='*')", "{\"error\": \"echo: cannot touch '*': Invalid character\"}"],
      ["cat(file_name='n.txt')", "{\"file_content\": \"new2\"}"],
      ["cat(file_name='a')", "{\"error\": \"cat: a: Is a directory\"}"],
      ["cat(file_name='zz')", "{\"error\": \"cat: zz: No such file or directory\"}"],
      ["cat(file_name='|')", "{\"error\": \"cat: '|': Invalid character\"}"],
    ],
    {"long_context": false, "root": {"type": "directory", "name": "alex", "contents": {"log.txt": {"type": "file", "name": "log.txt", "content": "b line\nA line\n\nsecond error\r\nthird\u000bfour"}, ".hidden": {"type": "file", "name": ".hidden", "content": "h"}, "a": {"type": "directory", "name": "a", "contents": {"b": {"type": "directory", "name": "b", "contents": {"deep.txt": {"type": "file", "name": "deep.txt", "content": "héllo wörld"}}}}}, "notes.md": {"type": "file", "name": "notes.md", "content": "one two  three\nb line\nA line"}, "empty": {"type": "directory", "name": "empty", "contents": {}}, "x": {"type": "directory", "name": "x", "contents": {}}, "t.txt": {"type": "file", "name": "t.txt", "content": "new"}, "n.txt": {"type": "file", "name": "n.txt", "content": "new2"}}}},
  );
});

test("find, wc, sort, grep: searching and counting (splitlines/split semantics)", () => {
  replay(
    "{\"root\": {\"alex\": {\"type\": \"directory\", \"contents\": {\"log.txt\": {\"type\": \"file\", \"content\": \"b line\\nA line\\n\\nsecond error\\r\\nthird\\u000bfour\"}, \".hidden\": {\"type\": \"file\", \"content\": \"h\"}, \"a\": {\"type\": \"directory\", \"contents\": {\"b\": {\"type\": \"directory\", \"contents\": {\"deep.txt\": {\"type\": \"file\", \"content\": \"héllo wörld\"}}}}}, \"notes.md\": {\"type\": \"file\", \"content\": \"one two  three\\nb line\\nA line\"}, \"empty\": {\"type\": \"directory\", \"contents\": {}}}}}}",
    [
      ["find()", "{\"matches\": [\"./log.txt\", \"./.hidden\", \"./a\", \"./a/b\", \"./a/b/deep.txt\", \"./notes.md\", \"./empty\"]}"],
      ["find(path='/x/', name='e')", "{\"matches\": [\"/x/.hidden\", \"/x/a/b/deep.txt\", \"/x/notes.md\", \"/x/empty\"]}"],
      ["find(name='txt')", "{\"matches\": [\"./log.txt\", \"./a/b/deep.txt\"]}"],
      ["find('a')", "{\"matches\": [\"a/log.txt\", \"a/.hidden\", \"a/a\", \"a/a/b\", \"a/a/b/deep.txt\", \"a/notes.md\", \"a/empty\"]}"],
      ["wc(file_name='log.txt')", "{\"count\": 6, \"type\": \"lines\"}"],
      ["wc(file_name='log.txt', mode='w')", "{\"count\": 8, \"type\": \"words\"}"],
      ["wc(file_name='notes.md', mode='c')", "{\"count\": 28, \"type\": \"characters\"}"],
      ["wc(file_name='a', mode='l')", "{\"error\": \"wc: a: No such file or directory\"}"],
      ["wc(file_name='nope', mode='x')", "{\"error\": \"wc: invalid mode 'x'\"}"],
      ["wc('log.txt', 'c')", "{\"count\": 39, \"type\": \"characters\"}"],
      ["sort(file_name='log.txt')", "{\"sorted_content\": \"\\nA line\\nb line\\nfour\\nsecond error\\nthird\"}"],
      ["sort(file_name='a')", "{\"error\": \"sort: a: No such file or directory\"}"],
      ["grep(file_name='log.txt', pattern='line')", "{\"matching_lines\": [\"b line\", \"A line\"]}"],
      ["grep(file_name='nope', pattern='x')", "{\"error\": \"grep: nope: No such file or directory\"}"],
      ["grep('log.txt', 'e')", "{\"matching_lines\": [\"b line\", \"A line\", \"second error\"]}"],
    ],
    {"long_context": false, "root": {"type": "directory", "name": "alex", "contents": {"log.txt": {"type": "file", "name": "log.txt", "content": "b line\nA line\n\nsecond error\r\nthird\u000bfour"}, ".hidden": {"type": "file", "name": ".hidden", "content": "h"}, "a": {"type": "directory", "name": "a", "contents": {"b": {"type": "directory", "name": "b", "contents": {"deep.txt": {"type": "file", "name": "deep.txt", "content": "héllo wörld"}}}}}, "notes.md": {"type": "file", "name": "notes.md", "content": "one two  three\nb line\nA line"}, "empty": {"type": "directory", "name": "empty", "contents": {}}}}},
  );
});

test("du (UTF-8 bytes, human readable), tail (Python slicing), diff", () => {
  replay(
    "{\"root\": {\"alex\": {\"type\": \"directory\", \"contents\": {\"log.txt\": {\"type\": \"file\", \"content\": \"b line\\nA line\\n\\nsecond error\\r\\nthird\\u000bfour\"}, \".hidden\": {\"type\": \"file\", \"content\": \"h\"}, \"a\": {\"type\": \"directory\", \"contents\": {\"b\": {\"type\": \"directory\", \"contents\": {\"deep.txt\": {\"type\": \"file\", \"content\": \"héllo wörld\"}}}}}, \"notes.md\": {\"type\": \"file\", \"content\": \"one two  three\\nb line\\nA line\"}, \"empty\": {\"type\": \"directory\", \"contents\": {}}}}}}",
    [
      ["du()", "{\"disk_usage\": \"81 bytes\"}"],
      ["du(human_readable=True)", "{\"disk_usage\": \"81.00 B\"}"],
      ["cd(folder='a')", "{\"current_working_directory\": \"a\"}"],
      ["du(human_readable=True)", "{\"disk_usage\": \"13.00 B\"}"],
      ["cd(folder='..')", "{}"],
      ["tail(file_name='log.txt')", "{\"last_lines\": \"b line\\nA line\\n\\nsecond error\\nthird\\nfour\"}"],
      ["tail(file_name='log.txt', lines=2)", "{\"last_lines\": \"third\\nfour\"}"],
      ["tail(file_name='log.txt', lines=0)", "{\"last_lines\": \"b line\\nA line\\n\\nsecond error\\nthird\\nfour\"}"],
      ["tail(file_name='log.txt', lines=-2)", "{\"last_lines\": \"\\nsecond error\\nthird\\nfour\"}"],
      ["tail(file_name='log.txt', lines=True)", "{\"last_lines\": \"four\"}"],
      ["tail(file_name='log.txt', lines='3')", "Error during execution: '>' not supported between instances of 'str' and 'int'"],
      ["tail(file_name='log.txt', lines=2.0)", "Error during execution: slice indices must be integers or None or have an __index__ method"],
      ["tail(file_name='a')", "{\"error\": \"tail: a: No such file or directory\"}"],
      ["diff(file_name1='log.txt', file_name2='notes.md')", "{\"diff_lines\": \"- b line\\n+ one two  three\\n- A line\\n+ b line\\n- \\n+ A line\"}"],
      ["diff(file_name1='log.txt', file_name2='log.txt')", "{\"diff_lines\": \"\"}"],
      ["diff(file_name1='log.txt', file_name2='a')", "{\"error\": \"diff: log.txt or a: No such file or directory\"}"],
    ],
    {"long_context": false, "root": {"type": "directory", "name": "alex", "contents": {"log.txt": {"type": "file", "name": "log.txt", "content": "b line\nA line\n\nsecond error\r\nthird\u000bfour"}, ".hidden": {"type": "file", "name": ".hidden", "content": "h"}, "a": {"type": "directory", "name": "a", "contents": {"b": {"type": "directory", "name": "b", "contents": {"deep.txt": {"type": "file", "name": "deep.txt", "content": "héllo wörld"}}}}}, "notes.md": {"type": "file", "name": "notes.md", "content": "one two  three\nb line\nA line"}, "empty": {"type": "directory", "name": "empty", "contents": {}}}}},
  );
});

test("mv: errors, into a directory, rename; moved children keep their old parent", () => {
  replay(
    "{\"root\": {\"alex\": {\"type\": \"directory\", \"contents\": {\"log.txt\": {\"type\": \"file\", \"content\": \"b line\\nA line\\n\\nsecond error\\r\\nthird\\u000bfour\"}, \".hidden\": {\"type\": \"file\", \"content\": \"h\"}, \"a\": {\"type\": \"directory\", \"contents\": {\"b\": {\"type\": \"directory\", \"contents\": {\"deep.txt\": {\"type\": \"file\", \"content\": \"héllo wörld\"}}}}}, \"notes.md\": {\"type\": \"file\", \"content\": \"one two  three\\nb line\\nA line\"}, \"empty\": {\"type\": \"directory\", \"contents\": {}}}}}}",
    [
      ["mv(source='zz', destination='q')", "{\"error\": \"mv: cannot move 'zz': No such file or directory\"}"],
      ["mv(source='log.txt', destination='a/b')", "{\"error\": \"mv: no path allowed in destination. Only file name and folder name is supported for this operation.\"}"],
      ["mv(source='log.txt', destination='notes.md')", "{\"error\": \"mv: cannot move 'log.txt' to 'notes.md': Not a directory\"}"],
      ["mv(source='log.txt', destination='a')", "{\"result\": \"'log.txt' moved to 'a/log.txt'\"}"],
      ["ls()", "{\"current_directory_content\": [\"a\", \"notes.md\", \"empty\"]}"],
      ["cd('a')", "{\"current_working_directory\": \"a\"}"],
      ["ls()", "{\"current_directory_content\": [\"b\", \"log.txt\"]}"],
      ["cat('log.txt')", "{\"file_content\": \"b line\\nA line\\n\\nsecond error\\r\\nthird\\u000bfour\"}"],
      ["cd('..')", "{}"],
      ["mv(source='a', destination='c')", "{\"result\": \"'a' moved to 'c'\"}"],
      ["ls()", "{\"current_directory_content\": [\"notes.md\", \"empty\", \"c\"]}"],
      ["cd('c')", "{\"current_working_directory\": \"c\"}"],
      ["cd('b')", "{\"current_working_directory\": \"b\"}"],
      ["pwd()", "{\"current_working_directory\": \"/alex/a/b\"}"],
      ["cd('..')", "{}"],
      ["pwd()", "{\"current_working_directory\": \"/alex/a\"}"],
      ["cd('..')", "{}"],
      ["pwd()", "{\"current_working_directory\": \"/alex\"}"],
      ["cd('..')", "{\"error\": \"Cuurent directory is already the root. Cannot go back.\"}"],
      ["pwd()", "{\"current_working_directory\": \"/alex\"}"],
    ],
    {"long_context": false, "root": {"type": "directory", "name": "alex", "contents": {".hidden": {"type": "file", "name": ".hidden", "content": "h"}, "notes.md": {"type": "file", "name": "notes.md", "content": "one two  three\nb line\nA line"}, "empty": {"type": "directory", "name": "empty", "contents": {}}, "c": {"type": "directory", "name": "c", "contents": {"b": {"type": "directory", "name": "b", "contents": {"deep.txt": {"type": "file", "name": "deep.txt", "content": "héllo wörld"}}}, "log.txt": {"type": "file", "name": "log.txt", "content": "b line\nA line\n\nsecond error\r\nthird\u000bfour"}}}}}},
  );
});

test("cp: directory copies share their children; existing names raise ValueError", () => {
  replay(
    "{\"root\": {\"alex\": {\"type\": \"directory\", \"contents\": {\"log.txt\": {\"type\": \"file\", \"content\": \"b line\\nA line\\n\\nsecond error\\r\\nthird\\u000bfour\"}, \".hidden\": {\"type\": \"file\", \"content\": \"h\"}, \"a\": {\"type\": \"directory\", \"contents\": {\"b\": {\"type\": \"directory\", \"contents\": {\"deep.txt\": {\"type\": \"file\", \"content\": \"héllo wörld\"}}}}}, \"notes.md\": {\"type\": \"file\", \"content\": \"one two  three\\nb line\\nA line\"}, \"empty\": {\"type\": \"directory\", \"contents\": {}}}}}}",
    [
      ["cp(source='a', destination='acopy')", "{\"result\": \"'a' copied to 'acopy'\"}"],
      ["cd('acopy')", "{\"current_working_directory\": \"acopy\"}"],
      ["cd('b')", "{\"current_working_directory\": \"b\"}"],
      ["echo(content='shared', file_name='new.txt')", "None"],
      ["cd('/')", "{\"current_working_directory\": \"alex\"}"],
      ["cd('a')", "{\"current_working_directory\": \"a\"}"],
      ["cd('b')", "{\"current_working_directory\": \"b\"}"],
      ["ls()", "{\"current_directory_content\": [\"deep.txt\", \"new.txt\"]}"],
      ["cd('/')", "{\"current_working_directory\": \"alex\"}"],
      ["cp(source='notes.md', destination='a')", "{\"result\": \"'notes.md' copied to 'a/notes.md'\"}"],
      ["cp(source='notes.md', destination='a')", "Error during execution: File 'notes.md' already exists in directory 'a'."],
      ["cp(source='notes.md', destination='log.txt')", "{\"error\": \"cp: cannot copy 'notes.md' to 'log.txt': Not a directory\"}"],
      ["cp(source='nope', destination='x')", "{\"error\": \"cp: cannot copy 'nope': No such file or directory\"}"],
      ["cp(source='notes.md', destination='x/y')", "{\"error\": \"cp: don't allow path in destination. Only file name and folder name is supported for this operation.\"}"],
      ["cp(source='empty', destination='a')", "{\"result\": \"'empty' copied to 'a/empty'\"}"],
      ["cp(source='empty', destination='a')", "Error during execution: Directory 'empty' already exists in directory 'a'."],
    ],
    {"long_context": false, "root": {"type": "directory", "name": "alex", "contents": {"log.txt": {"type": "file", "name": "log.txt", "content": "b line\nA line\n\nsecond error\r\nthird\u000bfour"}, ".hidden": {"type": "file", "name": ".hidden", "content": "h"}, "a": {"type": "directory", "name": "a", "contents": {"b": {"type": "directory", "name": "b", "contents": {"deep.txt": {"type": "file", "name": "deep.txt", "content": "héllo wörld"}, "new.txt": {"type": "file", "name": "new.txt", "content": "shared"}}}, "notes.md": {"type": "file", "name": "notes.md", "content": "one two  three\nb line\nA line"}, "empty": {"type": "directory", "name": "empty", "contents": {}}}}, "notes.md": {"type": "file", "name": "notes.md", "content": "one two  three\nb line\nA line"}, "empty": {"type": "directory", "name": "empty", "contents": {}}, "acopy": {"type": "directory", "name": "acopy", "contents": {"b": {"type": "directory", "name": "b", "contents": {"deep.txt": {"type": "file", "name": "deep.txt", "content": "héllo wörld"}, "new.txt": {"type": "file", "name": "new.txt", "content": "shared"}}}}}}}},
  );
});

test("rm, rmdir; mv of a directory into itself drops it", () => {
  replay(
    "{\"root\": {\"alex\": {\"type\": \"directory\", \"contents\": {\"log.txt\": {\"type\": \"file\", \"content\": \"b line\\nA line\\n\\nsecond error\\r\\nthird\\u000bfour\"}, \".hidden\": {\"type\": \"file\", \"content\": \"h\"}, \"a\": {\"type\": \"directory\", \"contents\": {\"b\": {\"type\": \"directory\", \"contents\": {\"deep.txt\": {\"type\": \"file\", \"content\": \"héllo wörld\"}}}}}, \"notes.md\": {\"type\": \"file\", \"content\": \"one two  three\\nb line\\nA line\"}, \"empty\": {\"type\": \"directory\", \"contents\": {}}}}}}",
    [
      ["rm(file_name='a')", "{\"result\": \"'a' removed\"}"],
      ["rm(file_name='a')", "{\"error\": \"rm: cannot remove 'a': No such file or directory\"}"],
      ["rmdir(dir_name='empty')", "{\"result\": \"'empty' removed\"}"],
      ["rmdir(dir_name='empty')", "{\"error\": \"rmdir: cannot remove 'empty': No such file or directory\"}"],
      ["rmdir(dir_name='log.txt')", "{\"error\": \"rmdir: cannot remove 'log.txt': Not a directory\"}"],
      ["mkdir('d')", "None"],
      ["touch('f')", "None"],
      ["mv(source='f', destination='d')", "{\"result\": \"'f' moved to 'd/f'\"}"],
      ["rmdir(dir_name='d')", "{\"error\": \"rmdir: failed to remove 'd': Directory not empty\"}"],
      ["mv(source='d', destination='d')", "{\"result\": \"'d' moved to 'd/d'\"}"],
      ["ls()", "{\"current_directory_content\": [\"log.txt\", \"notes.md\"]}"],
    ],
    {"long_context": false, "root": {"type": "directory", "name": "alex", "contents": {"log.txt": {"type": "file", "name": "log.txt", "content": "b line\nA line\n\nsecond error\r\nthird\u000bfour"}, ".hidden": {"type": "file", "name": ".hidden", "content": "h"}, "notes.md": {"type": "file", "name": "notes.md", "content": "one two  three\nb line\nA line"}}}},
  );
});

test("wrong argument types and signatures raise like Python", () => {
  replay(
    "{\"root\": {\"alex\": {\"type\": \"directory\", \"contents\": {\"log.txt\": {\"type\": \"file\", \"content\": \"b line\\nA line\\n\\nsecond error\\r\\nthird\\u000bfour\"}, \".hidden\": {\"type\": \"file\", \"content\": \"h\"}, \"a\": {\"type\": \"directory\", \"contents\": {\"b\": {\"type\": \"directory\", \"contents\": {\"deep.txt\": {\"type\": \"file\", \"content\": \"héllo wörld\"}}}}}, \"notes.md\": {\"type\": \"file\", \"content\": \"one two  three\\nb line\\nA line\"}, \"empty\": {\"type\": \"directory\", \"contents\": {}}}}}}",
    [
      ["mkdir(dir_name=5)", "Error during execution: argument of type 'int' is not iterable"],
      ["cd(folder=5)", "Error during execution: 'int' object has no attribute 'strip'"],
      ["find(name=3)", "Error during execution: 'in <string>' requires string as left operand, not int"],
      ["touch()", "Error during execution: GorillaFileSystem.touch() missing 1 required positional argument: 'file_name'"],
      ["touch(file_name='a', extra=1)", "Error during execution: GorillaFileSystem.touch() got an unexpected keyword argument 'extra'"],
      ["ls(1, 2)", "Error during execution: GorillaFileSystem.ls() takes from 1 to 2 positional arguments but 3 were given"],
      ["echo(content=5, file_name='num')", "None"],
      ["cat('num')", "{\"file_content\": 5}"],
      ["wc('num')", "Error during execution: 'int' object has no attribute 'splitlines'"],
    ],
    {"long_context": false, "root": {"type": "directory", "name": "alex", "contents": {"log.txt": {"type": "file", "name": "log.txt", "content": "b line\nA line\n\nsecond error\r\nthird\u000bfour"}, ".hidden": {"type": "file", "name": ".hidden", "content": "h"}, "a": {"type": "directory", "name": "a", "contents": {"b": {"type": "directory", "name": "b", "contents": {"deep.txt": {"type": "file", "name": "deep.txt", "content": "héllo wörld"}}}}}, "notes.md": {"type": "file", "name": "notes.md", "content": "one two  three\nb line\nA line"}, "empty": {"type": "directory", "name": "empty", "contents": {}}, "num": {"type": "file", "name": "num", "content": 5}}}},
  );
});

test("default root \"/\" prints as \"//\"", () => {
  replay(
    "{}",
    [
      ["pwd()", "{\"current_working_directory\": \"//\"}"],
      ["mkdir('d')", "None"],
      ["cd('d')", "{\"current_working_directory\": \"d\"}"],
      ["pwd()", "{\"current_working_directory\": \"///d\"}"],
      ["cd('..')", "{}"],
      ["cd('..')", "{\"error\": \"Cuurent directory is already the root. Cannot go back.\"}"],
      ["ls()", "{\"current_directory_content\": [\"d\"]}"],
      ["du()", "{\"disk_usage\": \"0 bytes\"}"],
    ],
    {"long_context": false, "root": {"type": "directory", "name": "/", "contents": {"d": {"type": "directory", "name": "d", "contents": {}}}}},
  );
});

const TREE =
  '{"root": {"alex": {"type": "directory", "contents": {"a": {"type": "directory", "contents": {"b": {"type": "directory", "contents": {}}}}, "f.txt": {"type": "file", "content": "x"}}}}}';

test('state equality ignores the working directory and parent links, not names or contents', () => {
  const one = createApi('GorillaFileSystem', new Map([['GorillaFileSystem', jsonLoads(TREE)]]) as PyDict);
  const two = createApi('GorillaFileSystem', new Map([['GorillaFileSystem', jsonLoads(TREE)]]) as PyDict);
  run(two, "cd(folder='a')");
  assert.ok(one.stateEquals(two));
  run(two, "cd(folder='..')");
  run(two, "echo(content='y', file_name='f.txt')");
  assert.ok(!one.stateEquals(two));
  assert.deepEqual(one.stateDiff(two), ['root']);
});

test('cp of a directory shares its children with the copy; mv keeps the contents map itself', () => {
  const api = createApi('GorillaFileSystem', new Map([['GorillaFileSystem', jsonLoads(TREE)]]) as PyDict);
  run(api, "cp(source='a', destination='copy')");
  run(api, "cd(folder='copy/b')");
  run(api, "touch(file_name='shared.txt')");
  run(api, "cd(folder='/a/b')");
  assert.equal(run(api, 'ls()'), '{"current_directory_content": ["shared.txt"]}');
  run(api, "cd(folder='/')");
  run(api, "touch(file_name='only-in-copy')");
  run(api, "mv(source='a', destination='moved')");
  run(api, "cd(folder='moved')");
  run(api, "cd(folder='b')");
  // b's parent is still the detached old `a`, so the path shows the old name.
  assert.equal(run(api, 'pwd()'), '{"current_working_directory": "/alex/a/b"}');
});

test('wrong argument types raise Python errors instead of coercing', () => {
  const api = createApi('GorillaFileSystem', new Map([['GorillaFileSystem', jsonLoads(TREE)]]) as PyDict);
  assert.equal(run(api, "tail(file_name='f.txt', lines='3')"), "Error during execution: '>' not supported between instances of 'str' and 'int'");
  assert.equal(run(api, 'mkdir(dir_name=5)'), "Error during execution: argument of type 'int' is not iterable");
  assert.equal(run(api, "echo(content='z', file_name='a')"), "Error during execution: 'Directory' object has no attribute '_write'");
});

test('a directory copied into itself contains itself: walking it fails like Python, comparing it does not hang', () => {
  const make = (): BfclApi => createApi('GorillaFileSystem', new Map([['GorillaFileSystem', jsonLoads(TREE)]]) as PyDict);
  const one = make();
  const two = make();
  for (const api of [one, two]) assert.equal(run(api, "cp(source='a', destination='a')"), `{"result": "'a' copied to 'a/a'"}`);
  assert.equal(run(one, 'find()'), 'Error during execution: maximum recursion depth exceeded while calling a Python object');
  assert.equal(run(one, 'du()'), 'Error during execution: maximum recursion depth exceeded');
  assert.equal(run(one, 'ls()'), '{"current_directory_content": ["a", "f.txt"]}');
  assert.equal(one.stateEquals(two), false);
  assert.ok(!one.stateEquals(make()));
});

pinGroundTruth('GorillaFileSystem', { tasks: 50, calls: 229, digest: 'a1c0338c37344ac7fd94ab0670968a59245cb6ed1cade872b9b64b84aacf8b9d' });
