/**
 * TravelAPI (`travel_booking.py`, SPEC §7.7): token login, credit cards, flight bookings,
 * insurance, exchange rates and traveller checks.
 *
 * - Ids come from the seeded CPython generator (seed 141053 by default): access tokens, card ids
 *   and balances, booking and transaction ids, insurance ids (SPEC §4). Task 172's ground truth
 *   relies on the first token being `'251675'`.
 * - Token rule of the token-taking methods: an expired token (`token_expires_in == 0`) fails; a
 *   wrong token decrements `token_expires_in` (TypeError when it is None) and fails.
 * - `verify_traveler_information` computes the age at `this.today` (injectable, SPEC §4).
 *
 * @example
 * const travel = createApi('TravelAPI');
 * travel.call('authenticate_travel', ['id', 'secret', 'refresh', 'read_write', 'Ann', 'Lee']);
 * // {'expires_in': 2, 'access_token': '251675', 'token_type': 'Bearer', 'scope': 'read_write'}
 */
import { ConfigError } from '../../../core/errors.js';
import { containsKey, delItem, getOr, iadd, isub, setItem } from '../python/assign.js';
import { strptime, type NaiveDateTime } from '../python/datetime.js';
import { pyEq } from '../python/equality.js';
import { PyException, pyRaise } from '../python/errors.js';
import { pyFloat, pyRound } from '../python/number.js';
import { add, dictGetOr, getIndex, iterate, lt, mod, mul, requireStr, truediv } from '../python/ops.js';
import type { PyRandom } from '../python/random.js';
import { pyRepr, pyStr } from '../python/repr.js';
import { seededRandom } from '../python/seeded.js';
import { dict, typeName, type PyDict, type PyValue } from '../python/value.js';
import { BfclApi, defMethod, param, type MethodSpec } from './types.js';

const DEFAULT_SEED = 141053n;

