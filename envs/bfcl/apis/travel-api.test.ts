// Expected strings are upstream's (travel_booking.py executed under CPython 3.11 with
// datetime.today() frozen at 2025-03-01, SPEC.md commit).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pinGroundTruth, load, run } from '../../../test/fixtures/bfcl-api-replay.js';
import { tuple } from '../python/value.js';
import { createApi, outcomeString } from './index.js';
import { TravelAPI } from './travel-api.js';

const AUTH = "authenticate_travel('id', 'sec', 'ref', 'read_write', 'Ann', 'Lee')";

test('TravelAPI exposes exactly the documented methods, in source order', () => {
  assert.deepEqual(new TravelAPI().methodNames(), [
    'authenticate_travel',
    'travel_get_login_status',
    'get_budget_fiscal_year',
    'register_credit_card',
    'get_flight_cost',
    'get_credit_card_balance',
    'book_flight',
    'retrieve_invoice',
    'list_all_airports',
    'cancel_booking',
    'compute_exchange_rate',
    'verify_traveler_information',
    'set_budget_limit',
    'get_nearest_airport_by_city',
    'purchase_insurance',
    'contact_customer_support',
    'get_all_credit_cards',
  ]);
  assert.equal(run(load('TravelAPI'), "_set_card_balance('c', 1)"), "Error during execution: 'TravelAPI' object has no attribute '_set_card_balance'");
});

test('authentication draws CPython ids: first token 251675, then card 391310425148 with balance 58617', () => {
  const api = load('TravelAPI');
  assert.equal(run(api, 'travel_get_login_status()'), '{"status": false}');
  assert.equal(run(api, "register_credit_card('x', '4111', '12/30', 'Ann Lee', 123)"), '{"error": "Token not initialized"}');
  assert.equal(run(api, AUTH), '{"expires_in": 2, "access_token": "251675", "token_type": "Bearer", "scope": "read_write"}');
  assert.equal(run(api, 'travel_get_login_status()'), '{"status": true}');
  assert.equal(run(api, "register_credit_card('251675', '4111', '12/30', 'Ann Lee', 123)"), '{"card_id": "391310425148"}');
  assert.equal(
    run(api, 'get_all_credit_cards()'),
    '{"credit_card_list": {"391310425148": {"card_number": "4111", "expiration_date": "12/30", "cardholder_name": "Ann Lee", "card_verification_number": 123, "balance": 58617}}}',
  );
  // Sic: the card number is looked up among card ids.
  assert.equal(run(api, "register_credit_card('251675', '391310425148', '1', 'x', 1)"), '{"error": "Card already registered"}');
  assert.equal(run(api, AUTH.replace('read_write', 'read')), '{"expires_in": 2, "access_token": "299495", "token_type": "Bearer", "scope": "read"}');
  assert.equal(run(load('TravelAPI', '{"random_seed": 7}'), AUTH), '{"expires_in": 2, "access_token": "439563", "token_type": "Bearer", "scope": "read_write"}');
  assert.equal(run(api, 'get_budget_fiscal_year()'), '{"budget_fiscal_year": "2018"}');
  assert.equal(run(api, "get_budget_fiscal_year('2020', 'x')"), '{"budget_fiscal_year": "2018"}');
});

test('token rule: wrong tokens spend attempts, 0 means expired, None raises on -=', () => {
  const api = load('TravelAPI', '{"credit_card_list": {"card1": {"balance": 4600.0}}}');
  assert.equal(run(api, "get_credit_card_balance('x', 'c')"), "Error during execution: unsupported operand type(s) for -=: 'NoneType' and 'int'");
  run(api, AUTH);
  assert.equal(run(api, "get_credit_card_balance('wrong', 'card1')"), '{"error": "Invalid access token"}');
  assert.equal(run(api, 'travel_get_login_status()'), '{"status": true}');
  assert.equal(run(api, "get_credit_card_balance('wrong', 'card1')"), '{"error": "Invalid access token"}');
  assert.equal(run(api, 'travel_get_login_status()'), '{"status": false}');
  assert.equal(api.snapshot().token_expires_in, 0);
  assert.equal(run(api, "get_credit_card_balance('251675', 'card1')"), '{"error": "Token expired"}');
  assert.equal(run(api, "register_credit_card('251675', 'x', '1', 'x', 1)"), '{"error": "Token expired"}');
  assert.equal(run(api, "book_flight('251675', 'card1', 'd', 'a', 'b', 'c', 1)"), '{"booking_status": false, "error": "Token expired"}');
  assert.equal(run(api, "cancel_booking('251675', 'b')"), '{"cancel_status": false, "error": "Token expired"}');
  assert.equal(run(api, "purchase_insurance('251675', 'b', 'c', 1, 'd')"), '{"insurance_status": false, "error": "Token expired"}');
  assert.equal(run(api, "set_budget_limit('251675', 5)"), '{"error": "Token expired"}');
  assert.equal(run(api, "retrieve_invoice('251675')"), '{"error": "Token expired"}');

  // A None token matches a None argument, so the call goes through.
  const fresh = load('TravelAPI');
  assert.equal(run(fresh, 'set_budget_limit(None, 5)'), '{"budget_limit": 5.0}');
  assert.equal(run(fresh, "cancel_booking('a', 'b')"), "Error during execution: unsupported operand type(s) for -=: 'NoneType' and 'int'");
});

