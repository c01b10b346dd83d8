// Expected strings are upstream's (ticket_api.py executed under CPython 3.11, SPEC.md commit).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pinGroundTruth, load, run } from '../../../test/fixtures/bfcl-api-replay.js';
import { createApi } from './index.js';
import { TicketAPI } from './ticket-api.js';

test('TicketAPI exposes exactly the documented methods, in source order', () => {
  assert.deepEqual(new TicketAPI().methodNames(), [
    'create_ticket',
    'get_ticket',
    'close_ticket',
    'resolve_ticket',
    'edit_ticket',
    'ticket_login',
    'ticket_get_login_status',
    'logout',
    'get_user_tickets',
  ]);
  const api = load('TicketAPI');
  assert.equal(run(api, 'find_ticket(1)'), "Error during execution: 'TicketAPI' object has no attribute 'find_ticket'");
  assert.equal(run(api, '_find_ticket(1)'), "Error during execution: 'TicketAPI' object has no attribute '_find_ticket'");
});

test('defaults: empty queue, counter 1, nobody logged in', () => {
  assert.deepEqual(load('TicketAPI').snapshot(), { ticket_queue: [], ticket_counter: 1, current_user: null });
});

test('login, logout and login status', () => {
  const api = load('TicketAPI');
  assert.equal(run(api, "ticket_get_login_status()"), '{"username": false}');
  assert.equal(run(api, "ticket_login('', 'p')"), '{"success": false}');
  assert.equal(run(api, "ticket_login('ann', 'pw')"), '{"success": true}');
  assert.equal(run(api, 'ticket_get_login_status()'), '{"username": true}');
  assert.equal(run(api, 'logout()'), '{"success": true}');
  assert.equal(run(api, 'logout()'), '{"success": false}');
  assert.equal(api.snapshot().current_user, null);
});

test('create_ticket: auth and priority checks, ids from the counter, int/float kept', () => {
  const api = load('TicketAPI');
  assert.equal(run(api, "create_ticket('x')"), '{"error": "User not authenticated. Please log in to create a ticket."}');
  run(api, "ticket_login('ann', 'pw')");
  assert.equal(
    run(api, "create_ticket('Printer', 'jam', 3)"),
    '{"id": 1, "title": "Printer", "description": "jam", "status": "Open", "priority": 3, "created_by": "ann"}',
  );
  assert.equal(run(api, "create_ticket('Bad', priority=0)"), '{"error": "Invalid priority. Priority must be between 1 and 5."}');
  assert.equal(run(api, "create_ticket('Bad', priority=6)"), '{"error": "Invalid priority. Priority must be between 1 and 5."}');
  assert.equal(
    run(api, "create_ticket('Hi', priority=5.0)"),
    '{"id": 2, "title": "Hi", "description": "", "status": "Open", "priority": 5.0, "created_by": "ann"}',
  );
  // Python compares 'high' < 1 and raises; JS would coerce.
  assert.equal(run(api, "create_ticket('t', priority='high')"), "Error during execution: '<' not supported between instances of 'str' and 'int'");
  assert.equal(api.snapshot().ticket_counter, 3);
});

test('get/close/resolve: lookups by Python equality, repeated transitions are errors', () => {
  const api = load('TicketAPI', '{"current_user": "ann"}');
  run(api, "create_ticket('Printer', 'jam', 3)");
  const ticket = '{"id": 1, "title": "Printer", "description": "jam", "status": "Open", "priority": 3, "created_by": "ann"}';
  assert.equal(run(api, 'get_ticket(1)'), ticket);
  assert.equal(run(api, 'get_ticket(1.0)'), ticket);
  assert.equal(run(api, 'get_ticket(True)'), ticket);
  assert.equal(run(api, "get_ticket('1')"), '{"error": "Ticket with ID 1 not found."}');
  assert.equal(run(api, 'close_ticket(1)'), '{"status": "Ticket 1 has been closed successfully."}');
  assert.equal(run(api, 'close_ticket(1)'), '{"error": "Ticket with ID 1 is already closed."}');
  assert.equal(run(api, 'close_ticket(9)'), '{"error": "Ticket with ID 9 not found."}');
  assert.equal(run(api, "resolve_ticket(1, 'fixed')"), '{"status": "Ticket 1 has been resolved successfully."}');
  assert.equal(run(api, "resolve_ticket(1, 'again')"), '{"error": "Ticket with ID 1 is already resolved."}');
  assert.equal(run(api, "resolve_ticket(9, 'x')"), '{"error": "Ticket with ID 9 not found."}');
  assert.deepEqual(api.snapshot().ticket_queue, [
    { id: 1, title: 'Printer', description: 'jam', status: 'Resolved', priority: 3, created_by: 'ann', resolution: 'fixed' },
  ]);
});