// get_flight_cost's directional route table, in source order: [from, to, base cost (int)].
const ROUTES: ReadonlyArray<readonly [string, string, number]> = [
  ['SFO', 'LAX', 200], ['SFO', 'JFK', 500], ['SFO', 'ORD', 400], ['SFO', 'BOS', 450], ['SFO', 'RMS', 300],
  ['SFO', 'SBK', 350], ['SFO', 'MPC', 370], ['SFO', 'SVP', 320], ['SFO', 'SHD', 330], ['SFO', 'SSV', 340],
  ['SFO', 'OKD', 360], ['SFO', 'WLB', 310], ['SFO', 'CRH', 380], ['SFO', 'ATV', 390], ['SFO', 'PHV', 420],
  ['SFO', 'GFD', 430], ['SFO', 'CIA', 700], ['LAX', 'SFO', 100], ['LAX', 'JFK', 600], ['LAX', 'ORD', 500],
  ['LAX', 'BOS', 550], ['LAX', 'RMS', 310], ['LAX', 'SBK', 320], ['LAX', 'MPC', 330], ['LAX', 'SVP', 340],
  ['LAX', 'SHD', 350], ['LAX', 'SSV', 360], ['LAX', 'OKD', 370], ['LAX', 'WLB', 380], ['LAX', 'CRH', 390],
  ['LAX', 'ATV', 400], ['LAX', 'PHV', 410], ['LAX', 'GFD', 420], ['JFK', 'ORD', 300], ['JFK', 'BOS', 250],
  ['JFK', 'RMS', 450], ['JFK', 'SBK', 460], ['JFK', 'MPC', 470], ['JFK', 'SVP', 480], ['JFK', 'SHD', 490],
  ['JFK', 'SSV', 500], ['JFK', 'OKD', 510], ['JFK', 'WLB', 520], ['JFK', 'CRH', 530], ['JFK', 'ATV', 540],
  ['JFK', 'PHV', 550], ['JFK', 'GFD', 560], ['JFK', 'LAX', 570], ['JFK', 'HND', 800], ['JFK', 'PVG', 950],
  ['JFK', 'PEK', 1000], ['ORD', 'LAX', 180], ['ORD', 'BOS', 200], ['ORD', 'RMS', 350], ['ORD', 'SBK', 360],
  ['ORD', 'MPC', 370], ['ORD', 'SVP', 380], ['ORD', 'SHD', 390], ['ORD', 'SSV', 400], ['ORD', 'OKD', 410],
  ['ORD', 'WLB', 420], ['ORD', 'CRH', 430], ['ORD', 'ATV', 440], ['ORD', 'PHV', 450], ['ORD', 'GFD', 460],
  ['BOS', 'RMS', 400], ['BOS', 'SBK', 410], ['BOS', 'MPC', 420], ['BOS', 'SVP', 430], ['BOS', 'SHD', 440],
  ['BOS', 'SSV', 450], ['BOS', 'OKD', 460], ['BOS', 'WLB', 470], ['BOS', 'CRH', 480], ['BOS', 'ATV', 490],
  ['BOS', 'PHV', 500], ['BOS', 'GFD', 510], ['RMS', 'BOS', 200], ['RMS', 'JFK', 210], ['RMS', 'SBK', 220],
  ['RMS', 'MPC', 230], ['RMS', 'SVP', 240], ['RMS', 'SHD', 250], ['RMS', 'SSV', 260], ['RMS', 'OKD', 270],
  ['RMS', 'WLB', 280], ['RMS', 'CRH', 290], ['RMS', 'ATV', 300], ['RMS', 'PHV', 310], ['RMS', 'GFD', 320],
  ['RMS', 'LAX', 330], ['SBK', 'MPC', 200], ['SBK', 'SVP', 210], ['SBK', 'SHD', 220], ['SBK', 'SSV', 230],
  ['SBK', 'OKD', 240], ['SBK', 'WLB', 250], ['SBK', 'CRH', 260], ['SBK', 'ATV', 270], ['SBK', 'PHV', 280],
  ['SBK', 'GFD', 290], ['MPC', 'SVP', 210], ['MPC', 'SHD', 220], ['MPC', 'SSV', 230], ['MPC', 'OKD', 240],
  ['MPC', 'WLB', 250], ['MPC', 'CRH', 260], ['MPC', 'ATV', 270], ['MPC', 'PHV', 280], ['MPC', 'GFD', 290],
  ['SVP', 'SHD', 230], ['SVP', 'SSV', 240], ['SVP', 'OKD', 250], ['SVP', 'WLB', 260], ['SVP', 'CRH', 270],
  ['SVP', 'ATV', 280], ['SVP', 'PHV', 290], ['SVP', 'GFD', 300], ['SHD', 'SSV', 220], ['SHD', 'OKD', 230],
  ['SHD', 'WLB', 240], ['SHD', 'CRH', 250], ['SHD', 'ATV', 260], ['SHD', 'PHV', 270], ['SHD', 'GFD', 280],
  ['SSV', 'OKD', 240], ['SSV', 'WLB', 250], ['SSV', 'CRH', 260], ['SSV', 'ATV', 270], ['SSV', 'PHV', 280],
  ['SSV', 'GFD', 290], ['OKD', 'WLB', 230], ['OKD', 'CRH', 240], ['OKD', 'ATV', 250], ['OKD', 'PHV', 260],
  ['OKD', 'GFD', 270], ['WLB', 'CRH', 250], ['WLB', 'ATV', 260], ['WLB', 'PHV', 270], ['WLB', 'GFD', 280],
  ['CRH', 'ATV', 240], ['CRH', 'PHV', 250], ['CRH', 'GFD', 260], ['CRH', 'SFO', 270], ['CRH', 'RMS', 280],
  ['ATV', 'PHV', 230], ['ATV', 'GFD', 240], ['PHV', 'GFD', 220], ['LHR', 'CDG', 100], ['OKD', 'LAX', 220],
];
const ROUTE_COST = new Map(ROUTES.map(([from, to, cost]) => [`${from}>${to}`, BigInt(cost)]));

// USD → currency; ints stay ints (USD→RMB of an int value is an int, as upstream).
const EXCHANGE_RATES: ReadonlyArray<readonly [string, bigint | number]> = [
  ['RMB', 7n], ['EUR', 0.8], ['JPY', 110n], ['GBP', 0.7], ['CAD', 1.3],
  ['AUD', 1.4], ['INR', 70n], ['RUB', 60n], ['BRL', 3.8], ['MXN', 20n],
];

const AIRPORTS: readonly string[] = [
  'RMS', 'SBK', 'MPC', 'SVP', 'SHD', 'CDG', 'LHR', 'SSV', 'OKD', 'WLB', 'PEK', 'HND',
  'HKG', 'CIA', 'CRH', 'ATV', 'PHV', 'GFD', 'SFO', 'LAX', 'JFK', 'ORD', 'BOS',
];

