/**
 * VehicleControlAPI (`vehicle_control.py`, SPEC §7.8): engine, doors, brakes, climate, cruise
 * control, navigation and a few unit conversions.
 *
 * - The loader renames scenario keys (`engineState` → `engine_state`, `parkingBrakeForce`,
 *   `slopeAngle` and `brakePedalForce` → private attributes) and recomputes
 *   `remainingUnlockedDoors` from `doorStatus`.
 * - Private attributes (`_parkingBrakeForce`, `_slopeAngle`, `_brakePedalForce`) are not compared
 *   state, but `startEngine` reads the brake force.
 * - `get_outside_temperature_from_google` and `get_current_speed` each draw one `uniform` from the
 *   seeded CPython generator (seed 141053 by default).
 * - Several failures change state first, as upstream: `startEngine('STOP')` stops the engine,
 *   `setCruiseControl` stores the distance, `lockDoors` flips earlier doors before a KeyError,
 *   `set_navigation` stores the destination before concatenating it.
 *
 * @example
 * const car = createApi('VehicleControlAPI');
 * car.call('lockDoors', [false, ['driver', 'passenger', 'rear_left', 'rear_right']]);
 * car.call('pressBrakePedal', [1n]);
 * car.call('startEngine', ['START']); // {'engineState': 'running', 'fuelLevel': 0.0, 'batteryVoltage': 12.6}
 */
import { ConfigError } from '../../../core/errors.js';
import { iadd, setItem } from '../python/assign.js';
import { pyEq } from '../python/equality.js';
import { PyException } from '../python/errors.js';
import { pyFloat } from '../python/number.js';
import {
  add,
  contains,
  dictGet,
  dictGetOr,
  gt,
  iterate,
  le,
  lt,
  mod,
  mul,
  requireDict,
  sub,
  truediv,
  truthy,
} from '../python/ops.js';
import type { PyRandom } from '../python/random.js';
import { seededRandom } from '../python/seeded.js';
import { dict, typeName, type PyDict, type PyValue } from '../python/value.js';
import { BfclApi, defMethod, param, type MethodSpec } from './types.js';

const DEFAULT_SEED = 141053n;
const MAX_FUEL_LEVEL = 50n;
const MIN_FUEL_LEVEL = 0.0;
const MILE_PER_GALLON = 20.0;

// estimate_distance: symmetric zip-code pairs → km (floats upstream).
const DISTANCES: ReadonlyArray<readonly [string, string, number]> = [
  ['83214', '74532', 750.0],
  ['56108', '62947', 320.0],
  ['71354', '83462', 450.0],
  ['47329', '52013', 290.0],
  ['69238', '51479', 630.0],
  ['94016', '83214', 980.0],
  ['94016', '94704', 600.0],
  ['94704', '08540', 2550.0],
  ['94016', '08540', 1950.0],
  ['62947', '47329', 1053.0],
  ['94016', '62947', 780.0],
  ['74532', '94016', 880.0],
];

const ZIPCODES: ReadonlyArray<readonly [string, string]> = [
  ['Rivermist', '83214'],
  ['Stonebrook', '74532'],
  ['Maplecrest', '56108'],
  ['Silverpine', '62947'],
  ['Shadowridge', '71354'],
  ['Sunset Valley', '83462'],
  ['Oakendale', '47329'],
  ['Willowbend', '52013'],
  ['Crescent Hollow', '69238'],
  ['Autumnville', '51479'],
  ['San Francisco', '94016'],
];

const defaultDoors = (): PyDict =>
  dict({ driver: 'unlocked', passenger: 'unlocked', rear_left: 'unlocked', rear_right: 'unlocked' });

