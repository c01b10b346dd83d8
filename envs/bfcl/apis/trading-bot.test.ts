// Expected strings are upstream's (trading_bot.py executed under CPython 3.11, SPEC.md commit).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pinGroundTruth, load, run } from '../../../test/fixtures/bfcl-api-replay.js';
import { tuple, type PyValue } from '../python/value.js';
import { createApi, outcomeString } from './index.js';
import { TradingBot } from './trading-bot.js';

const loggedIn = (config = '{}'): ReturnType<typeof load> => {
  const bot = load('TradingBot', config);
  run(bot, "trading_login('u', 'p')");
  return bot;
};

test('TradingBot exposes exactly the documented methods, in source order', () => {
  assert.deepEqual(new TradingBot().methodNames(), [
    'get_current_time',
    'update_market_status',
    'get_symbol_by_name',
    'get_stock_info',
    'get_order_details',
    'cancel_order',
    'place_order',
    'make_transaction',
    'get_account_info',
    'trading_login',
    'trading_get_login_status',
    'trading_logout',
    'fund_account',
    'remove_stock_from_watchlist',
    'get_watchlist',
    'get_order_history',
    'get_transaction_history',
    'update_stock_price',
    'get_available_stocks',
    'filter_stocks_by_price',
    'add_to_watchlist',
    'notify_price_change',
  ]);
  assert.equal(run(load('TradingBot'), '_generate_transaction_timestamp()'), "Error during execution: 'TradingBot' object has no attribute '_generate_transaction_timestamp'");
});

test('default state: int order keys, float prices, long_context false', () => {
  const snap = load('TradingBot').snapshot();
  assert.deepEqual(Object.keys(snap), [
    'orders', 'account_info', 'authenticated', 'market_status', 'order_counter', 'stocks', 'watch_list', 'transaction_history', 'long_context',
  ]);
  assert.deepEqual(snap.account_info, { account_id: 12345, balance: 10000, binding_card: 1974202140965533 });
  assert.equal(snap.long_context, false);
  assert.equal(
    run(load('TradingBot'), "get_stock_info('QUAS')"),
    '{"price": 725.89, "percent_change": -0.03, "volume": 1.789, "MA(5)": 726.45, "MA(20)": 728.0}',
  );
});

test('clock and market status: %I:%M %p parsing as CPython strptime', () => {
  const bot = load('TradingBot');
  assert.equal(run(bot, 'get_current_time()'), '{"current_time": "10:30 AM"}');
  const cases: [string, string][] = [
    ["'10:30 AM'", '{"status": "Open"}'],
    ["'9:29 am'", '{"status": "Closed"}'],
    ["'09:30 AM'", '{"status": "Open"}'],
    ["'4:00 PM'", '{"status": "Open"}'],
    ["'4:01 PM'", '{"status": "Closed"}'],
    ["'12:00 AM'", '{"status": "Closed"}'],
    ["'12:15 pm'", '{"status": "Open"}'],
    ["'13:00 PM'", "Error during execution: time data '13:00 PM' does not match format '%I:%M %p'"],
    ["'10:30AM'", "Error during execution: time data '10:30AM' does not match format '%I:%M %p'"],
    ["'10:30 AM extra'", 'Error during execution: unconverted data remains:  extra'],
    ['1030', 'Error during execution: strptime() argument 1 must be str, not int'],
  ];
  for (const [arg, want] of cases) assert.equal(run(bot, `update_market_status(${arg})`), want, arg);
  assert.equal(bot.snapshot().market_status, 'Open');
});

test('symbols, stock info, sectors', () => {
  const bot = load('TradingBot');
  assert.equal(run(bot, "get_symbol_by_name('Amazon')"), '{"symbol": "AMZN"}');
  assert.equal(run(bot, "get_symbol_by_name('Foo')"), '{"symbol": "Stock not found"}');
  assert.equal(run(bot, "get_symbol_by_name(['a'])"), "Error during execution: unhashable type: 'list'");
  assert.equal(run(bot, "get_stock_info('XXX')"), '{"error": "Stock with symbol \'XXX\' not found."}');
  assert.equal(run(bot, "get_available_stocks('Technology')"), '{"stock_list": ["AAPL", "GOOG", "MSFT", "NVDA"]}');
  assert.equal(run(bot, "get_available_stocks('Automobile')"), '{"stock_list": ["TSLA", "F", "GM"]}');
  assert.equal(run(bot, "get_available_stocks('Energy')"), '{"stock_list": []}');
});

