/**
 * MessageAPI (upstream `message_api.py`, docs `message_api.json`; SPEC.md §7.3): a workspace of
 * users and an inbox of one-entry `{receiver_id: message}` dicts. Message ids come from CPython's
 * `random.Random(200191)`, so both sides of a comparison draw identical ids.
 */
import { pyEq } from '../python/equality.js';
import { PyException } from '../python/errors.js';
import { add, contains, dictGet, dictGetOr, dictHas, dictSet, iterate, len, listRemove, requireDict, requireList, requireStr, truthy } from '../python/ops.js';
import type { PyRandom } from '../python/random.js';
import { pyStr } from '../python/repr.js';
import { seededRandom } from '../python/seeded.js';
import { dict, typeName, type PyDict, type PyKey, type PyValue } from '../python/value.js';
import { BfclApi, defMethod, param, type MethodSpec } from './types.js';

export const MESSAGE_DEFAULT_SEED = 200191n;

const defaultUserMap = (): PyDict =>
  dict({ Alice: 'USR001', Bob: 'USR002', Catherine: 'USR003', Daniel: 'USR004' });
const defaultInbox = (): PyValue[] => [
  dict({ USR002: 'My name is Alice. I want to connect.' }),
  dict({ USR003: 'Could you upload the file?' }),
  dict({ USR004: 'Could you upload the file?' }),
];
const notLoggedIn = (): PyDict => dict({ error: 'No user is currently logged in.' });

/** `list(message.items())[0]` of an inbox entry. */
function firstItem(message: PyValue): [PyKey, PyValue] {
  const first = requireDict(message, 'items').entries().next();
  if (first.done) throw new PyException('IndexError', 'list index out of range');
  return first.value;
}

export class MessageAPI extends BfclApi {
  readonly className = 'MessageAPI';
  /** A Python set of the message ids drawn so far. */
  generatedIds: PyValue = new Set();
  userCount: PyValue = 4n;
  userMap: PyValue = defaultUserMap();
  inbox: PyValue = defaultInbox();
  messageCount: PyValue = 3n;
  currentUser: PyValue = null;
  // Seeded at load as upstream's _load_scenario does; an instance never loaded uses the default seed.
  private random: PyRandom | undefined;

  loadScenario(config: PyDict): void {
    this.random = seededRandom(dictGetOr(config, 'random_seed', MESSAGE_DEFAULT_SEED));
    this.generatedIds = dictGetOr(config, 'generated_ids', new Set());
    this.userCount = dictGetOr(config, 'user_count', 4n);
    this.userMap = dictGetOr(config, 'user_map', defaultUserMap());
    this.inbox = dictGetOr(config, 'inbox', defaultInbox());
    this.messageCount = dictGetOr(config, 'message_count', 3n);
    this.currentUser = dictGetOr(config, 'current_user', null);
  }

  publicState(): ReadonlyArray<readonly [string, PyValue]> {
    return [
      ['generated_ids', this.generatedIds],
      ['user_count', this.userCount],
      ['user_map', this.userMap],
      ['inbox', this.inbox],
      ['message_count', this.messageCount],
      ['current_user', this.currentUser],
    ];
  }

  private userIds(): PyValue[] {
    return [...requireDict(this.userMap, 'values').values()];
  }

  private rng(): PyRandom {
    this.random ??= seededRandom(MESSAGE_DEFAULT_SEED);
    return this.random;
  }

  private generateId(): PyDict {
    const random = this.rng();
    let id = random.randint(10000n, 99999n);
    while (contains(this.generatedIds, id)) id = random.randint(10000n, 99999n);
    const ids = this.generatedIds;
    if (!(ids instanceof Set)) throw new PyException('AttributeError', `'${typeName(ids)}' object has no attribute 'add'`);
    ids.add(id);
    return dict({ new_id: id });
  }