/** The vehicle. Attribute names are upstream's: the public ones are the compared state. */
export class VehicleControlAPI extends BfclApi {
  readonly className = 'VehicleControlAPI';
  fuelLevel: PyValue = 0.0;
  batteryVoltage: PyValue = 12.6;
  engine_state: PyValue = 'stopped';
  remainingUnlockedDoors: PyValue = 4n;
  doorStatus: PyValue = defaultDoors();
  acTemperature: PyValue = 25.0;
  fanSpeed: PyValue = 50n;
  acMode: PyValue = 'auto';
  humidityLevel: PyValue = 50.0;
  headLightStatus: PyValue = 'off';
  parkingBrakeStatus: PyValue = 'released';
  brakePedalStatus: PyValue = 'released';
  distanceToNextVehicle: PyValue = 50.0;
  cruiseStatus: PyValue = 'inactive';
  destination: PyValue = 'None';
  frontLeftTirePressure: PyValue = 32.0;
  frontRightTirePressure: PyValue = 32.0;
  rearLeftTirePressure: PyValue = 30.0;
  rearRightTirePressure: PyValue = 30.0;
  long_context: PyValue = false;
  private parkingBrakeForce: PyValue = 0.0;
  private slopeAngle: PyValue = 0.0;
  private brakePedalForce: PyValue = 0.0;
  // Seeded at load as upstream's _load_scenario does; an instance never loaded uses the default seed.
  private random: PyRandom | undefined;

  loadScenario(config: PyDict, longContext = false): void {
    // Upstream's long-context mode adds distractor weather, car-status and route metadata: not ported, and
    // multi_turn_base never uses it, so it is refused rather than silently ignored.
    if (longContext) {
      throw new ConfigError(`VehicleControlAPI: longContext=true (BFCL long_context category) is not supported; load with longContext false`);
    }
    const get = (key: string, dflt: PyValue): PyValue => dictGetOr(config, key, dflt);
    this.random = seededRandom(get('random_seed', DEFAULT_SEED));
    this.fuelLevel = get('fuelLevel', 0.0);
    this.batteryVoltage = get('batteryVoltage', 12.6);
    this.engine_state = get('engineState', 'stopped');
    this.doorStatus = get('doorStatus', defaultDoors());
    // The scenario's own remainingUnlockedDoors is read upstream, then overwritten by this count.
    const doors = requireDict(this.doorStatus, 'keys');
    const locked = [...doors.keys()].filter((d) => pyEq(dictGet(doors, d), 'locked')).length;
    this.remainingUnlockedDoors = 4n - BigInt(locked);
    this.acTemperature = get('acTemperature', 25.0);
    this.fanSpeed = get('fanSpeed', 50n);
    this.acMode = get('acMode', 'auto');
    this.humidityLevel = get('humidityLevel', 50.0);
    this.headLightStatus = get('headLightStatus', 'off');
    this.parkingBrakeStatus = get('parkingBrakeStatus', 'released');
    this.parkingBrakeForce = get('parkingBrakeForce', 0.0);
    this.slopeAngle = get('slopeAngle', 0.0);
    this.brakePedalStatus = get('brakePedalStatus', 'released');
    this.brakePedalForce = get('brakePedalForce', 0.0);
    this.distanceToNextVehicle = get('distanceToNextVehicle', 50.0);
    this.cruiseStatus = get('cruiseStatus', 'inactive');
    this.destination = get('destination', 'None');
    this.frontLeftTirePressure = get('frontLeftTirePressure', 32.0);
    this.frontRightTirePressure = get('frontRightTirePressure', 32.0);
    this.rearLeftTirePressure = get('rearLeftTirePressure', 30.0);
    this.rearRightTirePressure = get('rearRightTirePressure', 30.0);
    this.long_context = longContext;
  }

  publicState(): ReadonlyArray<readonly [string, PyValue]> {
    return [
      ['fuelLevel', this.fuelLevel],
      ['batteryVoltage', this.batteryVoltage],
      ['engine_state', this.engine_state],
      ['remainingUnlockedDoors', this.remainingUnlockedDoors],
      ['doorStatus', this.doorStatus],
      ['acTemperature', this.acTemperature],
      ['fanSpeed', this.fanSpeed],
      ['acMode', this.acMode],
      ['humidityLevel', this.humidityLevel],
      ['headLightStatus', this.headLightStatus],
      ['parkingBrakeStatus', this.parkingBrakeStatus],
      ['brakePedalStatus', this.brakePedalStatus],
      ['distanceToNextVehicle', this.distanceToNextVehicle],
      ['cruiseStatus', this.cruiseStatus],
      ['destination', this.destination],
      ['frontLeftTirePressure', this.frontLeftTirePressure],
      ['frontRightTirePressure', this.frontRightTirePressure],
      ['rearLeftTirePressure', this.rearLeftTirePressure],
      ['rearRightTirePressure', this.rearRightTirePressure],
      ['long_context', this.long_context],
    ];
  }