const NEAREST_AIRPORT: PyDict = dict({
  Rivermist: 'RMS', Stonebrook: 'SBK', Maplecrest: 'MPC', Silverpine: 'SVP', Shadowridge: 'SHD',
  London: 'LHR', Paris: 'CDG', 'Sunset Valley': 'SSV', Oakendale: 'OKD', Willowbend: 'WLB',
  'Crescent Hollow': 'CRH', Autumnville: 'ATV', Pinehaven: 'PHV', Greenfield: 'GFD',
  'San Francisco': 'SFO', 'Los Angeles': 'LAX', 'New York': 'JFK', Chicago: 'ORD', Boston: 'BOS',
  Beijing: 'PEK', 'Hong Kong': 'HKG', Rome: 'CIA', Tokyo: 'HND',
});

/**
 * `int(s)` for a string of decimal digits (category Nd, which Python's `str.isdigit()` accepts
 * and `int()` parses). Nd digits come in runs of ten code points, 0 to 9. Deviation: the other
 * characters `isdigit()` accepts (superscripts, circled digits) count as non-digits here.
 */
function decimalValue(text: string): bigint {
  let value = 0n;
  for (const ch of text) {
    let cp = ch.codePointAt(0) ?? 0;
    let offset = 0;
    while (/^\p{Nd}$/u.test(String.fromCodePoint(cp - 1))) {
      cp--;
      offset++;
    }
    value = value * 10n + BigInt(offset % 10);
  }
  return value;
}

/** The travel booking system. Attribute names are upstream's: they are the compared state. */
export class TravelAPI extends BfclApi {
  readonly className = 'TravelAPI';
  credit_card_list: PyValue = new Map();
  booking_record: PyValue = new Map();
  access_token: PyValue = null;
  token_type: PyValue = null;
  token_expires_in: PyValue = null;
  token_scope: PyValue = null;
  user_first_name: PyValue = null;
  user_last_name: PyValue = null;
  budget_limit: PyValue = null;
  long_context: PyValue = false;
  // Seeded at load as upstream's _load_scenario does; an instance never loaded uses the default seed.
  private random: PyRandom | undefined;

  loadScenario(config: PyDict, longContext = false): void {
    // Upstream's long-context mode adds distractor cards, bookings and flight-cost listings: not ported, and
    // multi_turn_base never uses it, so it is refused rather than silently ignored.
    if (longContext) {
      throw new ConfigError(`TravelAPI: longContext=true (BFCL long_context category) is not supported; load with longContext false`);
    }
    this.random = seededRandom(dictGetOr(config, 'random_seed', DEFAULT_SEED));
    this.credit_card_list = dictGetOr(config, 'credit_card_list', new Map());
    this.booking_record = dictGetOr(config, 'booking_record', new Map());
    this.access_token = dictGetOr(config, 'access_token', null);
    this.token_type = dictGetOr(config, 'token_type', null);
    this.token_expires_in = dictGetOr(config, 'token_expires_in', null);
    this.token_scope = dictGetOr(config, 'token_scope', null);
    this.user_first_name = dictGetOr(config, 'user_first_name', null);
    this.user_last_name = dictGetOr(config, 'user_last_name', null);
    this.budget_limit = dictGetOr(config, 'budget_limit', null);
    this.long_context = longContext;
  }

  publicState(): ReadonlyArray<readonly [string, PyValue]> {
    return [
      ['credit_card_list', this.credit_card_list],
      ['booking_record', this.booking_record],
      ['access_token', this.access_token],
      ['token_type', this.token_type],
      ['token_expires_in', this.token_expires_in],
      ['token_scope', this.token_scope],
      ['user_first_name', this.user_first_name],
      ['user_last_name', this.user_last_name],
      ['budget_limit', this.budget_limit],
      ['long_context', this.long_context],
    ];
  }

  private rng(): PyRandom {
    this.random ??= seededRandom(DEFAULT_SEED);
    return this.random;
  }