test('orders: details, cancel, place (overwrites id 12446, price as float)', () => {
  const bot = load('TradingBot');
  assert.equal(
    run(bot, 'get_order_details(12345)'),
    '{"id": 12345, "order_type": "Buy", "symbol": "AAPL", "price": 210.65, "amount": 10, "status": "Completed"}',
  );
  // '12345' is not the int key 12345.
  assert.equal(run(bot, "get_order_details('12345')"), '{"error": "Order with ID 12345 not found.Here is the list of orders_id: [12345, 12446]"}');
  assert.equal(run(bot, 'cancel_order(12345)'), '{"error": "Can\'t cancel order 12345. Order is already completed."}');
  assert.equal(run(bot, 'cancel_order(12446)'), '{"order_id": 12446, "status": "Cancelled"}');
  assert.equal(run(bot, 'cancel_order(99)'), '{"error": "Order with ID 99 not found."}');
  assert.equal(run(bot, "place_order('Buy', 'AAPL', 100, 5)"), '{"error": "User not authenticated. Please log in to place an order."}');
  assert.equal(run(bot, "trading_login('u', 'p')"), '{"status": "Logged in successfully"}');
  assert.equal(run(bot, "trading_login('u', 'p')"), '{"status": "Already logged in"}');
  assert.equal(run(bot, "place_order('Buy', 'AAPL', 100, 5)"), '{"order_id": 12446, "order_type": "Buy", "status": "Pending", "price": 100.0, "amount": 5}');
  assert.equal(run(bot, "place_order('Sell', 'XYZ', 1.5, 5)"), '{"error": "Invalid stock symbol: XYZ"}');
  assert.equal(run(bot, "place_order('Sell', 'GOOG', 0, 5)"), '{"error": "Price and amount must be positive values."}');
  assert.equal(run(bot, "place_order('Sell', 'GOOG', 5, -1)"), '{"error": "Price and amount must be positive values."}');
  assert.equal(run(bot, "place_order('Buy', 'AAPL', '5', 1)"), "Error during execution: '<=' not supported between instances of 'str' and 'int'");
  assert.equal(run(bot, "place_order('Sell', 'GOOG', 2.5, 3)"), '{"order_id": 12447, "order_type": "Sell", "status": "Pending", "price": 2.5, "amount": 3}');
  assert.equal(run(bot, 'get_order_history()'), '{"history": [12345, 12446, 12447]}');
  assert.equal(run(bot, 'get_order_details(12447)'), '{"id": 12447, "order_type": "Sell", "symbol": "GOOG", "price": 2.5, "amount": 3, "status": "Open"}');
  // No "already cancelled" check upstream.
  assert.equal(run(bot, 'cancel_order(12447)'), '{"order_id": 12447, "status": "Cancelled"}');
  assert.equal(run(bot, 'cancel_order(12447)'), '{"order_id": 12447, "status": "Cancelled"}');
  assert.equal(bot.snapshot().order_counter, 12448);
});

test("malformed scenario orders: the 'order_type' key survives, digit keys become ints", () => {
  const bot = loggedIn(
    '{"orders": {"12345": {"symbol": "AAPL", "price": 210.65, "num_shares": 10, "status": "Completed"}, "order_type": "Buy"}, "order_counter": 12346}',
  );
  assert.equal(run(bot, 'get_order_history()'), '{"history": [12345, "order_type"]}');
  // A bare str result is returned as itself (SPEC §1.3).
  assert.equal(run(bot, "get_order_details('order_type')"), 'Buy');
  assert.equal(run(bot, 'cancel_order(12345)'), '{"error": "Can\'t cancel order 12345. Order is already completed."}');
  assert.equal(run(bot, "cancel_order('order_type')"), "Error during execution: string indices must be integers, not 'str'");
  run(bot, "place_order('Buy', 'AAPL', 10, 1)");
  assert.equal(run(bot, 'get_order_details(5)'), '{"error": "Order with ID 5 not found.Here is the list of orders_id: [12345, \'order_type\', 12346]"}');
  assert.deepEqual(bot.snapshot().orders, {
    '12345': { symbol: 'AAPL', price: 210.65, num_shares: 10, status: 'Completed' },
    order_type: 'Buy',
    '12346': { id: 12346, order_type: 'Buy', symbol: 'AAPL', price: 10, amount: 1, status: 'Open' },
  });
});