  private rng(): PyRandom {
    this.random ??= seededRandom(DEFAULT_SEED);
    return this.random;
  }

  protected methodTable(): Readonly<Record<string, MethodSpec>> {
    return {
      startEngine: defMethod([param('ignitionMode')], (ignitionMode) => this.startEngine(ignitionMode)),
      fillFuelTank: defMethod([param('fuelAmount')], (fuelAmount) => this.fillFuelTank(fuelAmount)),
      lockDoors: defMethod([param('unlock'), param('door')], (unlock, door) => this.lockDoors(unlock, door)),
      adjustClimateControl: defMethod(
        [param('temperature'), param('unit', () => 'celsius'), param('fanSpeed', () => 50n), param('mode', () => 'auto')],
        (temperature, unit, fanSpeed, mode) => this.adjustClimateControl(temperature, unit, fanSpeed, mode),
      ),
      get_outside_temperature_from_google: defMethod([], () => dict({ outsideTemperature: this.rng().uniform(-10.0, 40.0) })),
      get_outside_temperature_from_weather_com: defMethod([], () => dict({ error: 404n })),
      setHeadlights: defMethod([param('mode')], (mode) => this.setHeadlights(mode)),
      displayCarStatus: defMethod([param('option')], (option) => this.displayCarStatus(option)),
      activateParkingBrake: defMethod([param('mode')], (mode) => this.activateParkingBrake(mode)),
      pressBrakePedal: defMethod([param('pedalPosition')], (pedalPosition) => this.pressBrakePedal(pedalPosition)),
      releaseBrakePedal: defMethod([], () => {
        this.brakePedalStatus = 'released';
        this.brakePedalForce = 0.0;
        return dict({ brakePedalStatus: 'released', brakePedalForce: 0.0 });
      }),
      setCruiseControl: defMethod([param('speed'), param('activate'), param('distanceToNextVehicle')], (speed, on, distance) =>
        this.setCruiseControl(speed, on, distance),
      ),
      get_current_speed: defMethod([], () => dict({ currentSpeed: this.rng().uniform(0.0, 120.0) })),
      display_log: defMethod([param('messages')], (messages) => dict({ log: messages })),
      estimate_drive_feasibility_by_mileage: defMethod([param('distance')], (distance) =>
        dict({ canDrive: !lt(mul(this.fuelLevel, MILE_PER_GALLON), distance) }),
      ),
      liter_to_gallon: defMethod([param('liter')], (liter) => dict({ gallon: mul(liter, 0.264172) })),
      gallon_to_liter: defMethod([param('gallon')], (gallon) => dict({ liter: mul(gallon, 3.78541) })),
      estimate_distance: defMethod([param('cityA'), param('cityB')], (cityA, cityB) => estimateDistance(cityA, cityB)),
      get_zipcode_based_on_city: defMethod([param('city')], (city) => {
        const hit = ZIPCODES.find(([name]) => pyEq(city, name));
        return dict({ zipcode: hit ? hit[1] : '00000' });
      }),
      set_navigation: defMethod([param('destination')], (destination) => {
        // Stored before the concatenation, which raises TypeError for a non-str destination.
        this.destination = destination;
        return dict({ status: add('Navigating to ', destination) });
      }),
      check_tire_pressure: defMethod([], () => this.checkTirePressure()),
      find_nearest_tire_shop: defMethod([], () => dict({ shopLocation: '456 Oakwood Avenue, Rivermist, 83214' })),
    };
  }

