/**
 * TradingBot (`trading_bot.py`, SPEC §7.6): orders, an account, a watch list and stock quotes.
 *
 * - `orders` is a dict with int keys (scenario digit-string keys become ints at load) and, in 42
 *   scenarios, the string key `'order_type'` mapping to `"Buy"`; a `Map` keeps both and their order.
 * - The clock is fixed at 2024-09-01 10:30; transaction timestamps are that time plus
 *   `randint(0, 86400)` seconds from the seeded CPython generator (seed 1053520 by default), which
 *   equals upstream's local-time computation whenever that day has no DST change (SPEC §4).
 *
 * @example
 * const bot = createApi('TradingBot');
 * bot.call('trading_login', ['u', 'p']);
 * bot.call('update_market_status', ['10:30 AM']);
 * bot.call('make_transaction', [12345n, 'deposit', 500.0]);
 * // {'status': 'Deposit successful', 'new_balance': 10500.0}; timestamp '2024-09-02 05:40:15'
 */
import { ConfigError } from '../../../core/errors.js';
import { containsKey, getOr, iadd, isub, setItem } from '../python/assign.js';
import { addSeconds, compareDateTime, formatDateTime, strptime, type NaiveDateTime } from '../python/datetime.js';
import { pyEq } from '../python/equality.js';
import { pyFloat } from '../python/number.js';
import {
  contains,
  dictGet,
  dictGetOr,
  dictHas,
  ge,
  getIndex,
  gt,
  iterate,
  le,
  listRemove,
  mul,
  pyAbs,
  requireDict,
  requireList,
  sub,
  truediv,
  truthy,
} from '../python/ops.js';
import type { PyRandom } from '../python/random.js';
import { pyRepr, pyStr } from '../python/repr.js';
import { dict, type PyDict, type PyValue } from '../python/value.js';
import { BfclApi, defMethod, param, type MethodSpec } from './types.js';
import { seededRandom } from '../python/seeded.js';

const CURRENT_TIME: NaiveDateTime = { year: 2024, month: 9, day: 1, hour: 10, minute: 30, second: 0 };
const DEFAULT_SEED = 1053520n;

const SYMBOL_MAP: PyDict = dict({
  Apple: 'AAPL',
  Google: 'GOOG',
  Tesla: 'TSLA',
  Microsoft: 'MSFT',
  Nvidia: 'NVDA',
  'Zeta Corp': 'ZETA',
  'Alpha Tech': 'ALPH',
  'Omega Industries': 'OMEG',
  'Quasar Ltd.': 'QUAS',
  'Neptune Systems': 'NEPT',
  'Synex Solutions': 'SYNX',
  Amazon: 'AMZN',
});

// [symbol, price, percent_change, volume, MA(5), MA(20)]; all floats upstream.
const DEFAULT_STOCKS: ReadonlyArray<readonly [string, number, number, number, number, number]> = [
  ['AAPL', 227.16, 0.17, 2.552, 227.11, 227.09],
  ['GOOG', 2840.34, 0.24, 1.123, 2835.67, 2842.15],
  ['TSLA', 667.92, -0.12, 1.654, 671.15, 668.2],
  ['MSFT', 310.23, 0.09, 3.234, 309.88, 310.11],
  ['NVDA', 220.34, 0.34, 1.234, 220.45, 220.67],
  ['ALPH', 1320.45, -0.08, 1.567, 1321.12, 1325.78],
  ['OMEG', 457.23, 0.12, 2.345, 456.78, 458.12],
  ['QUAS', 725.89, -0.03, 1.789, 726.45, 728.0],
  ['NEPT', 88.34, 0.19, 0.654, 88.21, 88.67],
  ['SYNX', 345.67, 0.11, 2.112, 345.34, 346.12],
  ['ZETA', 22.09, -0.05, 0.789, 22.12, 22.34],
];

