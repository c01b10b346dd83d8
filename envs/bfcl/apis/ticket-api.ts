/**
 * TicketAPI (`ticket_api.py`, SPEC §7.5): a support-ticket queue with a login.
 *
 * Scenario data is irregular and is kept as loaded: ids may be strings, tickets may lack fields,
 * and five scenarios hold malformed entries (`{"ticket_001": {...}}`) on which every lookup raises
 * KeyError `'id'` (and `get_user_tickets` KeyError `'created_by'`), as upstream. There is no login
 * check on get/close/resolve/edit.
 *
 * @example
 * const api = createApi('TicketAPI', jsonLoads('{"TicketAPI": {"current_user": "ann"}}') as PyDict);
 * api.call('create_ticket', ['Printer jam'], { priority: 3n });
 * // {'id': 1, 'title': 'Printer jam', 'description': '', 'status': 'Open', 'priority': 3, 'created_by': 'ann'}
 */
import { iadd } from '../python/assign.js';
import { pyEq } from '../python/equality.js';
import { pyRaise } from '../python/errors.js';
import {
  attributeError,
  dictGet,
  dictGetOr,
  dictSet,
  getIndex,
  gt,
  iterate,
  lt,
  requireList,
  requireStr,
  truthy,
} from '../python/ops.js';
import { pyStr } from '../python/repr.js';
import { compareCodePoints } from '../python/snapshot.js';
import { dict, typeName, type PyDict, type PyValue } from '../python/value.js';
import { BfclApi, defMethod, param, type MethodSpec } from './types.js';

const EDITABLE_FIELDS: readonly string[] = ['title', 'description', 'status', 'priority'];

const notFound = (ticketId: PyValue): PyDict => dict({ error: `Ticket with ID ${pyStr(ticketId)} not found.` });

/** The ticketing system. Attribute names are upstream's: they are the compared state. */
export class TicketAPI extends BfclApi {
  readonly className = 'TicketAPI';
  ticket_queue: PyValue = [];
  ticket_counter: PyValue = 1n;
  current_user: PyValue = null;

  loadScenario(config: PyDict): void {
    this.ticket_queue = dictGetOr(config, 'ticket_queue', []);
    this.ticket_counter = dictGetOr(config, 'ticket_counter', 1n);
    this.current_user = dictGetOr(config, 'current_user', null);
  }

  publicState(): ReadonlyArray<readonly [string, PyValue]> {
    return [
      ['ticket_queue', this.ticket_queue],
      ['ticket_counter', this.ticket_counter],
      ['current_user', this.current_user],
    ];
  }

  protected methodTable(): Readonly<Record<string, MethodSpec>> {
    return {
      create_ticket: defMethod(
        [param('title'), param('description', () => ''), param('priority', () => 1n)],
        (title, description, priority) => this.createTicket(title, description, priority),
      ),
      get_ticket: defMethod([param('ticket_id')], (ticketId) => this.find(ticketId) ?? notFound(ticketId)),
      close_ticket: defMethod([param('ticket_id')], (ticketId) => this.closeTicket(ticketId)),
      resolve_ticket: defMethod([param('ticket_id'), param('resolution')], (ticketId, resolution) =>
        this.resolveTicket(ticketId, resolution),
      ),
      edit_ticket: defMethod([param('ticket_id'), param('updates')], (id, updates) => this.editTicket(id, updates)),
      ticket_login: defMethod([param('username'), param('password')], (user, password) => this.ticketLogin(user, password)),
      ticket_get_login_status: defMethod([], () => dict({ username: truthy(this.current_user) })),
      logout: defMethod([], () => this.logout()),
      get_user_tickets: defMethod([param('status', () => null)], (status) => this.getUserTickets(status)),
    };
  }

