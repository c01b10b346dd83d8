/**
 * The API registry: class name → constructor, and method name → class (SPEC §1.2: the 129 public
 * method names are unique across the eight classes, so a name implies its class).
 */
import { UnknownIdError } from '../../../core/errors.js';
import { deepcopy } from '../python/copy.js';
import { dictGetOr } from '../python/ops.js';
import type { PyDict, PyValue } from '../python/value.js';
import { GorillaFileSystem } from './gorilla-file-system.js';
import { MathAPI } from './math-api.js';
import { MessageAPI } from './message-api.js';
import { TwitterAPI } from './twitter-api.js';
// Part B's classes: one import each here, and one entry each in API_CLASSES below.
import { TicketAPI } from './ticket-api.js';
import { TradingBot } from './trading-bot.js';
import { TravelAPI } from './travel-api.js';
import { VehicleControlAPI } from './vehicle-control.js';
import { BFCL_CLASSES, type BfclClassName } from '../../../datasets/bfcl.js';
import type { ApiConstructor, ApiOptions, BfclApi } from './types.js';

export * from './types.js';

/** Registered classes. A class missing here cannot be instantiated yet (see `missingClasses`). */
export const API_CLASSES: Partial<Record<BfclClassName, ApiConstructor>> = {
  GorillaFileSystem,
  MathAPI,
  MessageAPI,
  TwitterAPI,
  TicketAPI,
  TradingBot,
  TravelAPI,
  VehicleControlAPI,
};

/** Class names without a registered implementation. */
export const missingClasses = (): BfclClassName[] => BFCL_CLASSES.filter((c) => !API_CLASSES[c]);

const isClassName = (name: string): name is BfclClassName => (BFCL_CLASSES as readonly string[]).includes(name);

/** The constructor of `className`; throws UnknownIdError listing the known classes. */
export function apiClass(className: string): ApiConstructor {
  const ctor = isClassName(className) ? API_CLASSES[className] : undefined;
  if (!ctor) throw new UnknownIdError('BFCL API class', className, Object.keys(API_CLASSES));
  return ctor;
}

/**
 * Build one instance as upstream does (SPEC §1.2): construct, then — unless it is the stateless
 * `MathAPI` — load a deep copy of `initialConfig[className]` (an empty dict when absent).
 *
 * @example
 * const fs = createApi('GorillaFileSystem', jsonLoads(line).get('initial_config') as PyDict);
 * fs.call('ls');
 */
export function createApi(
  className: string,
  initialConfig: PyDict = new Map(),
  options: ApiOptions & { longContext?: boolean } = {},
): BfclApi {
  const api = new (apiClass(className))(options);
  if (api.className !== 'MathAPI') {
    const scenario: PyValue = dictGetOr(initialConfig, className, new Map());
    const config = scenario instanceof Map ? deepcopy(scenario) : new Map();
    api.loadScenario(config, options.longContext ?? false);
  }
  return api;
}

let routing: Map<string, BfclClassName> | undefined;

/** Method name → the class defining it, over all registered classes. */
export function methodRouting(): ReadonlyMap<string, BfclClassName> {
  if (!routing || routing.size === 0 || registeredCount !== Object.keys(API_CLASSES).length) {
    routing = new Map();
    for (const [name, ctor] of Object.entries(API_CLASSES)) {
      if (!ctor || !isClassName(name)) continue;
      for (const m of new ctor().methodNames()) routing.set(m, name);
    }
    registeredCount = Object.keys(API_CLASSES).length;
  }
  return routing;
}
let registeredCount = 0;

/**
 * The instance among `instances` (in involved-class order) that defines `methodName`, or
 * undefined (upstream then fails with NameError `name 'x' is not defined`).
 */
export function routeMethod(instances: readonly BfclApi[], methodName: string): BfclApi | undefined {
  return instances.find((api) => api.signature(methodName) !== undefined);
}