const defaultOrders = (): PyDict =>
  new Map<bigint, PyValue>([
    [12345n, dict({ id: 12345n, order_type: 'Buy', symbol: 'AAPL', price: 210.65, amount: 10n, status: 'Completed' })],
    [12446n, dict({ id: 12446n, order_type: 'Sell', symbol: 'GOOG', price: 2840.56, amount: 5n, status: 'Pending' })],
  ]);

const defaultAccount = (): PyDict => dict({ account_id: 12345n, balance: 10000.0, binding_card: 1974202140965533n });

const defaultStocks = (): PyDict =>
  new Map(
    DEFAULT_STOCKS.map(([s, price, change, volume, ma5, ma20]) => [
      s,
      dict({ price, percent_change: change, volume, 'MA(5)': ma5, 'MA(20)': ma20 }),
    ]),
  );

/** The trading system. Attribute names are upstream's: they are the compared state. */
export class TradingBot extends BfclApi {
  readonly className = 'TradingBot';
  orders: PyValue = defaultOrders();
  account_info: PyValue = defaultAccount();
  authenticated: PyValue = false;
  market_status: PyValue = 'Closed';
  order_counter: PyValue = 12446n;
  stocks: PyValue = defaultStocks();
  watch_list: PyValue = ['NVDA'];
  transaction_history: PyValue = [];
  long_context: PyValue = false;
  // Seeded at load as upstream's _load_scenario does; an instance never loaded uses the default seed.
  private random: PyRandom | undefined;

  loadScenario(config: PyDict, longContext = false): void {
    // Upstream's long-context mode adds distractor stock metadata, watch-list and transaction extensions: not ported, and
    // multi_turn_base never uses it, so it is refused rather than silently ignored.
    if (longContext) {
      throw new ConfigError(`TradingBot: longContext=true (BFCL long_context category) is not supported; load with longContext false`);
    }
    // The default tables are built only when the scenario lacks them (all 50 scenarios have stocks).
    const orDefault = (key: string, make: () => PyValue): PyValue =>
      dictHas(config, key) ? dictGet(config, key) : make();
    const orders = requireDict(orDefault('orders', defaultOrders), 'items');
    // Upstream: {int(k) if isinstance(k, str) and k.isdigit() else k: v for k, v in orders.items()}
    const converted: PyDict = new Map();
    for (const [k, v] of orders) setItem(converted, typeof k === 'string' && /^[0-9]+$/.test(k) ? BigInt(k) : k, v);
    this.orders = converted;
    this.account_info = orDefault('account_info', defaultAccount);
    this.authenticated = dictGetOr(config, 'authenticated', false);
    this.market_status = dictGetOr(config, 'market_status', 'Closed');
    this.order_counter = dictGetOr(config, 'order_counter', 12446n);
    this.stocks = orDefault('stocks', defaultStocks);
    this.watch_list = dictGetOr(config, 'watch_list', ['NVDA']);
    this.transaction_history = dictGetOr(config, 'transaction_history', []);
    this.long_context = longContext;
    this.random = seededRandom(dictGetOr(config, 'random_seed', DEFAULT_SEED));
  }

  publicState(): ReadonlyArray<readonly [string, PyValue]> {
    return [
      ['orders', this.orders],
      ['account_info', this.account_info],
      ['authenticated', this.authenticated],
      ['market_status', this.market_status],
      ['order_counter', this.order_counter],
      ['stocks', this.stocks],
      ['watch_list', this.watch_list],
      ['transaction_history', this.transaction_history],
      ['long_context', this.long_context],
    ];
  }

  private rng(): PyRandom {
    this.random ??= seededRandom(DEFAULT_SEED);
    return this.random;
  }