test('flight cost: directional routes, class factors, even digit sum doubles, errors raise', () => {
  const api = load('TravelAPI');
  assert.equal(run(api, "get_flight_cost('SFO', 'LAX', '2024-11-15', 'economy')"), '{"travel_cost_list": [400.0]}');
  assert.equal(run(api, "get_flight_cost('SFO', 'LAX', '2024-11-16', 'first')"), '{"travel_cost_list": [1000.0]}');
  assert.equal(run(api, "get_flight_cost('LAX', 'SFO', '', 'business')"), '{"travel_cost_list": [400.0]}');
  assert.equal(run(api, "get_flight_cost('XXX', 'LAX', '2024-11-15', 'economy')"), 'Error during execution: No available route for the given airports.');
  assert.equal(run(api, "get_flight_cost('SFO', 'LAX', '2024-11-15', 'coach')"), 'Error during execution: Invalid travel class. Options are: economy, business, first.');
  assert.equal(run(api, "get_flight_cost('SFO', 'LAX', 20241115, 'economy')"), "Error during execution: 'int' object is not iterable");
  assert.equal(run(api, "get_flight_cost(['SFO'], 'LAX', '1', 'economy')"), "Error during execution: unhashable type: 'list'");
  // Arabic-Indic digits are digits to str.isdigit() and int(): ٢٠٢٤ sums to 8, even.
  assert.equal(run(api, "get_flight_cost('SFO', 'LAX', '\u0662\u0660\u0662\u0664', 'economy')"), '{"travel_cost_list": [400.0]}');
  assert.equal(outcomeString(api.invoke('get_flight_cost', [tuple('SFO'), 'LAX', '1', 'economy'])), 'Error during execution: No available route for the given airports.');
});

test('airports and exchange rates (int stays int, X→USD rounds half-even to cents)', () => {
  const api = load('TravelAPI');
  assert.equal(
    run(api, 'list_all_airports()'),
    "['RMS', 'SBK', 'MPC', 'SVP', 'SHD', 'CDG', 'LHR', 'SSV', 'OKD', 'WLB', 'PEK', 'HND', 'HKG', 'CIA', 'CRH', 'ATV', 'PHV', 'GFD', 'SFO', 'LAX', 'JFK', 'ORD', 'BOS']",
  );
  assert.equal(run(api, "get_nearest_airport_by_city('Rivermist')"), '{"nearest_airport": "RMS"}');
  assert.equal(run(api, "get_nearest_airport_by_city('Nowhere')"), '{"nearest_airport": "Unknown"}');
  const cases: [string, string][] = [
    ["'USD', 'RMB', 100", '{"exchanged_value": 700}'],
    ["'USD', 'EUR', 100", '{"exchanged_value": 80.0}'],
    ["'EUR', 'USD', 100", '{"exchanged_value": 125.0}'],
    ["'RMB', 'USD', 1000", '{"exchanged_value": 142.86}'],
    ["'GBP', 'USD', 2.675", '{"exchanged_value": 3.82}'],
    ["'JPY', 'USD', 12345", '{"exchanged_value": 112.23}'],
    ["'USD', 'RMB', 'ab'", '{"exchanged_value": "ababababababab"}'],
    ["'USD', 'USD', 1", 'Error during execution: No available exchange rate for the given currencies.'],
    ["'EUR', 'GBP', 1", 'Error during execution: No available exchange rate for the given currencies.'],
  ];
  for (const [args, want] of cases) assert.equal(run(api, `compute_exchange_rate(${args})`), want, args);
});