  protected methodTable(): Readonly<Record<string, MethodSpec>> {
    const p = (...names: string[]) => names.map((n) => param(n));
    return {
      authenticate_travel: defMethod(
        p('client_id', 'client_secret', 'refresh_token', 'grant_type', 'user_first_name', 'user_last_name'),
        // client_id, client_secret and refresh_token are not validated upstream.
        (_id, _secret, _refresh, grantType, firstName, lastName) => this.authenticate(grantType, firstName, lastName),
      ),
      travel_get_login_status: defMethod([], () =>
        dict({ status: this.token_expires_in !== null && !pyEq(this.token_expires_in, 0n) }),
      ),
      get_budget_fiscal_year: defMethod(
        [param('lastModifiedAfter', () => null), param('includeRemoved', () => null)],
        () => dict({ budget_fiscal_year: '2018' }),
      ),
      register_credit_card: defMethod(
        p('access_token', 'card_number', 'expiration_date', 'cardholder_name', 'card_verification_number'),
        (accessToken, cardNumber, expirationDate, cardholderName, cardVerificationNumber) =>
          this.registerCreditCard(accessToken, cardNumber, expirationDate, cardholderName, cardVerificationNumber),
      ),
      get_flight_cost: defMethod(p('travel_from', 'travel_to', 'travel_date', 'travel_class'), flightCost),
      get_credit_card_balance: defMethod(p('access_token', 'card_id'), (token, cardId) => this.creditCardBalance(token, cardId)),
      book_flight: defMethod(
        p('access_token', 'card_id', 'travel_date', 'travel_from', 'travel_to', 'travel_class', 'travel_cost'),
        (accessToken, cardId, travelDate, travelFrom, travelTo, travelClass, travelCost) =>
          this.bookFlight(accessToken, cardId, travelDate, travelFrom, travelTo, travelClass, travelCost),
      ),
      retrieve_invoice: defMethod(
        [param('access_token'), param('booking_id', () => null), param('insurance_id', () => null)],
        (accessToken, bookingId) => this.retrieveInvoice(accessToken, bookingId),
      ),
      list_all_airports: defMethod([], () => [...AIRPORTS]),
      cancel_booking: defMethod(p('access_token', 'booking_id'), (token, bookingId) => this.cancelBooking(token, bookingId)),
      compute_exchange_rate: defMethod(p('base_currency', 'target_currency', 'value'), exchange),
      verify_traveler_information: defMethod(
        p('first_name', 'last_name', 'date_of_birth', 'passport_number'),
        (first, last, dateOfBirth, passport) => this.verifyTraveler(first, last, dateOfBirth, passport),
      ),
      set_budget_limit: defMethod(p('access_token', 'budget_limit'), (token, limit) => this.setBudgetLimit(token, limit)),
      get_nearest_airport_by_city: defMethod(p('location'), (location) =>
        dict({ nearest_airport: getOr(NEAREST_AIRPORT, location, 'Unknown') }),
      ),
      purchase_insurance: defMethod(
        p('access_token', 'insurance_type', 'booking_id', 'insurance_cost', 'card_id'),
        // insurance_type is neither validated nor stored upstream.
        (token, _type, bookingId, cost, cardId) => this.purchaseInsurance(token, bookingId, cost, cardId),
      ),
      contact_customer_support: defMethod(p('booking_id', 'message'), (bookingId, msg) => this.contactSupport(bookingId, msg)),
      get_all_credit_cards: defMethod([], () => dict({ credit_card_list: this.credit_card_list })),
    };
  }

  /**
   * The token rule (SPEC §7.7), or undefined when the token is valid. A wrong token spends one of
   * the remaining attempts; `-=` on None raises TypeError as upstream.
   */
  private tokenError(accessToken: PyValue): string | undefined {
    if (pyEq(this.token_expires_in, 0n)) return 'Token expired';
    if (!pyEq(accessToken, this.access_token)) {
      this.token_expires_in = isub(this.token_expires_in, 1n);
      return 'Invalid access token';
    }
    return undefined;
  }

  private authenticate(grantType: PyValue, firstName: PyValue, lastName: PyValue): PyValue {
    this.token_expires_in = 2n;
    this.access_token = this.rng().randint(100000n, 999999n).toString();
    this.token_type = 'Bearer';
    this.token_scope = grantType;
    this.user_first_name = firstName;
    this.user_last_name = lastName;
    return dict({ expires_in: 2n, access_token: this.access_token, token_type: 'Bearer', scope: grantType });
  }

  private registerCreditCard(
    accessToken: PyValue,
    cardNumber: PyValue,
    expirationDate: PyValue,
    cardholderName: PyValue,
    cvv: PyValue,
  ): PyValue {
    if (this.token_expires_in === null) return dict({ error: 'Token not initialized' });
    const tokenError = this.tokenError(accessToken);
    if (tokenError) return dict({ error: tokenError });
    // Sic: the card *number* is looked up among card *ids* (SPEC §7.7).
    if (containsKey(this.credit_card_list, cardNumber)) return dict({ error: 'Card already registered' });
    const cardId = this.rng().randint(100000000000n, 999999999999n).toString();
    const card = dict({
      card_number: cardNumber,
      expiration_date: expirationDate,
      cardholder_name: cardholderName,
      card_verification_number: cvv,
      balance: this.rng().randint(10000n, 99999n),
    });
    setItem(this.credit_card_list, cardId, card);
    return dict({ card_id: cardId });
  }