  protected methodTable(): Readonly<Record<string, MethodSpec>> {
    return {
      get_current_time: defMethod([], () => dict({ current_time: '10:30 AM' })),
      update_market_status: defMethod([param('current_time_str')], (time) => this.updateMarketStatus(time)),
      get_symbol_by_name: defMethod([param('name')], (name) => dict({ symbol: getOr(SYMBOL_MAP, name, 'Stock not found') })),
      get_stock_info: defMethod([param('symbol')], (symbol) => this.getStockInfo(symbol)),
      get_order_details: defMethod([param('order_id')], (orderId) => this.getOrderDetails(orderId)),
      cancel_order: defMethod([param('order_id')], (orderId) => this.cancelOrder(orderId)),
      place_order: defMethod([param('order_type'), param('symbol'), param('price'), param('amount')], (type, symbol, price, amount) =>
        this.placeOrder(type, symbol, price, amount),
      ),
      make_transaction: defMethod([param('account_id'), param('xact_type'), param('amount')], (account, type, amount) =>
        this.makeTransaction(account, type, amount),
      ),
      get_account_info: defMethod([], () =>
        truthy(this.authenticated)
          ? this.account_info
          : dict({ error: 'User not authenticated. Please log in to view account information.' }),
      ),
      trading_login: defMethod([param('username'), param('password')], () => this.tradingLogin()),
      trading_get_login_status: defMethod([], () => dict({ status: truthy(this.authenticated) })),
      trading_logout: defMethod([], () => this.tradingLogout()),
      fund_account: defMethod([param('amount')], (amount) => this.fundAccount(amount)),
      remove_stock_from_watchlist: defMethod([param('symbol')], (symbol) => this.removeFromWatchlist(symbol)),
      get_watchlist: defMethod([], () =>
        truthy(this.authenticated)
          ? dict({ watchlist: this.watch_list })
          : // A list of one string upstream, not an error dict (SPEC §7.6).
            ['Error: User not authenticated. Please log in to view the watchlist.'],
      ),
      get_order_history: defMethod([], () =>
        truthy(this.authenticated)
          ? dict({ history: iterate(this.orders) })
          : [dict({ error: 'User not authenticated. Please log in to view order history.' })],
      ),
      get_transaction_history: defMethod(
        [param('start_date', () => null), param('end_date', () => null)],
        (startDate, endDate) => this.getTransactionHistory(startDate, endDate),
      ),
      update_stock_price: defMethod([param('symbol'), param('new_price')], (symbol, newPrice) =>
        this.updateStockPrice(symbol, newPrice),
      ),
      get_available_stocks: defMethod([param('sector')], (sector) => dict({ stock_list: availableStocks(sector) })),
      filter_stocks_by_price: defMethod([param('stocks'), param('min_price'), param('max_price')], (stocks, min, max) =>
        this.filterStocksByPrice(stocks, min, max),
      ),
      add_to_watchlist: defMethod([param('stock')], (stock) => this.addToWatchlist(stock)),
      notify_price_change: defMethod([param('stocks'), param('threshold')], (stocks, threshold) =>
        this.notifyPriceChange(stocks, threshold),
      ),
    };
  }

  /** `_generate_transaction_timestamp`: one draw, CURRENT_TIME plus 0..86400 seconds. */
  private timestamp(): string {
    // randint(T0, T0 + 86400) draws exactly as randint(0, 86400): both are randbelow(86401).
    const offset = this.rng().randint(0n, 86400n);
    return formatDateTime(addSeconds(CURRENT_TIME, Number(offset)));
  }

  private updateMarketStatus(currentTime: PyValue): PyValue {
    const t = strptime(currentTime, '%I:%M %p');
    const minutes = t.hour * 60 + t.minute;
    // 09:30 <= t <= 16:00 on datetime.time values (seconds are always 0 with this format).
    this.market_status = minutes >= 9 * 60 + 30 && minutes <= 16 * 60 ? 'Open' : 'Closed';
    return dict({ status: this.market_status });
  }

  private getStockInfo(symbol: PyValue): PyValue {
    if (!containsKey(this.stocks, symbol)) return dict({ error: `Stock with symbol '${pyStr(symbol)}' not found.` });
    return getIndex(this.stocks, symbol);
  }