  private startEngine(ignitionMode: PyValue): PyValue {
    if (pyEq(ignitionMode, 'STOP')) this.engine_state = 'stopped';
    if (gt(this.remainingUnlockedDoors, 0n)) {
      const doors = requireDict(this.doorStatus, 'items');
      const unlocked = [...doors].filter(([, status]) => pyEq(status, 'unlocked')).map(([door]) => door);
      return dict({
        error: `All doors must be locked before starting the engine. Here are the unlocked doors: ${joinStr(unlocked)}`,
      });
    }
    if (!pyEq(this.brakePedalStatus, 'pressed')) return dict({ error: 'Brake pedal needs to be pressed when starting the engine.' });
    if (!pyEq(this.brakePedalForce, 1000.0)) return dict({ error: 'Must press the brake fully before starting the engine.' });
    if (lt(this.fuelLevel, MIN_FUEL_LEVEL)) return dict({ error: 'Fuel tank is empty.' });
    if (!pyEq(ignitionMode, 'START')) return dict({ error: 'Invalid ignition mode.' });
    this.engine_state = 'running';
    return dict({ engineState: this.engine_state, fuelLevel: this.fuelLevel, batteryVoltage: this.batteryVoltage });
  }

  private fillFuelTank(fuelAmount: PyValue): PyValue {
    if (lt(fuelAmount, 0n)) return dict({ error: 'Fuel amount cannot be negative.' });
    if (gt(add(this.fuelLevel, fuelAmount), MAX_FUEL_LEVEL)) return dict({ error: 'Cannot fill gas above the tank capacity.' });
    if (lt(add(this.fuelLevel, fuelAmount), MIN_FUEL_LEVEL)) {
      return dict({ error: 'Fuel tank is empty. Min fuel level is 0 gallons.' });
    }
    this.fuelLevel = iadd(this.fuelLevel, fuelAmount);
    return dict({ fuelLevel: this.fuelLevel });
  }

  private lockDoors(unlock: PyValue, door: PyValue): PyValue {
    const target = truthy(unlock) ? 'unlocked' : 'locked';
    const doors = this.doorStatus;
    for (const d of iterate(door)) {
      // doorStatus[d] raises KeyError for an unknown door, after earlier doors were changed.
      if (pyEq(getItem(doors, d), target)) continue;
      setItem(doors, d, target);
      this.remainingUnlockedDoors = iadd(this.remainingUnlockedDoors, truthy(unlock) ? 1n : -1n);
    }
    return dict({ lockStatus: target, remainingUnlockedDoors: this.remainingUnlockedDoors });
  }

  private adjustClimateControl(temperature: PyValue, unit: PyValue, fanSpeed: PyValue, mode: PyValue): PyValue {
    if (!(le(0n, fanSpeed) && le(fanSpeed, 100n))) return dict({ error: 'Fan speed must be between 0 and 100.' });
    this.acTemperature = temperature;
    if (pyEq(unit, 'fahrenheit')) this.acTemperature = truediv(mul(sub(temperature, 32n), 5n), 9n);
    this.fanSpeed = fanSpeed;
    this.acMode = mode;
    return dict({ currentACTemperature: temperature, climateMode: mode, humidityLevel: this.humidityLevel });
  }

  private setHeadlights(mode: PyValue): PyValue {
    if (!contains(['on', 'off', 'auto'], mode)) return dict({ error: 'Invalid headlight mode.' });
    this.headLightStatus = pyEq(mode, 'on') ? 'on' : 'off';
    return dict({ headlightStatus: this.headLightStatus });
  }

  private displayCarStatus(option: PyValue): PyValue {
    const is = (name: string): boolean => pyEq(option, name);
    if (is('fuel')) return dict({ fuelLevel: this.fuelLevel });
    if (is('battery')) return dict({ batteryVoltage: this.batteryVoltage });
    if (is('doors')) return dict({ doorStatus: this.doorStatus });
    if (is('climate')) {
      return dict({
        currentACTemperature: this.acTemperature,
        fanSpeed: this.fanSpeed,
        climateMode: this.acMode,
        humidityLevel: this.humidityLevel,
      });
    }
    if (is('headlights')) return dict({ headlightStatus: this.headLightStatus });
    if (is('parkingBrake')) {
      return dict({
        parkingBrakeStatus: this.parkingBrakeStatus,
        parkingBrakeForce: this.parkingBrakeForce,
        slopeAngle: this.slopeAngle,
      });
    }
    // The doc's enum says 'brakePadle'; the code checks 'brakePedal' (SPEC §7.8).
    if (is('brakePedal')) return dict({ brakePedalStatus: this.brakePedalStatus, brakePedalForce: this.brakePedalForce });
    if (is('engine')) return dict({ engineState: this.engine_state });
    return dict({ error: 'Invalid option' });
  }