  private creditCardBalance(accessToken: PyValue, cardId: PyValue): PyValue {
    const tokenError = this.tokenError(accessToken);
    if (tokenError) return dict({ error: tokenError });
    if (!containsKey(this.credit_card_list, cardId)) {
      const ids = pyRepr(iterate(this.credit_card_list));
      return dict({ error: `Card not registered. Here are a list of card_id's: ${ids}` });
    }
    return dict({ card_balance: getIndex(getIndex(this.credit_card_list, cardId), 'balance') });
  }

  private bookFlight(
    accessToken: PyValue,
    cardId: PyValue,
    travelDate: PyValue,
    travelFrom: PyValue,
    travelTo: PyValue,
    travelClass: PyValue,
    travelCost: PyValue,
  ): PyValue {
    const fail = (error: string): PyDict => dict({ booking_status: false, error });
    const tokenError = this.tokenError(accessToken);
    if (tokenError) return fail(tokenError);
    if (!containsKey(this.credit_card_list, cardId)) return fail('Card not registered');
    const card = getIndex(this.credit_card_list, cardId);
    if (!containsKey(card, 'balance')) return fail('Balance not found');
    if (lt(getIndex(card, 'balance'), travelCost)) return fail('Insufficient funds');
    if (this.budget_limit !== null && lt(getIndex(card, 'balance'), this.budget_limit)) {
      return fail('Balance is less than budget limit');
    }
    const cost = pyFloat(travelCost);
    setItem(card, 'balance', isub(getIndex(card, 'balance'), cost));
    const bookingId = this.rng().randint(1000000n, 9999999n).toString();
    const transactionId = this.rng().randint(10000000n, 99999999n).toString();
    setItem(
      this.booking_record,
      bookingId,
      dict({
        card_id: cardId,
        travel_date: travelDate,
        travel_from: travelFrom,
        travel_to: travelTo,
        travel_class: travelClass,
        travel_cost: cost,
        transaction_id: transactionId,
      }),
    );
    return dict({ booking_id: bookingId, transaction_id: transactionId, booking_status: true, booking_history: new Map() });
  }

  private retrieveInvoice(accessToken: PyValue, bookingId: PyValue): PyValue {
    const tokenError = this.tokenError(accessToken);
    if (tokenError) return dict({ error: tokenError });
    if (!containsKey(this.booking_record, bookingId)) return dict({ error: 'Booking not found' });
    const booking = getIndex(this.booking_record, bookingId);
    // Field by field as upstream, so a scenario booking without a field raises KeyError on it.
    const field = (k: string): PyValue => getIndex(booking, k);
    const invoice = dict({ booking_id: bookingId });
    for (const k of ['travel_date', 'travel_from', 'travel_to', 'travel_class', 'travel_cost', 'transaction_id']) {
      invoice.set(k, field(k));
    }
    return dict({ invoice });
  }

  private cancelBooking(accessToken: PyValue, bookingId: PyValue): PyValue {
    const tokenError = this.tokenError(accessToken);
    if (tokenError) return dict({ cancel_status: false, error: tokenError });
    if (!containsKey(this.booking_record, bookingId)) return dict({ cancel_status: false, error: 'Booking not found' });
    const booking = getIndex(this.booking_record, bookingId);
    const cardId = getIndex(booking, 'card_id');
    const cost = getIndex(booking, 'travel_cost');
    const card = getIndex(this.credit_card_list, cardId);
    setItem(card, 'balance', iadd(getIndex(card, 'balance'), cost));
    delItem(this.booking_record, bookingId);
    return dict({ cancel_status: true });
  }