  private getOrderDetails(orderId: PyValue): PyValue {
    if (!containsKey(this.orders, orderId)) {
      return dict({
        error: `Order with ID ${pyStr(orderId)} not found.Here is the list of orders_id: ${pyRepr(iterate(this.orders))}`,
      });
    }
    return getIndex(this.orders, orderId);
  }

  private cancelOrder(orderId: PyValue): PyValue {
    if (!containsKey(this.orders, orderId)) return dict({ error: `Order with ID ${pyStr(orderId)} not found.` });
    const order = getIndex(this.orders, orderId);
    if (pyEq(getIndex(order, 'status'), 'Completed')) {
      return dict({ error: `Can't cancel order ${pyStr(orderId)}. Order is already completed.` });
    }
    setItem(order, 'status', 'Cancelled');
    return dict({ order_id: orderId, status: 'Cancelled' });
  }

  private placeOrder(orderType: PyValue, symbol: PyValue, price: PyValue, amount: PyValue): PyValue {
    if (!truthy(this.authenticated)) return dict({ error: 'User not authenticated. Please log in to place an order.' });
    if (!containsKey(this.stocks, symbol)) return dict({ error: `Invalid stock symbol: ${pyStr(symbol)}` });
    if (le(price, 0n) || le(amount, 0n)) return dict({ error: 'Price and amount must be positive values.' });
    const fprice = pyFloat(price);
    const orderId = this.order_counter;
    // Stored at key order_counter, overwriting an existing order with that id (12446 by default).
    setItem(
      this.orders,
      orderId,
      dict({ id: orderId, order_type: orderType, symbol, price: fprice, amount, status: 'Open' }),
    );
    this.order_counter = iadd(this.order_counter, 1n);
    // Reported as "Pending" though stored as "Open": upstream simulates execution delay.
    return dict({ order_id: orderId, order_type: orderType, status: 'Pending', price: fprice, amount });
  }

  private makeTransaction(accountId: PyValue, xactType: PyValue, amount: PyValue): PyValue {
    if (!truthy(this.authenticated)) return dict({ error: 'User not authenticated. Please log in to make a transaction.' });
    if (!pyEq(this.market_status, 'Open')) return dict({ error: 'Market is closed. Transactions are not allowed.' });
    if (!pyEq(accountId, getIndex(this.account_info, 'account_id'))) {
      return dict({ error: `Account with ID ${pyStr(accountId)} not found.` });
    }
    if (le(amount, 0n)) return dict({ error: 'Transaction amount must be positive.' });
    if (pyEq(xactType, 'deposit')) return this.deposit(amount, 'Deposit successful');
    if (pyEq(xactType, 'withdrawal')) {
      if (gt(amount, getIndex(this.account_info, 'balance'))) return dict({ error: 'Insufficient funds for withdrawal.' });
      setItem(this.account_info, 'balance', isub(getIndex(this.account_info, 'balance'), amount));
      this.record('withdrawal', amount);
      return dict({ status: 'Withdrawal successful', new_balance: getIndex(this.account_info, 'balance') });
    }
    return dict({ error: "Invalid transaction type. Use 'deposit' or 'withdrawal'." });
  }

  private deposit(amount: PyValue, status: string): PyValue {
    setItem(this.account_info, 'balance', iadd(getIndex(this.account_info, 'balance'), amount));
    this.record('deposit', amount);
    return dict({ status, new_balance: getIndex(this.account_info, 'balance') });
  }

  /** Append a transaction; `.append` is looked up before the timestamp draw, as in Python. */
  private record(type: string, amount: PyValue): void {
    const history = requireList(this.transaction_history, 'append');
    history.push(dict({ type, amount, timestamp: this.timestamp() }));
  }

  private tradingLogin(): PyValue {
    // Credentials are ignored upstream.
    if (truthy(this.authenticated)) return dict({ status: 'Already logged in' });
    this.authenticated = true;
    return dict({ status: 'Logged in successfully' });
  }

  private tradingLogout(): PyValue {
    if (!truthy(this.authenticated)) return dict({ status: 'No user is currently logged in' });
    this.authenticated = false;
    return dict({ status: 'Logged out successfully' });
  }