test('edit_ticket: valid fields written (None skipped), invalid fields listed sorted, wrong types raise', () => {
  const api = load('TicketAPI', '{"current_user": "ann"}');
  run(api, "create_ticket('Old', 'd', 2)");
  assert.equal(
    run(api, "edit_ticket(1, {'title': 'New', 'priority': 4, 'description': None})"),
    '{"status": "Ticket 1 has been updated successfully."}',
  );
  // Upstream joins a set (hash order); the port sorts so the message is reproducible.
  assert.equal(
    run(api, "edit_ticket(1, {'owner': 'bob', 'zeta': 1, 'alpha': 2})"),
    '{"error": "Invalid fields for update: alpha, owner, zeta"}',
  );
  assert.equal(run(api, "edit_ticket(9, {})"), '{"error": "Ticket with ID 9 not found."}');
  assert.equal(run(api, 'edit_ticket(1, [1])'), "Error during execution: 'list' object has no attribute 'keys'");
  assert.equal(run(api, "edit_ticket(1, {1: 'x'})"), 'Error during execution: sequence item 0: expected str instance, int found');
  assert.deepEqual(api.snapshot().ticket_queue, [
    { id: 1, title: 'New', description: 'd', status: 'Open', priority: 4, created_by: 'ann' },
  ]);
});

test('get_user_tickets: auth list-error, own tickets, case-insensitive status filter', () => {
  const api = load('TicketAPI', '{"ticket_queue": [{"id": 5, "status": "open", "created_by": "bob"}]}');
  assert.equal(run(api, 'get_user_tickets()'), "[{'error': 'User not authenticated. Please log in to view tickets.'}]");
  run(api, "ticket_login('ann', 'pw')");
  run(api, "create_ticket('A')");
  run(api, "create_ticket('B')");
  run(api, 'close_ticket(2)');
  assert.equal(
    run(api, "get_user_tickets('CLOSED')"),
    "[{'id': 2, 'title': 'B', 'description': '', 'status': 'Closed', 'priority': 1, 'created_by': 'ann'}]",
  );
  assert.equal(run(api, "get_user_tickets('')").length > 100, true, 'empty status means no filter');
  assert.equal(run(api, 'get_user_tickets(5)'), "Error during execution: 'int' object has no attribute 'lower'");
  run(api, "ticket_login('carl', 'pw')");
  // No ticket to compare, so the bad status is never lowered (as upstream).
  assert.equal(run(api, 'get_user_tickets(5)'), '[]');
});

test('irregular scenarios: string ids, missing fields, malformed entries raise KeyError', () => {
  const api = load(
    'TicketAPI',
    '{"ticket_queue": [{"id": 7423, "status": "unresolved"}, {"id": "ticket_001", "status": "Open"}, {"id": 12, "description": "x"}], "ticket_counter": 0}',
  );
  assert.equal(run(api, 'close_ticket(7423)'), '{"status": "Ticket 7423 has been closed successfully."}');
  assert.equal(run(api, "get_ticket('ticket_001')"), '{"id": "ticket_001", "status": "Open"}');
  assert.equal(run(api, "resolve_ticket(12, 'done')"), "Error during execution: 'status'");
  run(api, "ticket_login('u', 'p')");
  assert.equal(run(api, "create_ticket('y', 'd', 2)"), '{"id": 0, "title": "y", "description": "d", "status": "Open", "priority": 2, "created_by": "u"}');
  assert.equal(run(api, 'get_user_tickets()'), "Error during execution: 'created_by'");

  const bad = load('TicketAPI', '{"current_user": "john", "ticket_queue": [{"ticket_001": {"priority": 5, "status": "Open"}}]}');
  for (const call of ['get_ticket(1)', 'close_ticket(1)', 'edit_ticket(1, {})', "resolve_ticket(1, 'r')"]) {
    assert.equal(run(bad, call), "Error during execution: 'id'", call);
  }
  assert.equal(run(bad, "create_ticket('a')"), '{"id": 1, "title": "a", "description": "", "status": "Open", "priority": 1, "created_by": "john"}');
});

test('ticket_counter None: the ticket is appended before += raises, as upstream', () => {
  const api = load('TicketAPI', '{"current_user": "a", "ticket_counter": null}');
  assert.equal(run(api, "create_ticket('x')"), "Error during execution: unsupported operand type(s) for +=: 'NoneType' and 'int'");
  assert.equal(
    run(api, 'get_user_tickets()'),
    "[{'id': None, 'title': 'x', 'description': '', 'status': 'Open', 'priority': 1, 'created_by': 'a'}]",
  );
});

test('returned tickets are the stored objects; separate instances share nothing', () => {
  const config = new Map([['TicketAPI', new Map([['current_user', 'ann']])]]);
  const a = createApi('TicketAPI', config);
  const b = createApi('TicketAPI', config);
  const ticket = a.call('create_ticket', ['T']);
  assert.ok(ticket instanceof Map);
  ticket.set('status', 'Closed');
  assert.equal(run(a, 'get_ticket(1)').includes('"status": "Closed"'), true);
  assert.equal(b.stateEquals(a), false);
  b.call('create_ticket', ['T']);
  assert.equal(b.stateEquals(a), false);
  b.call('close_ticket', [1n]);
  assert.equal(b.stateEquals(a), true);
  assert.deepEqual(b.stateDiff(a), []);
});

pinGroundTruth('TicketAPI', { tasks: 27, calls: 48, digest: '53529802be2111b83a0fa4512e548a84254b3997bfe0dba63620dc586c4529b2' });