test('transactions: checks in order, balances keep int/float, timestamps from the seeded generator', () => {
  const bot = loggedIn();
  assert.equal(run(bot, "make_transaction(12345, 'deposit', 100)"), '{"error": "Market is closed. Transactions are not allowed."}');
  run(bot, "update_market_status('10:00 AM')");
  assert.equal(run(bot, "make_transaction(1, 'deposit', 100)"), '{"error": "Account with ID 1 not found."}');
  assert.equal(run(bot, "make_transaction(12345, 'deposit', 0)"), '{"error": "Transaction amount must be positive."}');
  assert.equal(run(bot, "make_transaction(12345, 'deposit', 100)"), '{"status": "Deposit successful", "new_balance": 10100.0}');
  assert.equal(run(bot, "make_transaction(12345, 'withdrawal', 99999)"), '{"error": "Insufficient funds for withdrawal."}');
  assert.equal(run(bot, "make_transaction(12345, 'withdrawal', 0.1)"), '{"status": "Withdrawal successful", "new_balance": 10099.9}');
  assert.equal(run(bot, "make_transaction(12345, 'transfer', 5)"), '{"error": "Invalid transaction type. Use \'deposit\' or \'withdrawal\'."}');
  assert.equal(run(bot, "make_transaction(12345.0, 'deposit', 1.5)"), '{"status": "Deposit successful", "new_balance": 10101.4}');
  assert.equal(run(bot, 'fund_account(-5)'), '{"error": "Funding amount must be positive."}');
  assert.equal(run(bot, 'fund_account(0.3)'), '{"status": "Account funded successfully", "new_balance": 10101.699999999999}');
  // Seed 1053520: randint(0, 86400) draws 69015, 6994, 64788, … seconds after 2024-09-01 10:30 (SPEC §4).
  assert.deepEqual(bot.snapshot().transaction_history, [
    { type: 'deposit', amount: 100, timestamp: '2024-09-02 05:40:15' },
    { type: 'withdrawal', amount: 0.1, timestamp: '2024-09-01 12:26:34' },
    { type: 'deposit', amount: 1.5, timestamp: '2024-09-02 04:29:48' },
    { type: 'deposit', amount: 0.3, timestamp: '2024-09-02 09:45:15' },
  ]);
  assert.equal(run(bot, 'get_account_info()'), '{"account_id": 12345, "balance": 10101.699999999999, "binding_card": 1974202140965533}');
});

test('transaction history: date bounds are midnights, %Y-%m-%d parsed as CPython', () => {
  const bot = loggedIn();
  for (let i = 1; i <= 4; i++) run(bot, `fund_account(${i})`);
  const amounts = (call: string): number[] =>
    [...run(bot, call).matchAll(/"amount": (\d+)/g)].map((m) => Number(m[1]));
  assert.deepEqual(amounts('get_transaction_history()'), [1, 2, 3, 4]);
  assert.deepEqual(amounts("get_transaction_history('2024-9-2')"), [1, 3, 4]);
  assert.deepEqual(amounts("get_transaction_history(end_date='2024-09-02')"), [2]);
  assert.deepEqual(amounts("get_transaction_history('2024-09-02', '2024-09-01')"), []);
  assert.equal(run(bot, "get_transaction_history('09/01/2024')"), "Error during execution: time data '09/01/2024' does not match format '%Y-%m-%d'");
  assert.equal(run(bot, "get_transaction_history('2024-02-30')"), 'Error during execution: day is out of range for month');
  const bad = loggedIn('{"transaction_history": [{"type": "deposit", "amount": 5, "timestamp": "2024-09-01"}]}');
  assert.equal(
    run(bad, 'get_transaction_history()'),
    "Error during execution: time data '2024-09-01' does not match format '%Y-%m-%d %H:%M:%S'",
  );
});

test('random_seed from the scenario seeds the timestamps', () => {
  // random.Random(42).randint(0, 86400) == 83810 in CPython: 10:30 + 23:16:50.
  const bot = loggedIn('{"random_seed": 42}');
  run(bot, 'fund_account(10)');
  assert.deepEqual(bot.snapshot().transaction_history, [{ type: 'deposit', amount: 10, timestamp: '2024-09-02 09:46:50' }]);
});