  private fundAccount(amount: PyValue): PyValue {
    if (!truthy(this.authenticated)) return dict({ error: 'User not authenticated. Please log in to fund the account.' });
    if (le(amount, 0n)) return dict({ error: 'Funding amount must be positive.' });
    return this.deposit(amount, 'Account funded successfully');
  }

  private removeFromWatchlist(symbol: PyValue): PyValue {
    if (!truthy(this.authenticated)) return dict({ error: 'User not authenticated. Please log in to modify the watchlist.' });
    if (!contains(this.watch_list, symbol)) return dict({ error: `Stock ${pyStr(symbol)} not found in watchlist.` });
    listRemove(requireList(this.watch_list, 'remove'), symbol);
    return dict({ status: `Stock ${pyStr(symbol)} removed from watchlist successfully.` });
  }

  private getTransactionHistory(startDate: PyValue, endDate: PyValue): PyValue {
    if (!truthy(this.authenticated)) {
      return [dict({ error: 'User not authenticated. Please log in to view transaction history.' })];
    }
    const start = truthy(startDate) ? strptime(startDate, '%Y-%m-%d') : undefined;
    const end = truthy(endDate) ? strptime(endDate, '%Y-%m-%d') : undefined;
    // Every timestamp is parsed (a malformed one raises) even when a bound is missing.
    const kept = iterate(this.transaction_history).filter((t) => {
      const ts = strptime(getIndex(t, 'timestamp'), '%Y-%m-%d %H:%M:%S');
      return (!start || compareDateTime(start, ts) <= 0) && (!end || compareDateTime(ts, end) <= 0);
    });
    return dict({ transaction_history: kept });
  }

  private updateStockPrice(symbol: PyValue, newPrice: PyValue): PyValue {
    if (!containsKey(this.stocks, symbol)) return dict({ error: `Stock with symbol '${pyStr(symbol)}' not found.` });
    if (le(newPrice, 0n)) return dict({ error: 'New price must be a positive value.' });
    const stock = getIndex(this.stocks, symbol);
    const oldPrice = getIndex(stock, 'price');
    setItem(stock, 'price', newPrice);
    setItem(stock, 'percent_change', mul(truediv(sub(newPrice, oldPrice), oldPrice), 100n));
    return dict({ symbol, old_price: oldPrice, new_price: newPrice });
  }

  private filterStocksByPrice(stocks: PyValue, minPrice: PyValue, maxPrice: PyValue): PyValue {
    const priceOf = (symbol: PyValue): PyValue =>
      dictGetOr(requireDict(getOr(requireDict(this.stocks, 'get'), symbol, new Map()), 'get'), 'price', 0n);
    const kept = iterate(stocks).filter((s) => ge(priceOf(s), minPrice) && le(priceOf(s), maxPrice));
    return dict({ filtered_stocks: kept });
  }

  private addToWatchlist(stock: PyValue): PyValue {
    if (!contains(this.watch_list, stock) && containsKey(this.stocks, stock)) {
      requireList(this.watch_list, 'append').push(stock);
    }
    return dict({ symbol: this.watch_list });
  }

  private notifyPriceChange(stocks: PyValue, threshold: PyValue): PyValue {
    const changed = iterate(stocks).filter(
      (s) => containsKey(this.stocks, s) && ge(pyAbs(getIndex(getIndex(this.stocks, s), 'percent_change')), threshold),
    );
    if (changed.length === 0) return dict({ notification: 'No significant price changes in the selected stocks.' });
    return dict({ notification: `Stocks ${changed.map(pyStr).join(', ')} have significant price changes.` });
  }
}

/** `sector_map.get(sector, [])`, a fresh list per call as upstream builds the map per call. */
function availableStocks(sector: PyValue): PyValue {
  const map = dict({ Technology: ['AAPL', 'GOOG', 'MSFT', 'NVDA'], Automobile: ['TSLA', 'F', 'GM'] });
  return getOr(map, sector, []);
}