  private createTicket(title: PyValue, description: PyValue, priority: PyValue): PyValue {
    if (!truthy(this.current_user)) return dict({ error: 'User not authenticated. Please log in to create a ticket.' });
    if (lt(priority, 1n) || gt(priority, 5n)) return dict({ error: 'Invalid priority. Priority must be between 1 and 5.' });
    const ticket = dict({
      id: this.ticket_counter,
      title,
      description,
      status: 'Open',
      priority,
      created_by: this.current_user,
    });
    requireList(this.ticket_queue, 'append').push(ticket);
    this.ticket_counter = iadd(this.ticket_counter, 1n);
    // The stored object itself, as upstream (SPEC §6.2).
    return ticket;
  }

  private closeTicket(ticketId: PyValue): PyValue {
    const ticket = this.find(ticketId);
    if (!ticket) return notFound(ticketId);
    if (pyEq(dictGet(ticket, 'status'), 'Closed')) {
      return dict({ error: `Ticket with ID ${pyStr(ticketId)} is already closed.` });
    }
    dictSet(ticket, 'status', 'Closed');
    return dict({ status: `Ticket ${pyStr(ticketId)} has been closed successfully.` });
  }

  private resolveTicket(ticketId: PyValue, resolution: PyValue): PyValue {
    const ticket = this.find(ticketId);
    if (!ticket) return notFound(ticketId);
    if (pyEq(dictGet(ticket, 'status'), 'Resolved')) {
      return dict({ error: `Ticket with ID ${pyStr(ticketId)} is already resolved.` });
    }
    dictSet(ticket, 'status', 'Resolved');
    dictSet(ticket, 'resolution', resolution);
    return dict({ status: `Ticket ${pyStr(ticketId)} has been resolved successfully.` });
  }

  private editTicket(ticketId: PyValue, updates: PyValue): PyValue {
    const ticket = this.find(ticketId);
    if (!ticket) return notFound(ticketId);
    if (!(updates instanceof Map)) throw attributeError(updates, 'keys');
    const invalid = [...updates.keys()].filter((k) => typeof k !== 'string' || !EDITABLE_FIELDS.includes(k));
    if (invalid.length > 0) {
      const nonStr = invalid.find((k) => typeof k !== 'string');
      if (nonStr !== undefined) pyRaise('TypeError', `sequence item 0: expected str instance, ${typeName(nonStr)} found`);
      // Upstream joins a set, whose order depends on PYTHONHASHSEED (SPEC §4): sorted here.
      const names = (invalid as string[]).sort(compareCodePoints);
      return dict({ error: `Invalid fields for update: ${names.join(', ')}` });
    }
    for (const [key, value] of updates) if (value !== null) dictSet(ticket, key, value);
    return dict({ status: `Ticket ${pyStr(ticketId)} has been updated successfully.` });
  }

  private ticketLogin(username: PyValue, password: PyValue): PyValue {
    // Upstream accepts any non-empty pair (no credential store).
    if (truthy(username) && truthy(password)) {
      this.current_user = username;
      return dict({ success: true });
    }
    return dict({ success: false });
  }

  private logout(): PyValue {
    if (!truthy(this.current_user)) return dict({ success: false });
    this.current_user = null;
    return dict({ success: true });
  }

  private getUserTickets(status: PyValue): PyValue {
    if (!truthy(this.current_user)) return [dict({ error: 'User not authenticated. Please log in to view tickets.' })];
    const mine = iterate(this.ticket_queue).filter((t) => pyEq(getIndex(t, 'created_by'), this.current_user));
    if (!truthy(status)) return mine;
    // Per ticket, ticket status first, as upstream: a bad `status` only fails once a ticket is compared.
    return mine.filter(
      (t) => requireStr(getIndex(t, 'status'), 'lower').toLowerCase() === requireStr(status, 'lower').toLowerCase(),
    );
  }

  /** `_find_ticket`: the first ticket whose `["id"]` equals `ticketId`. */
  private find(ticketId: PyValue): PyDict | undefined {
    for (const ticket of iterate(this.ticket_queue)) {
      // getIndex succeeding on the key 'id' means the ticket is a dict.
      if (pyEq(getIndex(ticket, 'id'), ticketId)) return ticket as PyDict;
    }
    return undefined;
  }
}