test('traveller verification: names, date format, age at the injected today, passport', () => {
  const api = load('TravelAPI');
  run(api, AUTH);
  const verify = (dob: string, passport = "'US1'", first = "'Ann'"): string =>
    run(api, `verify_traveler_information(${first}, 'Lee', ${dob}, ${passport})`);
  assert.equal(
    verify("'1990-01-01'", "'US123'", "'Bob'"),
    '{"verification_status": false, "verification_failure": "Cannot book flight information for another user.Expected Ann Lee, got Bob Lee"}',
  );
  const badFormat = '{"verification_status": false, "verification_failure": "Invalid date of birth format. Please use YYYY-MM-DD."}';
  assert.equal(verify("'01/01/1990'"), badFormat);
  assert.equal(verify("'1990-02-30'"), badFormat);
  // today defaults to 2025-03-01: 18 on the birthday, 17 the day before it.
  assert.equal(verify("'2007-03-01'"), '{"verification_status": true}');
  assert.equal(verify("'2007-03-02'"), '{"verification_status": false, "verification_failure": "Traveler must be at least 18 years old."}');
  assert.equal(verify("'1990-01-01'", "'UK1'"), '{"verification_status": false, "verification_failure": "Passport must be issued by the United States."}');
  assert.equal(verify('19900101'), 'Error during execution: strptime() argument 1 must be str, not int');
  assert.equal(verify("'1990-01-01'", '5'), "Error during execution: 'int' object has no attribute 'startswith'");

  const later = createApi('TravelAPI', new Map(), { today: '2030-01-01' });
  later.call('authenticate_travel', ['i', 's', 'r', 'g', 'Ann', 'Lee']);
  assert.equal(run(later, "verify_traveler_information('Ann', 'Lee', '2012-01-01', 'US1')"), '{"verification_status": true}');
  assert.equal(run(later, "verify_traveler_information('Ann', 'Lee', '2012-01-02', 'US1')").includes('18 years'), true);
  assert.throws(() => new TravelAPI({ today: '2025-3-1' }), /YYYY-MM-DD/);
});

test('booking flow: balance checks, float cost, seeded booking/transaction ids, budget limit', () => {
  const api = load(
    'TravelAPI',
    '{"credit_card_list": {"card1": {"card_number": "1111", "balance": 5000.0, "cvv": 123}, "card2": {"card_number": "2222"}}, "booking_record": {"bk0": {"flight_number": "AA1", "price": 200.0}}}',
  );
  run(api, AUTH);
  const book = (card: string, cost: string): string => run(api, `book_flight('251675', '${card}', '2024-12-01', 'SFO', 'LAX', 'economy', ${cost})`);
  assert.equal(book('card1', '200'), '{"booking_id": "5431449", "transaction_id": "59784505", "booking_status": true, "booking_history": {}}');
  assert.equal(book('nope', '1'), '{"booking_status": false, "error": "Card not registered"}');
  assert.equal(book('card2', '200'), '{"booking_status": false, "error": "Balance not found"}');
  assert.equal(book('card1', '99999'), '{"booking_status": false, "error": "Insufficient funds"}');
  assert.equal(book('card1', "'5'"), "Error during execution: '<' not supported between instances of 'float' and 'str'");
  assert.equal(run(api, "set_budget_limit('251675', 3000)"), '{"budget_limit": 3000.0}');
  assert.equal(book('card1', '100'), '{"booking_id": "4191922", "transaction_id": "56121276", "booking_status": true, "booking_history": {}}');
  assert.equal(run(api, "set_budget_limit('251675', '100.5')"), '{"budget_limit": 100.5}');
  assert.equal(run(api, "set_budget_limit('251675', 'abc')"), "Error during execution: could not convert string to float: 'abc'");
  assert.equal(run(api, "set_budget_limit('251675', 4800)"), '{"budget_limit": 4800.0}');
  assert.equal(book('card1', '1'), '{"booking_status": false, "error": "Balance is less than budget limit"}');
  assert.equal(run(api, "get_credit_card_balance('251675', 'card1')"), '{"card_balance": 4700.0}');
  assert.equal(run(api, "get_credit_card_balance('251675', 'zz')"), '{"error": "Card not registered. Here are a list of card_id\'s: [\'card1\', \'card2\']"}');
  assert.equal(
    run(api, "retrieve_invoice('251675', '4191922')"),
    '{"invoice": {"booking_id": "4191922", "travel_date": "2024-12-01", "travel_from": "SFO", "travel_to": "LAX", "travel_class": "economy", "travel_cost": 100.0, "transaction_id": "56121276"}}',
  );
  assert.equal(run(api, "retrieve_invoice('251675')"), '{"error": "Booking not found"}');
  assert.equal(run(api, "purchase_insurance('251675', 'full', 'nope', 50, 'card1')"), '{"insurance_status": false, "error": "Booking not found"}');
  assert.equal(run(api, "purchase_insurance('251675', 'full', '4191922', 5000, 'card1')"), '{"insurance_status": false, "error": "Exceeded budget limit"}');
  assert.equal(run(api, "purchase_insurance('251675', 'full', '4191922', 50, 'zz')"), '{"insurance_status": false, "error": "Credit card not registered"}');
  assert.equal(run(api, "cancel_booking('251675', '4191922')"), '{"cancel_status": true}');
  assert.equal(run(api, "cancel_booking('251675', '4191922')"), '{"cancel_status": false, "error": "Booking not found"}');
  assert.equal(run(api, "contact_customer_support('nope', 'hi')"), '{"error": "Booking not found"}');
  // Insertion order is kept (a JS object would put the integer-like id first).
  const bookings = new Map(api.publicState()).get('booking_record');
  assert.ok(bookings instanceof Map);
  assert.deepEqual([...bookings.keys()], ['bk0', '5431449']);
  assert.equal(run(api, "get_credit_card_balance('251675', 'card1')"), '{"card_balance": 4800.0}');
});