test('watch list, prices, filters and notifications', () => {
  const bot = loggedIn();
  assert.equal(run(bot, 'get_watchlist()'), '{"watchlist": ["NVDA"]}');
  assert.equal(run(bot, "add_to_watchlist('AAPL')"), '{"symbol": ["NVDA", "AAPL"]}');
  assert.equal(run(bot, "add_to_watchlist('AAPL')"), '{"symbol": ["NVDA", "AAPL"]}');
  assert.equal(run(bot, "add_to_watchlist('NOPE')"), '{"symbol": ["NVDA", "AAPL"]}');
  assert.equal(run(bot, "remove_stock_from_watchlist('NVDA')"), '{"status": "Stock NVDA removed from watchlist successfully."}');
  assert.equal(run(bot, "remove_stock_from_watchlist('NVDA')"), '{"error": "Stock NVDA not found in watchlist."}');
  assert.equal(run(bot, "update_stock_price('AAPL', 250)"), '{"symbol": "AAPL", "old_price": 227.16, "new_price": 250}');
  assert.equal(run(bot, "update_stock_price('AAPL', 0)"), '{"error": "New price must be a positive value."}');
  assert.equal(run(bot, "update_stock_price('XX', 1)"), '{"error": "Stock with symbol \'XX\' not found."}');
  assert.equal(
    run(bot, "get_stock_info('AAPL')"),
    '{"price": 250, "percent_change": 10.054587075189296, "volume": 2.552, "MA(5)": 227.11, "MA(20)": 227.09}',
  );
  // Unknown symbols have price 0 in the filter.
  assert.equal(run(bot, "filter_stocks_by_price(['AAPL', 'GOOG', 'ZZZ', 'ZETA'], 0, 1000)"), '{"filtered_stocks": ["AAPL", "ZZZ", "ZETA"]}');
  assert.equal(run(bot, "filter_stocks_by_price(['AAPL'], 'a', 5)"), "Error during execution: '>=' not supported between instances of 'int' and 'str'");
  assert.equal(
    run(bot, "notify_price_change(['AAPL', 'TSLA', 'GOOG', 'ZZZ'], 0.2)"),
    '{"notification": "Stocks AAPL, GOOG have significant price changes."}',
  );
  assert.equal(run(bot, "notify_price_change(['ZETA'], 5)"), '{"notification": "No significant price changes in the selected stocks."}');
  assert.equal(run(bot, "notify_price_change(['AAPL'], '5')"), "Error during execution: '>=' not supported between instances of 'float' and 'str'");
});

test('logged out: each guarded method returns its own error shape', () => {
  const bot = load('TradingBot');
  assert.equal(run(bot, 'trading_get_login_status()'), '{"status": false}');
  assert.equal(run(bot, 'trading_logout()'), '{"status": "No user is currently logged in"}');
  assert.equal(run(bot, 'get_watchlist()'), "['Error: User not authenticated. Please log in to view the watchlist.']");
  assert.equal(run(bot, 'get_order_history()'), "[{'error': 'User not authenticated. Please log in to view order history.'}]");
  assert.equal(run(bot, 'get_transaction_history()'), "[{'error': 'User not authenticated. Please log in to view transaction history.'}]");
  assert.equal(run(bot, 'get_account_info()'), '{"error": "User not authenticated. Please log in to view account information."}');
  assert.equal(run(bot, 'fund_account(5)'), '{"error": "User not authenticated. Please log in to fund the account."}');
  assert.equal(run(bot, "remove_stock_from_watchlist('AAPL')"), '{"error": "User not authenticated. Please log in to modify the watchlist."}');
  assert.equal(run(bot, "make_transaction(12345, 'deposit', 5)"), '{"error": "User not authenticated. Please log in to make a transaction."}');
  run(bot, "trading_login('u', 'p')");
  assert.equal(run(bot, 'trading_logout()'), '{"status": "Logged out successfully"}');
});

test('tuple arguments (Bespoke executor) behave as in Python: absent keys, not TypeErrors', () => {
  const bot = load('TradingBot');
  const result = (name: string, args: PyValue[]): string => outcomeString(bot.invoke(name, args));
  assert.equal(result('get_stock_info', [tuple('AAPL')]), '{"error": "Stock with symbol \'(\'AAPL\',)\' not found."}');
  assert.equal(
    result('get_order_details', [tuple(1n)]),
    '{"error": "Order with ID (1,) not found.Here is the list of orders_id: [12345, 12446]"}',
  );
  assert.equal(result('filter_stocks_by_price', [tuple('AAPL', 'GOOG'), 100n, 300n]), '{"filtered_stocks": ["AAPL"]}');
  assert.equal(result('add_to_watchlist', [tuple('AAPL')]), '{"symbol": ["NVDA"]}');
  assert.equal(result('get_symbol_by_name', [tuple(['x'])]), "Error during execution: unhashable type: 'list'");
});

test('long-context mode (not ported) is refused, not silently ignored', () => {
  assert.throws(() => createApi('TradingBot', new Map(), { longContext: true }), /TradingBot: longContext=true .* not supported/);
});

pinGroundTruth('TradingBot', { tasks: 50, calls: 224, digest: 'a78b2747bef2a24d31d68a6299345d97f2aff4190296c01cf60905329587fc4a' });