  private activateParkingBrake(mode: PyValue): PyValue {
    if (!contains(['engage', 'release'], mode)) return dict({ error: 'Invalid mode' });
    const engage = pyEq(mode, 'engage');
    this.parkingBrakeStatus = engage ? 'engaged' : 'released';
    this.parkingBrakeForce = engage ? 500.0 : 0.0;
    this.slopeAngle = 10.0;
    return dict({
      parkingBrakeStatus: this.parkingBrakeStatus,
      _parkingBrakeForce: this.parkingBrakeForce,
      _slopeAngle: this.slopeAngle,
    });
  }

  private pressBrakePedal(position: PyValue): PyValue {
    if (!(le(0n, position) && le(position, 1n))) return dict({ error: 'Pedal position must be between 0 and 1.' });
    if (pyEq(position, 0n)) {
      this.brakePedalStatus = 'released';
      this.brakePedalForce = 0.0;
      return dict({ brakePedalStatus: 'released', brakePedalForce: 0.0 });
    }
    // position * 1000 keeps Python's type (True or 1 gives the int 1000); the result shows float().
    const force = mul(position, 1000n);
    this.brakePedalStatus = 'pressed';
    this.brakePedalForce = force;
    return dict({ brakePedalStatus: 'pressed', brakePedalForce: pyFloat(force) });
  }

  private setCruiseControl(speed: PyValue, activate: PyValue, distance: PyValue): PyValue {
    if (pyEq(this.engine_state, 'stopped')) return dict({ error: 'Start the engine before activating the cruise control.' });
    if (truthy(activate)) {
      this.distanceToNextVehicle = distance;
      if (lt(speed, 0n) || gt(speed, 120n) || !pyEq(mod(speed, 5n), 0n)) return dict({ error: 'Invalid speed' });
      this.cruiseStatus = 'active';
      return dict({ cruiseStatus: 'active', currentSpeed: speed, distanceToNextVehicle: distance });
    }
    this.cruiseStatus = 'inactive';
    this.distanceToNextVehicle = distance;
    return dict({ cruiseStatus: 'inactive', currentSpeed: speed, distanceToNextVehicle: distance });
  }

  private checkTirePressure(): PyValue {
    const total = add(
      add(add(this.frontLeftTirePressure, this.frontRightTirePressure), this.rearLeftTirePressure),
      this.rearRightTirePressure,
    );
    const mean = truediv(total, 4n);
    return dict({
      frontLeftTirePressure: this.frontLeftTirePressure,
      frontRightTirePressure: this.frontRightTirePressure,
      rearLeftTirePressure: this.rearLeftTirePressure,
      rearRightTirePressure: this.rearRightTirePressure,
      healthy_tire_pressure: le(30n, mean) && le(mean, 35n),
      car_info: new Map(),
    });
  }
}

/** `d[k]` on a value that should be a dict (KeyError with the key's repr when absent). */
function getItem(d: PyValue, key: PyValue): PyValue {
  return dictGet(requireDict(d, '__getitem__'), key);
}

/** `', '.join(items)`: TypeError for a non-str item, as Python. */
function joinStr(items: readonly PyValue[]): string {
  return items
    .map((x, i) => {
      if (typeof x !== 'string') {
        throw new PyException('TypeError', `sequence item ${i}: expected str instance, ${typeName(x)} found`);
      }
      return x;
    })
    .join(', ');
}

/** `estimate_distance`: the symmetric pair's distance, else an error dict. */
function estimateDistance(cityA: PyValue, cityB: PyValue): PyValue {
  for (const [a, b, km] of DISTANCES) {
    if ((pyEq(cityA, a) && pyEq(cityB, b)) || (pyEq(cityA, b) && pyEq(cityB, a))) return dict({ distance: km });
  }
  return dict({ error: 'distance not found in database.' });
}