test('scenario bookings with free-form fields raise KeyError; insurance has no funds check', () => {
  const api = load(
    'TravelAPI',
    '{"access_token": "tok", "token_expires_in": 5, "credit_card_list": {"card1": {"balance": 100}}, "booking_record": {"bk0": {"travel_date": "2024-01-01", "price": 200.0}}}',
  );
  assert.equal(run(api, "retrieve_invoice('tok', 'bk0')"), "Error during execution: 'travel_from'");
  assert.equal(run(api, "cancel_booking('tok', 'bk0')"), "Error during execution: 'card_id'");
  assert.equal(
    run(api, "contact_customer_support('bk0', 'help')"),
    '{"customer_support_message": "Thank you for contacting customer support. We will get back to you shortly. help"}',
  );
  assert.equal(run(api, "contact_customer_support('bk0', 5)"), 'Error during execution: can only concatenate str (not "int") to str');
  // Seed 141053's first 9-digit draw.
  assert.equal(run(api, "purchase_insurance('tok', 'basic', 'bk0', 20, 'card1')"), '{"insurance_id": "255316027", "insurance_status": true}');
  assert.equal(run(api, "get_credit_card_balance('tok', 'card1')"), '{"card_balance": 80}');
  assert.equal(run(api, "purchase_insurance('tok', 'basic', 'bk0', 500, 'card1')").includes('"insurance_status": true'), true);
  assert.equal(run(api, "get_credit_card_balance('tok', 'card1')"), '{"card_balance": -420}');
});

test('extra scenario keys are ignored; long_context is false state', () => {
  const api = load('TravelAPI', '{"current_location": "x", "budget_limit": 10.0}');
  assert.deepEqual(api.snapshot(), {
    credit_card_list: {},
    booking_record: {},
    access_token: null,
    token_type: null,
    token_expires_in: null,
    token_scope: null,
    user_first_name: null,
    user_last_name: null,
    budget_limit: 10,
    long_context: false,
  });
});

test('long-context mode (not ported) is refused, not silently ignored', () => {
  assert.throws(() => createApi('TravelAPI', new Map(), { longContext: true }), /TravelAPI: longContext=true .* not supported/);
});

pinGroundTruth('TravelAPI', { tasks: 50, calls: 203, digest: 'de509ecee84bd7d8f005a0d12d45a04e8f1a8b1c31781c3f2fde02310faeb0ac' });