  private verifyTraveler(firstName: PyValue, lastName: PyValue, dateOfBirth: PyValue, passport: PyValue): PyValue {
    const fail = (why: string): PyDict => dict({ verification_status: false, verification_failure: why });
    if (!pyEq(this.user_first_name, firstName) || !pyEq(this.user_last_name, lastName)) {
      return fail(
        'Cannot book flight information for another user.' +
          `Expected ${pyStr(this.user_first_name)} ${pyStr(this.user_last_name)}, got ${pyStr(firstName)} ${pyStr(lastName)}`,
      );
    }
    let birth: NaiveDateTime;
    try {
      birth = strptime(dateOfBirth, '%Y-%m-%d');
    } catch (e) {
      // Only ValueError is caught upstream; a non-str date raises TypeError through.
      if (e instanceof PyException && e.pyType === 'ValueError') {
        return fail('Invalid date of birth format. Please use YYYY-MM-DD.');
      }
      throw e;
    }
    const [ty = 0, tm = 0, td = 0] = this.today.split('-').map(Number);
    const beforeBirthday = tm < birth.month || (tm === birth.month && td < birth.day);
    const age = ty - birth.year - (beforeBirthday ? 1 : 0);
    if (age < 18) return fail('Traveler must be at least 18 years old.');
    if (!requireStr(passport, 'startswith').startsWith('US')) return fail('Passport must be issued by the United States.');
    return dict({ verification_status: true });
  }

  private setBudgetLimit(accessToken: PyValue, budgetLimit: PyValue): PyValue {
    const tokenError = this.tokenError(accessToken);
    if (tokenError) return dict({ error: tokenError });
    this.budget_limit = pyFloat(budgetLimit);
    return dict({ budget_limit: this.budget_limit });
  }

  private purchaseInsurance(accessToken: PyValue, bookingId: PyValue, cost: PyValue, cardId: PyValue): PyValue {
    const fail = (error: string): PyDict => dict({ insurance_status: false, error });
    const tokenError = this.tokenError(accessToken);
    if (tokenError) return fail(tokenError);
    if (this.budget_limit !== null && lt(this.budget_limit, cost)) return fail('Exceeded budget limit');
    if (!containsKey(this.booking_record, bookingId)) return fail('Booking not found');
    if (!containsKey(this.credit_card_list, cardId)) return fail('Credit card not registered');
    const card = getIndex(this.credit_card_list, cardId);
    // No funds check upstream; nothing about the insurance is stored.
    setItem(card, 'balance', isub(getIndex(card, 'balance'), cost));
    return dict({ insurance_id: this.rng().randint(100000000n, 999999999n).toString(), insurance_status: true });
  }

  private contactSupport(bookingId: PyValue, message: PyValue): PyValue {
    if (!containsKey(this.booking_record, bookingId)) return dict({ error: 'Booking not found' });
    return dict({
      customer_support_message: add('Thank you for contacting customer support. We will get back to you shortly. ', message),
    });
  }
}

/** `get_flight_cost`: base × class factor × (2 if the date's digit sum is even), as a float. */
function flightCost(from: PyValue, to: PyValue, date: PyValue, travelClass: PyValue): PyValue {
  for (const x of [from, to]) {
    if (Array.isArray(x) || x instanceof Map || x instanceof Set) pyRaise('TypeError', `unhashable type: '${typeName(x)}'`);
  }
  const base = typeof from === 'string' && typeof to === 'string' ? ROUTE_COST.get(`${from}>${to}`) : undefined;
  if (base === undefined) return pyRaise('ValueError', 'No available route for the given airports.');
  let factor: bigint;
  if (pyEq(travelClass, 'economy')) factor = 1n;
  else if (pyEq(travelClass, 'business')) factor = 2n;
  else if (pyEq(travelClass, 'first')) factor = 5n;
  else return pyRaise('ValueError', 'Invalid travel class. Options are: economy, business, first.');
  let digitSum = 0n;
  for (const ch of iterate(date)) {
    const text = requireStr(ch, 'isdigit');
    if (/^\p{Nd}+$/u.test(text)) digitSum += decimalValue(text);
  }
  const multiplier = pyEq(mod(digitSum, 2n), 0n) ? 2n : 1n;
  return dict({ travel_cost_list: [pyFloat(mul(mul(base, factor), multiplier))] });
}

/** `compute_exchange_rate`: USD→X multiplies, X→USD divides and rounds to cents; else ValueError. */
function exchange(base: PyValue, target: PyValue, value: PyValue): PyValue {
  for (const [currency, rate] of EXCHANGE_RATES) {
    if (pyEq(base, 'USD') && pyEq(target, currency)) return dict({ exchanged_value: mul(value, rate) });
    if (pyEq(base, currency) && pyEq(target, 'USD')) return dict({ exchanged_value: pyRound(truediv(value, rate), 2n) });
  }
  return pyRaise('ValueError', 'No available exchange rate for the given currencies.');
}