  protected methodTable(): Record<string, MethodSpec> {
    return {
      list_users: defMethod([], () => dict({ user_list: [...requireDict(this.userMap, 'keys').keys()] })),
      get_user_id: defMethod([param('user')], (user) => {
        const map = requireDict(this.userMap, 'get');
        if (!dictHas(map, user)) return dict({ error: `User '${pyStr(user)}' not found in the workspace.` });
        return dict({ user_id: dictGet(map, user) });
      }),
      message_login: defMethod([param('user_id')], (userId) => {
        if (!contains(this.userIds(), userId)) {
          return dict({ login_status: false, message: `User ID '${pyStr(userId)}' not found.` });
        }
        this.currentUser = userId;
        return dict({ login_status: true, message: `User '${pyStr(userId)}' logged in successfully.` });
      }),
      message_get_login_status: defMethod([], () => dict({ login_status: truthy(this.currentUser) })),
      send_message: defMethod([param('receiver_id'), param('message')], (receiverId, message) => {
        if (!truthy(this.currentUser)) return notLoggedIn();
        if (!contains(this.userIds(), receiverId)) return dict({ error: `Receiver ID '${pyStr(receiverId)}' not found.` });
        const messageId = this.generateId();
        const entry: PyDict = new Map();
        dictSet(entry, receiverId, message);
        requireList(this.inbox, 'append').push(entry);
        this.messageCount = add(this.messageCount, 1n);
        return dict({
          sent_status: true,
          message_id: messageId,
          message: `Message sent to '${pyStr(receiverId)}' successfully.`,
        });
      }),
      delete_message: defMethod([param('receiver_id')], (receiverId) => {
        if (!truthy(this.currentUser)) return notLoggedIn();
        const inbox = requireList(this.inbox, 'remove');
        for (const message of [...inbox].reverse()) {
          const [receiver] = firstItem(message);
          if (pyEq(receiver, receiverId)) {
            // list.remove drops the first *equal* entry, which may be an earlier duplicate.
            listRemove(inbox, message);
            return dict({
              deleted_status: true,
              message_id: receiver,
              message: `Receiver ${pyStr(receiverId)}'s first message deleted successfully.`,
            });
          }
        }
        return dict({ error: `Receiver ID ${pyStr(receiverId)} not found.` });
      }),
      view_messages_sent: defMethod([], () => {
        if (!truthy(this.currentUser)) return notLoggedIn();
        const sent: PyDict = new Map();
        for (const message of iterate(this.inbox)) {
          const [receiver, content] = firstItem(message);
          if (!dictHas(sent, receiver)) dictSet(sent, receiver, [content]);
          else requireList(dictGet(sent, receiver), 'append').push(content);
        }
        return dict({ messages: sent });
      }),
      add_contact: defMethod([param('user_name')], (userName) => {
        const map = requireDict(this.userMap, '__setitem__');
        if (dictHas(map, userName)) return dict({ error: `User name '${pyStr(userName)}' already exists.` });
        this.userCount = add(this.userCount, 1n);
        const userId = `USR${pyStr(this.userCount).padStart(3, '0')}`;
        if (contains(this.userIds(), userId)) return dict({ error: `User ID '${userId}' already exists.` });
        dictSet(map, userName, userId);
        return dict({ added_status: true, user_id: userId, message: `Contact '${pyStr(userName)}' added successfully.` });
      }),
      search_messages: defMethod([param('keyword')], (keyword) => {
        if (!truthy(this.currentUser)) return notLoggedIn();
        const k = requireStr(keyword, 'lower').toLowerCase();
        const results: PyValue[] = [];
        for (const message of iterate(this.inbox)) {
          const [receiver, content] = firstItem(message);
          if (requireStr(content, 'lower').toLowerCase().includes(k)) {
            results.push(dict({ receiver_id: receiver, message: content }));
          }
        }
        return dict({ results });
      }),
      get_message_stats: defMethod([], () => {
        if (!truthy(this.currentUser)) return notLoggedIn();
        const contacts = new Set<PyKey>();
        let received = 0n;
        for (const message of iterate(this.inbox)) {
          const [receiver] = firstItem(message);
          received += 1n;
          if (!contains(contacts, receiver)) contacts.add(receiver);
        }
        return dict({ stats: dict({ received_count: received, total_contacts: len(contacts) }) });
      }),
    };
  }
}
